package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.user.DuplicatePasskeyException;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyStore;
import dev.gatehouse.user.PasskeyUsage;
import dev.gatehouse.user.StoreException;
import dev.gatehouse.user.StoreLimits;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A {@link PasskeyStore} in the database ({@code gh_passkeys}, {@code gh_passkey_users}), beside
 * {@link JdbcUserStore}'s tables.
 *
 * <p>The credential id is the primary key and {@code (user_id, name)} a unique key, so of
 * concurrent registrations the database lets one insert; the others fail with
 * {@link DuplicatePasskeyException}. Rows reference their user ({@code ON DELETE CASCADE}).
 * Binary values (credential id, public key) are kept as base64url text, which every supported
 * database stores and indexes alike.
 *
 * <p>Deadlocks and serialization failures are retried; other failures become
 * {@link StoreException}s with redacted causes. Thread-safe: the store holds no mutable state.
 */
public final class JdbcPasskeyStore implements PasskeyStore {

    private static final String COLUMNS = "credential_id, user_id, name, public_key, sign_count, transports,"
            + " backup_eligible, backed_up, passkey_usage, created_at, last_used_at";
    private static final String INSERT = "INSERT INTO gh_passkeys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gh_passkeys WHERE credential_id = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM gh_passkeys WHERE user_id = ?";
    private static final String RENAME = "UPDATE gh_passkeys SET name = ? WHERE user_id = ? AND credential_id = ?";
    private static final String DELETE = "DELETE FROM gh_passkeys WHERE user_id = ? AND credential_id = ?";
    private static final String USE = "UPDATE gh_passkeys SET sign_count = ?, backed_up = ?, last_used_at = ? WHERE credential_id = ?";
    private static final String HANDLE = "SELECT user_handle FROM gh_passkey_users WHERE user_id = ?";
    private static final String HANDLE_OWNER = "SELECT user_id FROM gh_passkey_users WHERE user_handle = ?";
    private static final String NEW_HANDLE = "INSERT INTO gh_passkey_users (user_id, user_handle) VALUES (?, ?)";

    // Ties are ordered here, not by the database, whose collation may order strings otherwise.
    private static final Comparator<Passkey> OLDEST_FIRST = Comparator.comparing(Passkey::createdAt)
            .thenComparing(Passkey::name);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Transactions transactions;
    private final Dialect dialect;

    private JdbcPasskeyStore(Transactions transactions) {
        this.transactions = transactions;
        this.dialect = transactions.dialect();
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws StoreException if the database is unreachable, unsupported, or a migration fails
     */
    public static JdbcPasskeyStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A store on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcPasskeyStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrate();
        }
        return new JdbcPasskeyStore(new Transactions(dataSource, dialect));
    }

    @Override
    public String userHandle(long userId) {
        Optional<String> existing = transactions.statement("read a passkey user handle", c -> handleOf(c, userId));
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String fresh = BASE64URL.encodeToString(bytes);
        // A concurrent caller may insert first: the conflict check then finds its handle and the retry reads it.
        return transactions.write("create a passkey user handle", c -> {
            Optional<String> now = handleOf(c, userId);
            if (now.isPresent()) {
                return now.get();
            }
            execute(c, NEW_HANDLE, userId, fresh);
            return fresh;
        }, c -> handleOf(c, userId).isPresent() || Statements.userExists(c, userId) ? null : new NoSuchUserException(userId));
    }

    @Override
    public Optional<Long> findUserByHandle(String userHandle) {
        Objects.requireNonNull(userHandle, "userHandle");
        if (userHandle.isEmpty() || userHandle.length() > 64 || !userHandle.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        return transactions.statement("find a passkey user handle", c -> {
            try (PreparedStatement select = c.prepareStatement(HANDLE_OWNER)) {
                select.setString(1, userHandle);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchUserException if the users table has no row for the owner
     */
    @Override
    public void add(Passkey passkey) {
        Objects.requireNonNull(passkey, "passkey");
        transactions.write("add a passkey", c -> {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, passkey.credentialId());
                insert.setLong(2, passkey.userId());
                insert.setString(3, passkey.name());
                insert.setString(4, BASE64URL.encodeToString(passkey.publicKeyCose()));
                insert.setLong(5, passkey.signCount());
                insert.setString(6, passkey.transports().stream().sorted().collect(Collectors.joining(",")));
                insert.setBoolean(7, passkey.backupEligible());
                insert.setBoolean(8, passkey.backedUp());
                insert.setString(9, passkey.usage().code());
                dialect.bindInstant(insert, 10, passkey.createdAt());
                dialect.bindInstant(insert, 11, passkey.lastUsedAt().orElse(null));
                return insert.executeUpdate();
            }
        }, c -> {
            if (findIn(c, passkey.credentialId()).isPresent() || listIn(c, passkey.userId()).stream()
                    .anyMatch(p -> p.name().equals(passkey.name()))) {
                return new DuplicatePasskeyException();
            }
            return Statements.userExists(c, passkey.userId()) ? null : new NoSuchUserException(passkey.userId());
        });
    }

    @Override
    public Optional<Passkey> find(String credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        if (!Passkey.isWellFormedCredentialId(credentialId)) {
            return Optional.empty();
        }
        return transactions.statement("find a passkey", c -> findIn(c, credentialId));
    }

    @Override
    public List<Passkey> listForUser(long userId) {
        return transactions.statement("list a user's passkeys", c -> listIn(c, userId));
    }

    @Override
    public boolean rename(long userId, String credentialId, String newName) {
        Objects.requireNonNull(credentialId, "credentialId");
        Passkey.checkName(Objects.requireNonNull(newName, "newName"));
        if (!Passkey.isWellFormedCredentialId(credentialId)) {
            return false;
        }
        return transactions.write("rename a passkey", c -> execute(c, RENAME, newName, userId, credentialId) > 0,
                c -> listIn(c, userId).stream().anyMatch(p -> p.name().equals(newName)
                        && !p.credentialId().equals(credentialId)) ? new DuplicatePasskeyException() : null);
    }

    @Override
    public boolean delete(long userId, String credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        if (!Passkey.isWellFormedCredentialId(credentialId)) {
            return false;
        }
        return transactions.statement("delete a passkey", c -> execute(c, DELETE, userId, credentialId) > 0);
    }

    @Override
    public void recordUse(String credentialId, long signCount, boolean backedUp, Instant at) {
        Objects.requireNonNull(credentialId, "credentialId");
        Instant kept = StoreLimits.instant("last_used_at", at);
        if (!Passkey.isWellFormedCredentialId(credentialId)) {
            return;
        }
        transactions.statement("record a passkey use", c -> {
            try (PreparedStatement update = c.prepareStatement(USE)) {
                update.setLong(1, signCount);
                update.setBoolean(2, backedUp);
                dialect.bindInstant(update, 3, kept);
                update.setString(4, credentialId);
                return update.executeUpdate();
            }
        });
    }

    // ================================================================ internals

    private Optional<Passkey> findIn(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(FIND)) {
            select.setString(1, credentialId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private List<Passkey> listIn(Connection c, long userId) throws SQLException {
        List<Passkey> passkeys = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(LIST)) {
            select.setLong(1, userId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    passkeys.add(read(rows));
                }
            }
        }
        passkeys.sort(OLDEST_FIRST);
        return passkeys;
    }

    private Passkey read(ResultSet rows) throws SQLException {
        String transports = rows.getString("transports");
        return new Passkey(
                rows.getLong("user_id"),
                rows.getString("credential_id"),
                rows.getString("name"),
                Base64.getUrlDecoder().decode(rows.getString("public_key")),
                rows.getLong("sign_count"),
                transports.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(transports.split(","))),
                rows.getBoolean("backup_eligible"),
                rows.getBoolean("backed_up"),
                PasskeyUsage.fromCode(rows.getString("passkey_usage"))
                        .orElseThrow(() -> new StoreException("unknown passkey usage in gh_passkeys", null)),
                dialect.readInstant(rows, "created_at"),
                Optional.ofNullable(dialect.readInstant(rows, "last_used_at")));
    }

    private static Optional<String> handleOf(Connection c, long userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(HANDLE)) {
            select.setLong(1, userId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }
}
