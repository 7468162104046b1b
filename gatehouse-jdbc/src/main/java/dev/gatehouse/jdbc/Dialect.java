package dev.gatehouse.jdbc;

import dev.gatehouse.user.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * What differs between the supported databases: where their migrations live, how instants are
 * bound and read, and how a read gets a consistent snapshot. All SQL the store runs is otherwise
 * the same on every database. Stateless.
 */
enum Dialect {

    H2("h2") {
        @Override
        void beginSnapshot(Connection connection) throws SQLException {
            // In-process: switching the isolation level costs nothing, and the transaction
            // wrapper restores the previous level afterwards.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }

        @Override
        boolean isTransient(SQLException e) {
            // HYT00: lock timeout; 90131: concurrent update of the same row (MVStore).
            return "HYT00".equals(e.getSQLState()) || "90131".equals(e.getSQLState());
        }
    },

    POSTGRESQL("postgresql") {
        @Override
        void beginSnapshot(Connection connection) throws SQLException {
            // First statement of the transaction, so no session setting needs restoring.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
        }
    },

    /** MariaDB and MySQL: one migration folder, DATETIME(6) columns holding UTC. */
    MYSQL("mysql") {
        @Override
        void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            if (instant == null) {
                statement.setNull(index, Types.TIMESTAMP);
            } else {
                // A LocalDateTime reaches a DATETIME column unconverted, whatever the time zones.
                statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
        }

        @Override
        Instant readInstant(ResultSet rows, String column) throws SQLException {
            LocalDateTime value = rows.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }

        @Override
        void beginSnapshot(Connection connection) throws SQLException {
            // Applies to the transaction about to start; InnoDB's REPEATABLE READ gives one
            // snapshot from the first read on. Servers configured for READ COMMITTED included.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
        }

        @Override
        boolean isTransient(SQLException e) {
            // 1205: lock wait timeout (SQLState HY000, so the class check does not catch it).
            return e.getErrorCode() == 1205;
        }
    };

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The Flyway location of this database's migrations. */
    String migrationLocation() {
        return "classpath:db/gatehouse/" + migrationFolder;
    }

    /** Binds an instant, or SQL NULL for {@code null}. */
    void bindInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    /** Reads an instant, or {@code null} for SQL NULL. */
    Instant readInstant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * Makes the transaction just begun on {@code connection} read from one snapshot, so a user
     * assembled from several queries never mixes two commits.
     */
    abstract void beginSnapshot(Connection connection) throws SQLException;

    /**
     * Whether this database reports a failure that retrying the whole transaction may cure, beyond
     * the standard SQLState class 40 (serialization failure, deadlock).
     */
    boolean isTransient(SQLException e) {
        return false;
    }

    /** The dialect of the database behind {@code dataSource}, asked over one connection. */
    static Dialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw SqlErrors.storeFailure("detect the database product", e);
        }
    }

    static Dialect of(String productName) {
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.equals("h2")) {
            return H2;
        }
        if (product.equals("postgresql")) {
            return POSTGRESQL;
        }
        if (product.equals("mariadb") || product.equals("mysql")) {
            return MYSQL;
        }
        throw new StoreException("unsupported database: " + productName
                + " (Gatehouse supports H2, PostgreSQL, MariaDB and MySQL)", null);
    }
}
