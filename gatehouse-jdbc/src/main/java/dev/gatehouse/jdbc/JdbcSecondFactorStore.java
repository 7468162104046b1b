package dev.gatehouse.jdbc;

import static dev.gatehouse.jdbc.Statements.bindNullable;
import static dev.gatehouse.jdbc.Statements.execute;

import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.SecondFactorRecord;
import dev.gatehouse.twofactor.SecondFactorStore;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A {@link SecondFactorStore} in the database ({@code gh_second_factors}, {@code gh_recovery_codes}),
 * beside {@link JdbcUserStore}'s tables.
 *
 * <p>The replay guard and single use are single statements the database makes atomic across
 * nodes: {@link #acceptTotpStep} is {@code UPDATE ... WHERE last_totp_step < ?} and
 * {@link #useRecoveryCode} a {@code DELETE} of one digest's row; each succeeds iff it changed a row.
 * Rows reference their user ({@code ON DELETE CASCADE}); recovery codes reference the user's row.
 *
 * <p>Deadlocks and serialization failures are retried; other failures become
 * {@link StoreException}s with redacted causes. Thread-safe: the store holds no mutable state.
 */
public final class JdbcSecondFactorStore implements SecondFactorStore {

    private static final String COLUMNS = "user_id, primary_method, totp_secret, phone_number, sign_in_methods, last_totp_step";
    private static final String FIND = "SELECT " + COLUMNS + " FROM gh_second_factors WHERE user_id = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM gh_second_factors"
            + " WHERE primary_method IS NOT NULL OR sign_in_methods <> '' ORDER BY user_id LIMIT ? OFFSET ?";
    private static final String INSERT = "INSERT INTO gh_second_factors (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE gh_second_factors SET primary_method = ?, totp_secret = ?, phone_number = ?,"
            + " sign_in_methods = ?, last_totp_step = ? WHERE user_id = ?";
    private static final String DELETE = "DELETE FROM gh_second_factors WHERE user_id = ?";
    private static final String ACCEPT_STEP = "UPDATE gh_second_factors SET last_totp_step = ? WHERE user_id = ? AND last_totp_step < ?";
    private static final String CODES = "SELECT digest FROM gh_recovery_codes WHERE user_id = ? ORDER BY digest";
    private static final String DELETE_CODES = "DELETE FROM gh_recovery_codes WHERE user_id = ?";
    private static final String INSERT_CODE = "INSERT INTO gh_recovery_codes (user_id, digest) VALUES (?, ?)";
    private static final String USE_CODE = "DELETE FROM gh_recovery_codes WHERE user_id = ? AND digest = ?";

    private final Transactions transactions;

    private JdbcSecondFactorStore(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws StoreException if the database is unreachable, unsupported, or a migration fails
     */
    public static JdbcSecondFactorStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A store on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcSecondFactorStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrate();
        }
        return new JdbcSecondFactorStore(new Transactions(dataSource, dialect));
    }

    @Override
    public Optional<SecondFactorRecord> find(long userId) {
        return transactions.read("find a user's second factors", c -> findIn(c, userId));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchUserException if the users table has no row for the user
     */
    @Override
    public void save(SecondFactorRecord record) {
        Objects.requireNonNull(record, "record");
        // Of two concurrent first saves one inserts; the other's insert conflicts and it retries as an update.
        transactions.write("save a user's second factors", c -> {
            try (PreparedStatement update = c.prepareStatement(UPDATE)) {
                bindFields(update, 1, record);
                update.setLong(6, record.userId());
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                        insert.setLong(1, record.userId());
                        bindFields(insert, 2, record);
                        insert.executeUpdate();
                    }
                }
            }
            execute(c, DELETE_CODES, record.userId());
            for (String digest : Set.copyOf(record.recoveryCodeDigests())) {
                execute(c, INSERT_CODE, record.userId(), digest);
            }
            return null;
        }, c -> Statements.userExists(c, record.userId()) ? null : new NoSuchUserException(record.userId()));
    }

    @Override
    public boolean delete(long userId) {
        return transactions.statement("delete a user's second factors", c -> execute(c, DELETE, userId) > 0);
    }

    @Override
    public boolean acceptTotpStep(long userId, long step) {
        return transactions.statement("accept a TOTP step", c -> execute(c, ACCEPT_STEP, step, userId, step) > 0);
    }

    @Override
    public boolean useRecoveryCode(long userId, String digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.isEmpty() || digest.length() > 64) {
            return false;
        }
        return transactions.statement("use a recovery code", c -> execute(c, USE_CODE, userId, digest) > 0);
    }

    @Override
    public List<SecondFactorRecord> list(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        return transactions.read("list second factors", c -> {
            List<SecondFactorRecord> records = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(LIST)) {
                select.setInt(1, limit);
                select.setInt(2, offset);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows, List.of()));
                    }
                }
            }
            List<SecondFactorRecord> complete = new ArrayList<>(records.size());
            for (SecondFactorRecord r : records) {
                complete.add(new SecondFactorRecord(r.userId(), r.primaryMethod(), r.sealedTotpSecret(), r.phoneNumber(),
                        codesOf(c, r.userId()), r.signInMethods(), r.lastTotpStep()));
            }
            return complete;
        });
    }

    // ================================================================ internals

    /** Binds primary method, secret, phone, sign-in methods and last step from {@code index} on. */
    private static void bindFields(PreparedStatement statement, int index, SecondFactorRecord record) throws SQLException {
        bindNullable(statement, index, record.primaryMethod().map(FactorMethod::wireName).orElse(null));
        bindNullable(statement, index + 1, record.sealedTotpSecret().orElse(null));
        bindNullable(statement, index + 2, record.phoneNumber().orElse(null));
        statement.setString(index + 3, record.signInMethods().stream().map(FactorMethod::wireName).sorted()
                .collect(Collectors.joining(",")));
        statement.setLong(index + 4, record.lastTotpStep());
    }

    private static Optional<SecondFactorRecord> findIn(Connection c, long userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(FIND)) {
            select.setLong(1, userId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(read(rows, codesOf(c, userId)));
            }
        }
    }

    private static List<String> codesOf(Connection c, long userId) throws SQLException {
        List<String> digests = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(CODES)) {
            select.setLong(1, userId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    digests.add(rows.getString(1));
                }
            }
        }
        return digests;
    }

    private static SecondFactorRecord read(ResultSet rows, List<String> digests) throws SQLException {
        Set<FactorMethod> methods = EnumSet.noneOf(FactorMethod.class);
        String listed = rows.getString("sign_in_methods");
        if (!listed.isEmpty()) {
            for (String name : listed.split(",")) {
                methods.add(method(name));
            }
        }
        String primary = rows.getString("primary_method");
        return new SecondFactorRecord(rows.getLong("user_id"), primary == null ? Optional.empty() : Optional.of(method(primary)),
                Optional.ofNullable(rows.getString("totp_secret")), Optional.ofNullable(rows.getString("phone_number")),
                digests, methods, rows.getLong("last_totp_step"));
    }

    private static FactorMethod method(String name) {
        return FactorMethod.fromWire(name)
                .orElseThrow(() -> new StoreException("unknown second-factor method in gh_second_factors", null));
    }
}
