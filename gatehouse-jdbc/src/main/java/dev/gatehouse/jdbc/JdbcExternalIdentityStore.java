package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.user.DuplicateExternalIdentityException;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An {@link ExternalIdentityStore} in the database ({@code gh_external_identities}), beside
 * {@link JdbcUserStore}'s tables.
 *
 * <p>{@code (issuer, subject)} is a unique key, so of concurrent links of one identity the
 * database lets exactly one insert; the others fail with {@link DuplicateExternalIdentityException}.
 * Identities reference their user's row ({@code ON DELETE CASCADE}): deleting a user unlinks
 * them, and linking to a user who does not exist throws {@link NoSuchUserException}. Strings that
 * cannot be part of a key never reach the database, which also keeps MariaDB's space-padding
 * collations from matching {@code "abc "} to {@code "abc"}.
 *
 * <p>Every method is one statement, atomic by itself. Deadlocks and serialization failures are
 * retried; other failures become {@link dev.gatehouse.user.StoreException}s with redacted causes.
 * Thread-safe: the store holds no mutable state.
 */
public final class JdbcExternalIdentityStore implements ExternalIdentityStore {

    private static final String COLUMNS = "user_id, provider, issuer, subject, email, linked_at, last_sign_in_at";
    private static final String INSERT = "INSERT INTO gh_external_identities (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gh_external_identities WHERE issuer = ? AND subject = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM gh_external_identities WHERE user_id = ? ORDER BY linked_at";
    private static final String UNLINK = "DELETE FROM gh_external_identities WHERE user_id = ? AND issuer = ? AND subject = ?";
    private static final String SIGN_IN = "UPDATE gh_external_identities SET last_sign_in_at = ?"
            + " WHERE issuer = ? AND subject = ? AND (last_sign_in_at IS NULL OR last_sign_in_at < ?)";

    // Ties are ordered here, not by the database, whose collation may order strings otherwise.
    private static final Comparator<ExternalIdentity> OLDEST_FIRST = Comparator.comparing(ExternalIdentity::linkedAt)
            .thenComparing(ExternalIdentity::issuer)
            .thenComparing(ExternalIdentity::subject);

    private final Transactions transactions;
    private final Dialect dialect;

    private JdbcExternalIdentityStore(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcExternalIdentityStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A store on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcExternalIdentityStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrateOnce();
        }
        return new JdbcExternalIdentityStore(new Transactions(dataSource, dialect));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchUserException if the users table has no row for the identity's user
     */
    @Override
    public void link(ExternalIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        transactions.write("link an external identity", c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setLong(1, identity.userId());
                insert.setString(2, identity.provider());
                insert.setString(3, identity.issuer());
                insert.setString(4, identity.subject());
                Statements.bindNullable(insert, 5, identity.email().orElse(null));
                dialect.bindInstant(insert, 6, identity.linkedAt());
                dialect.bindInstant(insert, 7, identity.lastSignInAt().orElse(null));
                return insert.executeUpdate();
            }
        }, c -> {
            if (findIn(c, identity.issuer(), identity.subject()).isPresent()) {
                return new DuplicateExternalIdentityException();
            }
            return Statements.userExists(c, identity.userId()) ? null : new NoSuchUserException(identity.userId());
        });
    }

    @Override
    public Optional<ExternalIdentity> find(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        if (!ExternalIdentity.isWellFormedKey(issuer, subject)) {
            return Optional.empty();
        }
        return transactions.statement("find an external identity", c -> findIn(c, issuer, subject));
    }

    @Override
    public List<ExternalIdentity> listForUser(long userId) {
        return transactions.statement("list a user's external identities", c -> {
            List<ExternalIdentity> identities = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(LIST)) {
                select.setLong(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        identities.add(read(rows));
                    }
                }
            }
            identities.sort(OLDEST_FIRST);
            return identities;
        });
    }

    @Override
    public boolean unlink(long userId, String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        if (!ExternalIdentity.isWellFormedKey(issuer, subject)) {
            return false;
        }
        return transactions.statement("unlink an external identity", c -> execute(c, UNLINK, userId, issuer, subject) > 0);
    }

    @Override
    public void recordSignIn(String issuer, String subject, Instant at) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Instant kept = StoreLimits.instant("last_sign_in_at", at);
        if (!ExternalIdentity.isWellFormedKey(issuer, subject)) {
            return;
        }
        transactions.statement("record a sign-in with an external identity", c -> {
            try (PreparedStatement update = c.prepareStatement(SIGN_IN)) {
                dialect.bindInstant(update, 1, kept);
                update.setString(2, issuer);
                update.setString(3, subject);
                dialect.bindInstant(update, 4, kept);
                return update.executeUpdate();
            }
        });
    }

    // ================================================================ internals

    private Optional<ExternalIdentity> findIn(Connection c, String issuer, String subject) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(FIND)) {
            select.setString(1, issuer);
            select.setString(2, subject);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private ExternalIdentity read(ResultSet rows) throws SQLException {
        return new ExternalIdentity(
                rows.getLong("user_id"),
                rows.getString("provider"),
                rows.getString("issuer"),
                rows.getString("subject"),
                Optional.ofNullable(rows.getString("email")),
                dialect.readInstant(rows, "linked_at"),
                Optional.ofNullable(dialect.readInstant(rows, "last_sign_in_at")));
    }
}
