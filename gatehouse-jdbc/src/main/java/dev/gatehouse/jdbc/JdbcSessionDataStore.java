package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.session.SessionData;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link SessionDataStore} in the database ({@code gh_session_data}), beside
 * {@link JdbcSessionStore}'s table: values attached to sign-ins that every node sees and that
 * survive restarts, like the sessions.
 *
 * <p>The value column holds text as given (a text column on PostgreSQL and MariaDB, a CLOB on H2):
 * callers seal what is secret. Values reference their user's row ({@code ON DELETE CASCADE}):
 * deleting a user deletes their values, and putting one for a user who does not exist throws
 * {@link NoSuchUserException}. {@code put} updates or inserts in one transaction; the other
 * methods are single statements. Strings that cannot be family ids or names never reach the
 * database. Thread-safe: the store holds no mutable state.
 */
public final class JdbcSessionDataStore implements SessionDataStore {

    // The key comes last in the insert and in the update, so one binding serves both.
    private static final String INSERT = "INSERT INTO gh_session_data (user_id, content, expires_at, family_id, name)"
            + " VALUES (?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE gh_session_data SET user_id = ?, content = ?, expires_at = ?"
            + " WHERE family_id = ? AND name = ?";
    private static final String FIND = "SELECT user_id, content, expires_at FROM gh_session_data"
            + " WHERE family_id = ? AND name = ?";

    private final Transactions transactions;
    private final Dialect dialect;

    private JdbcSessionDataStore(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcSessionDataStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A store on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcSessionDataStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrateOnce();
        }
        return new JdbcSessionDataStore(new Transactions(dataSource, dialect));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchUserException if the users table has no row for the value's user
     */
    @Override
    public void put(SessionData data) {
        Objects.requireNonNull(data, "data");
        // Update, else insert. Should a concurrent put insert the same key first, the primary key
        // fails this insert, the conflict check finds the user and the retry updates.
        transactions.write("store session data", c -> {
            if (write(c, UPDATE, data) == 0) {
                write(c, INSERT, data);
            }
            return null;
        }, c -> Statements.userExists(c, data.userId()) ? null : new NoSuchUserException(data.userId()));
    }

    @Override
    public Optional<SessionData> find(String familyId, String name) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(name, "name");
        if (!isWellFormedKey(familyId, name)) {
            return Optional.empty();
        }
        return transactions.statement("find session data", c -> {
            try (PreparedStatement select = c.prepareStatement(FIND)) {
                select.setString(1, familyId);
                select.setString(2, name);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new SessionData(familyId, name, rows.getLong("user_id"), rows.getString("content"),
                                    dialect.readInstant(rows, "expires_at")))
                            : Optional.<SessionData>empty();
                }
            }
        });
    }

    @Override
    public boolean delete(String familyId, String name) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(name, "name");
        if (!isWellFormedKey(familyId, name)) {
            return false;
        }
        return transactions.statement("delete session data",
                c -> execute(c, "DELETE FROM gh_session_data WHERE family_id = ? AND name = ?", familyId, name) > 0);
    }

    @Override
    public int deleteFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        if (!SessionRecord.isWellFormedFamilyId(familyId)) {
            return 0;
        }
        return transactions.statement("delete a sign-in's session data",
                c -> execute(c, "DELETE FROM gh_session_data WHERE family_id = ?", familyId));
    }

    @Override
    public int deleteAllForUser(long userId) {
        return transactions.statement("delete a user's session data",
                c -> execute(c, "DELETE FROM gh_session_data WHERE user_id = ?", userId));
    }

    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        // Stored instants lie within the limits, so clamping changes nothing about which expired.
        if (at.isBefore(StoreLimits.MIN_INSTANT)) {
            return 0;
        }
        Instant bound = at.isAfter(StoreLimits.MAX_INSTANT) ? StoreLimits.MAX_INSTANT : at;
        return transactions.statement("delete expired session data", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_session_data WHERE expires_at <= ?")) {
                dialect.bindInstant(delete, 1, bound);
                return delete.executeUpdate();
            }
        });
    }

    // ================================================================ internals

    private static boolean isWellFormedKey(String familyId, String name) {
        return SessionRecord.isWellFormedFamilyId(familyId) && SessionData.isWellFormedName(name);
    }

    private int write(Connection c, String sql, SessionData data) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setLong(1, data.userId());
            statement.setString(2, data.value());
            dialect.bindInstant(statement, 3, data.expiresAt());
            statement.setString(4, data.familyId());
            statement.setString(5, data.name());
            return statement.executeUpdate();
        }
    }
}
