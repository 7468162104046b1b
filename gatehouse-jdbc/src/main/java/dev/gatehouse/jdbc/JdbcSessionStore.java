package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.session.SessionKind;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link SessionStore} in a relational database (H2, PostgreSQL or MariaDB/MySQL), in the
 * table {@code gh_sessions} beside {@link JdbcUserStore}'s tables: for several application nodes
 * sharing sessions, or sessions that survive a restart.
 *
 * <pre>{@code
 * DataSource db = database.dataSource();
 * Gatehouse gatehouse = Gatehouse.builder()
 *         .store(JdbcUserStore.create(db))
 *         .sessionStore(JdbcSessionStore.create(db))
 *         ...
 * }</pre>
 *
 * <p>Records reference their user's row ({@code ON DELETE CASCADE}), so the store shares its
 * database with a {@link JdbcUserStore}: deleting a user deletes their sessions, remember-me grants
 * and refresh tokens, and saving a record for a user who does not exist (any more) throws
 * {@link NoSuchUserException}.
 *
 * <p>{@link #find(String)} runs on every session-authenticated request, so it is one primary-key
 * query, run in auto-commit mode without a transaction around it. {@code touch}, {@code consume}
 * and the deletes are single statements too, atomic by themselves: {@code consume} is
 * {@code UPDATE ... SET consumed = TRUE WHERE id = ? AND consumed = FALSE}, whose row count is 1
 * for exactly one of any number of concurrent callers. {@code save} inserts, one statement too;
 * only when the id is taken does it replace the record, in a transaction. Strings that cannot be
 * ids or family ids never reach the database. Instants are kept to the microsecond.
 *
 * <p>Deadlocks and serialization failures are retried; other database failures become
 * {@link dev.gatehouse.user.StoreException}s with redacted causes. Nothing is logged but retries,
 * without values.
 *
 * <p>Thread-safe: the store holds no mutable state; concurrency is the database's job.
 */
public final class JdbcSessionStore implements SessionStore {

    // The id comes last in the insert and in the update, so one binding serves both.
    private static final String COLUMNS = "kind, user_id, security_stamp, family_id, generation, created_at,"
            + " last_used_at, authenticated_at, expires_at, consumed, ip, user_agent, id";
    private static final String INSERT = "INSERT INTO gh_sessions (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE gh_sessions SET kind = ?, user_id = ?, security_stamp = ?,"
            + " family_id = ?, generation = ?, created_at = ?, last_used_at = ?, authenticated_at = ?, expires_at = ?,"
            + " consumed = ?, ip = ?, user_agent = ? WHERE id = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gh_sessions WHERE id = ?";
    // Ties in created_at are broken by id, as in the in-memory store, so the order is stable.
    private static final String LIST = "SELECT " + COLUMNS + " FROM gh_sessions WHERE user_id = ?"
            + " ORDER BY created_at, id";
    private static final String TOUCH = "UPDATE gh_sessions SET last_used_at = ? WHERE id = ? AND last_used_at < ?";
    private static final String CONSUME = "UPDATE gh_sessions SET consumed = TRUE WHERE id = ? AND consumed = FALSE";

    private final Transactions transactions;
    private final Dialect dialect;

    private JdbcSessionStore(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcSessionStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Starts configuring a store on {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchUserException if the users table has no row for the record's user
     */
    @Override
    public void save(SessionRecord record) {
        Objects.requireNonNull(record, "record");
        // Insert first, alone: ids are digests of fresh random secrets, so the insert is what a
        // sign-in needs, and on an auto-commit connection it is one round trip. Replacing a record
        // is the rare case and portable the slow way: update, else insert, in a transaction.
        try {
            transactions.statement("save a session", c -> write(c, INSERT, record), c -> {
                if (!Statements.userExists(c, record.userId())) {
                    return new NoSuchUserException(record.userId());
                }
                boolean idTaken = Statements.exists(c, "SELECT 1 FROM gh_sessions WHERE id = ?", record.id());
                return idTaken ? Transactions.OtherWay.INSTANCE : null;
            });
        } catch (Transactions.OtherWay idTaken) {
            // Should a concurrent save insert the same id first, the primary key fails the insert
            // and the retry updates.
            transactions.write("replace a session", c -> {
                if (write(c, UPDATE, record) == 0) {
                    write(c, INSERT, record);
                }
                return null;
            }, c -> Statements.userExists(c, record.userId()) ? null : new NoSuchUserException(record.userId()));
        }
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        Objects.requireNonNull(id, "id");
        if (!SessionRecord.isWellFormedId(id)) {
            return Optional.empty();
        }
        return transactions.statement("find a session", c -> {
            try (PreparedStatement select = c.prepareStatement(FIND)) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void touch(String id, Instant lastUsedAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Instant at = micros(lastUsedAt);
        if (at.isAfter(StoreLimits.MAX_INSTANT)) {
            throw new IllegalArgumentException("lastUsedAt must not lie after " + StoreLimits.MAX_INSTANT);
        }
        // Every stored instant is at least MIN_INSTANT, so an earlier one would change nothing.
        if (!SessionRecord.isWellFormedId(id) || !at.isAfter(StoreLimits.MIN_INSTANT)) {
            return;
        }
        transactions.statement("touch a session", c -> {
            try (PreparedStatement update = c.prepareStatement(TOUCH)) {
                dialect.bindInstant(update, 1, at);
                update.setString(2, id);
                dialect.bindInstant(update, 3, at);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public boolean consume(String id) {
        Objects.requireNonNull(id, "id");
        if (!SessionRecord.isWellFormedId(id)) {
            return false;
        }
        return transactions.statement("consume a session", c -> execute(c, CONSUME, id) == 1);
    }

    @Override
    public boolean delete(String id) {
        Objects.requireNonNull(id, "id");
        if (!SessionRecord.isWellFormedId(id)) {
            return false;
        }
        return transactions.statement("delete a session", c -> execute(c, "DELETE FROM gh_sessions WHERE id = ?", id) > 0);
    }

    @Override
    public int deleteFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        if (!SessionRecord.isWellFormedFamilyId(familyId)) {
            return 0;
        }
        return transactions.statement("delete a session family",
                c -> execute(c, "DELETE FROM gh_sessions WHERE family_id = ?", familyId));
    }

    @Override
    public Optional<Instant> familyExpiresAt(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        if (!SessionRecord.isWellFormedFamilyId(familyId)) {
            return Optional.empty();
        }
        // A family has a handful of rows, found through gh_sessions_family_idx.
        return transactions.statement("check a session family", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT expires_at FROM gh_sessions WHERE family_id = ? ORDER BY expires_at DESC")) {
                select.setMaxRows(1);
                select.setString(1, familyId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(dialect.readInstant(rows, "expires_at")) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public int deleteAllForUser(long userId) {
        return transactions.statement("delete a user's sessions",
                c -> execute(c, "DELETE FROM gh_sessions WHERE user_id = ?", userId));
    }

    @Override
    public List<SessionRecord> listForUser(long userId) {
        return transactions.statement("list a user's sessions", c -> {
            List<SessionRecord> records = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(LIST)) {
                select.setLong(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
            }
            return records;
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant at = micros(now);
        // Stored instants lie within the limits, so clamping changes nothing about which expired.
        if (at.isBefore(StoreLimits.MIN_INSTANT)) {
            return 0;
        }
        Instant bound = at.isAfter(StoreLimits.MAX_INSTANT) ? StoreLimits.MAX_INSTANT : at;
        return transactions.statement("delete expired sessions", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_sessions WHERE expires_at <= ?")) {
                dialect.bindInstant(delete, 1, bound);
                return delete.executeUpdate();
            }
        });
    }

    // ================================================================ internals

    /** Runs {@link #INSERT} or {@link #UPDATE} for {@code record}; returns the row count. */
    private int write(Connection c, String sql, SessionRecord record) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, record.kind().name());
            statement.setLong(2, record.userId());
            statement.setString(3, record.securityStamp());
            statement.setString(4, record.familyId());
            statement.setInt(5, record.generation());
            dialect.bindInstant(statement, 6, micros(record.createdAt()));
            dialect.bindInstant(statement, 7, micros(record.lastUsedAt()));
            dialect.bindInstant(statement, 8, micros(record.authenticatedAt()));
            dialect.bindInstant(statement, 9, micros(record.expiresAt()));
            statement.setBoolean(10, record.consumed());
            Statements.bindNullable(statement, 11, record.ip().orElse(null));
            Statements.bindNullable(statement, 12, record.userAgent().orElse(null));
            statement.setString(13, record.id());
            return statement.executeUpdate();
        }
    }

    private SessionRecord read(ResultSet rows) throws SQLException {
        return new SessionRecord(
                rows.getString("id"),
                SessionKind.valueOf(rows.getString("kind")),
                rows.getLong("user_id"),
                rows.getString("security_stamp"),
                rows.getString("family_id"),
                rows.getInt("generation"),
                dialect.readInstant(rows, "created_at"),
                dialect.readInstant(rows, "last_used_at"),
                dialect.readInstant(rows, "authenticated_at"),
                dialect.readInstant(rows, "expires_at"),
                rows.getBoolean("consumed"),
                Optional.ofNullable(rows.getString("ip")),
                Optional.ofNullable(rows.getString("user_agent")));
    }

    /**
     * {@code instant} cut to microseconds here rather than by the database: PostgreSQL and MariaDB
     * round, which could move an instant past one it is compared with.
     */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Configures a {@link JdbcSessionStore}; not thread-safe, build once. */
    public static final class Builder {
        private final DataSource dataSource;
        private boolean migrate = true;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Whether {@link #build()} runs pending schema migrations first ({@code true} by default).
         * Turn it off when deployments migrate separately, e.g. with {@code gatehouse db migrate}.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Connects once to learn the database product, migrates if asked to, and returns the store.
         *
         * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
         *                                           migration fails
         */
        public JdbcSessionStore build() {
            Dialect dialect = Dialect.of(dataSource);
            if (migrate) {
                new JdbcSchema(dataSource, dialect).migrateOnce();
            }
            return new JdbcSessionStore(new Transactions(dataSource, dialect));
        }
    }
}
