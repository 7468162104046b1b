package dev.gatehouse.jdbc;

import dev.gatehouse.user.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work in database transactions: commit on success, roll back on any failure,
 * retry what a retry can cure, and translate the rest.
 *
 * <ul>
 *   <li>Work that is a single SQL statement may run with {@link #statement}: on an auto-commit
 *       connection the statement is its own transaction, which spares the round trips of
 *       starting, configuring and committing one. That matters on hot paths such as session
 *       lookups, which run on every request.</li>
 *   <li>Deadlocks, serialization failures and lock timeouts retry the whole unit of work after a
 *       short random pause, a few times.</li>
 *   <li>An integrity violation (SQLState class 23) is explained after the rollback by a
 *       {@link ConflictCheck} running in a fresh transaction: it returns the domain exception
 *       ({@code DuplicateUserException}, ...), or {@code null} when the conflicting row has gone
 *       in the meantime (or a row the work relied on was deleted concurrently), which retries.
 *       Asking the database again is exact and portable; parsing constraint names out of driver
 *       messages would be neither.</li>
 *   <li>Everything else becomes a {@link StoreException} with a redacted cause.</li>
 * </ul>
 *
 * Thread-safe: it holds no state besides the data source.
 */
final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_ATTEMPTS = 6;

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Explains an integrity violation, in a new transaction after the failed one rolled back.
     * Returns the exception to throw, or {@code null} to retry; {@link OtherWay#INSTANCE} hands the
     * failure back to a caller that catches it around the call and does the work another way.
     */
    @FunctionalInterface
    interface ConflictCheck {
        RuntimeException explain(Connection connection) throws SQLException;
    }

    /**
     * Thrown when a {@link ConflictCheck} says the work cannot succeed as written (a session id
     * taken, an event's user gone) and the caller has another way; caught right around the call.
     */
    static final class OtherWay extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final OtherWay INSTANCE = new OtherWay();

        private OtherWay() {
            super("the work takes another way", null, false, false);
        }
    }

    /** How a unit of work runs. */
    private enum Mode {
        /** A read-only transaction on one snapshot. */
        SNAPSHOT,
        /** A read-write transaction at the connection's isolation level. */
        WRITE,
        /** One statement: auto-commit if the connection has it, else a transaction of its own. */
        STATEMENT
    }

    private final DataSource dataSource;
    private final Dialect dialect;

    Transactions(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Runs read-only {@code work} against one consistent snapshot. */
    <T> T read(String operation, Work<T> work) {
        return run(operation, work, Mode.SNAPSHOT, null);
    }

    /**
     * Runs {@code work}, which must execute exactly one SQL statement: a single statement is
     * atomic and reads one snapshot by itself, so no transaction is begun around it when the
     * connection is in auto-commit mode (pools hand connections out that way by default). A
     * failure is retried or translated as for the other modes.
     */
    <T> T statement(String operation, Work<T> work) {
        return run(operation, work, Mode.STATEMENT, null);
    }

    /**
     * Runs {@code work}, one SQL statement, as {@link #statement(String, Work)} does; an integrity
     * violation not explained by {@code conflicts} retries.
     */
    <T> T statement(String operation, Work<T> work, ConflictCheck conflicts) {
        return run(operation, work, Mode.STATEMENT, conflicts);
    }

    /** Runs {@code work} as one transaction; an integrity violation not explained by {@code conflicts} retries. */
    <T> T write(String operation, Work<T> work, ConflictCheck conflicts) {
        return run(operation, work, Mode.WRITE, conflicts);
    }

    /** Runs {@code work} as one transaction; an integrity violation is a {@link StoreException}. */
    <T> T write(String operation, Work<T> work) {
        return run(operation, work, Mode.WRITE, null);
    }

    private <T> T run(String operation, Work<T> work, Mode mode, ConflictCheck conflicts) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return once(work, mode);
            } catch (SQLException e) {
                last = e;
                if (conflicts != null && SqlErrors.isIntegrityViolation(e)) {
                    RuntimeException explained = explain(operation, conflicts);
                    if (explained != null) {
                        throw explained;
                    }
                } else if (!SqlErrors.isTransient(e, dialect)) {
                    throw SqlErrors.storeFailure(operation, e);
                }
                LOG.debug("retrying '{}' after attempt {} failed with SQLState {}", operation, attempt, e.getSQLState());
                pause(attempt);
            }
        }
        throw SqlErrors.storeFailure(operation + " in " + MAX_ATTEMPTS + " attempts", last);
    }

    private RuntimeException explain(String operation, ConflictCheck conflicts) {
        try {
            return once(conflicts::explain, Mode.SNAPSHOT);
        } catch (SQLException e) {
            throw SqlErrors.storeFailure(operation, e);
        }
    }

    private <T> T once(Work<T> work, Mode mode) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (mode == Mode.STATEMENT && autoCommit) {
                return work.run(connection);
            }
            int isolation = dialect == Dialect.H2 ? connection.getTransactionIsolation() : -1;
            connection.setAutoCommit(false);
            T result;
            try {
                if (mode == Mode.SNAPSHOT) {
                    dialect.beginSnapshot(connection);
                }
                result = work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                restore(connection, autoCommit, isolation, e);
                throw e;
            }
            // Committed: a failure to restore the connection must not make the caller retry work
            // that is already done. The pool discards a connection it cannot reset.
            restore(connection, autoCommit, isolation, null);
            return result;
        }
    }

    /** Puts the connection back as it was handed out: pools reset this too, a plain DataSource does not. */
    private static void restore(Connection connection, boolean autoCommit, int isolation, Throwable failure) {
        try {
            if (isolation >= 0 && isolation != connection.getTransactionIsolation()) {
                connection.setTransactionIsolation(isolation);
            }
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(SqlErrors.redact(e));
            } else {
                LOG.debug("could not reset a connection after commit (SQLState {})", e.getSQLState());
            }
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(SqlErrors.redact(e));
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction", e);
        }
    }
}
