package dev.gatehouse.jdbc.testing;

import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.jdbc.JdbcSchema;
import dev.gatehouse.testing.MissingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of its own for one test class: a JUnit 5 extension that creates a fresh database
 * before the class's first test and drops it after the last, even when tests fail.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();
 * }</pre>
 *
 * <ul>
 *   <li><b>H2</b>: a file database in a new temporary directory, deleted afterwards.</li>
 *   <li><b>PostgreSQL / MariaDB</b>: {@code CREATE DATABASE gh_test_<random>} on the server named
 *       by the environment, {@code DROP DATABASE} afterwards. The server defaults to the local one;
 *       override with {@code GATEHOUSE_TEST_POSTGRES_URL}, {@code GATEHOUSE_TEST_POSTGRES_USER},
 *       {@code GATEHOUSE_TEST_POSTGRES_PASSWORD} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres},
 *       {@code postgres}, empty) and {@code GATEHOUSE_TEST_MARIADB_URL}, {@code ..._USER},
 *       {@code ..._PASSWORD} (default {@code jdbc:mariadb://127.0.0.1:3306/}, {@code root}, empty).
 *       The URL names an existing database to connect to for creating the test database.</li>
 *   <li><b>Unreachable server</b>: with {@code CI=true} the test class fails; otherwise its tests
 *       are skipped and a banner on the console says so, so a skipped database never passes
 *       silently.</li>
 * </ul>
 *
 * Not thread-safe: JUnit calls it from one thread per class.
 */
public final class TestDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The database servers the fixture can create databases on. */
    public enum Vendor {
        H2("H2", null, null, null, null),
        POSTGRESQL("PostgreSQL", "GATEHOUSE_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                name -> "CREATE DATABASE " + name + " ENCODING 'UTF8'"),
        MARIADB("MariaDB", "GATEHOUSE_TEST_MARIADB", "jdbc:mariadb://127.0.0.1:3306/", "root",
                name -> "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");

        private final String displayName;
        private final String environmentPrefix;
        private final String defaultUrl;
        private final String defaultUser;
        private final Function<String, String> createDatabase;

        Vendor(String displayName, String environmentPrefix, String defaultUrl, String defaultUser,
               Function<String, String> createDatabase) {
            this.displayName = displayName;
            this.environmentPrefix = environmentPrefix;
            this.defaultUrl = defaultUrl;
            this.defaultUser = defaultUser;
            this.createDatabase = createDatabase;
        }

        public String displayName() {
            return displayName;
        }
    }

    private static final Pattern DATABASE_NAME = Pattern.compile("gh_test_[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vendor vendor;
    private final boolean gatehouseSchema;
    private int activeClasses;
    private String serverUrl;
    private String user;
    private String password;
    private String databaseName;
    private Path h2Directory;
    private String url;
    private JdbcDatabase database;
    private String skipReason;

    private TestDatabase(Vendor vendor, boolean gatehouseSchema) {
        this.vendor = vendor;
        this.gatehouseSchema = gatehouseSchema;
    }

    /** A file database in a temporary directory. */
    public static TestDatabase h2() {
        return new TestDatabase(Vendor.H2, false);
    }

    /** A new database on the PostgreSQL server named by the environment. */
    public static TestDatabase postgres() {
        return new TestDatabase(Vendor.POSTGRESQL, false);
    }

    /** A new database on the MariaDB server named by the environment. */
    public static TestDatabase mariadb() {
        return new TestDatabase(Vendor.MARIADB, false);
    }

    /** The same fixture, with Gatehouse's schema migrated once the database exists. */
    public TestDatabase withGatehouseSchema() {
        return new TestDatabase(vendor, true);
    }

    public Vendor vendor() {
        return vendor;
    }

    /** The JDBC URL of the test database. */
    public String url() {
        return started(url);
    }

    public String user() {
        return started(user);
    }

    public String password() {
        return started(password);
    }

    /** A pool of up to 16 connections to the test database, open for the whole test class. */
    public DataSource dataSource() {
        return started(database).dataSource();
    }

    /** The name of the per-run database; for H2 the file's base name. */
    public String databaseName() {
        return started(databaseName);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // Nested test classes inherit the extension: only the outermost class creates the database.
        if (activeClasses++ > 0) {
            return;
        }
        try {
            start();
        } catch (Throwable t) {
            stop();
            throw t;
        }
    }

    /** Skips each test of a class whose server is unreachable, so reports count them as skipped. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (--activeClasses == 0) {
            stop();
        }
    }

    private void start() throws Exception {
        databaseName = "gh_test_" + HexFormat.of().formatHex(randomBytes());
        if (vendor == Vendor.H2) {
            h2Directory = Files.createTempDirectory("gatehouse-h2-");
            url = "jdbc:h2:file:" + h2Directory.resolve(databaseName).toAbsolutePath();
            user = "sa";
            password = "";
        } else {
            serverUrl = environment(vendor.environmentPrefix + "_URL", vendor.defaultUrl);
            user = environment(vendor.environmentPrefix + "_USER", vendor.defaultUser);
            password = environment(vendor.environmentPrefix + "_PASSWORD", "");
            Connection admin = connectToServer();
            if (admin == null) {
                return;
            }
            try (admin) {
                execute(admin, vendor.createDatabase.apply(checkedName()));
            }
            url = withDatabase(serverUrl, databaseName);
        }
        database = JdbcDatabase.connect(url, user, password, 16);
        if (gatehouseSchema) {
            JdbcSchema.of(database.dataSource()).migrate();
        }
    }

    private void stop() throws Exception {
        Exception failure = null;
        if (database != null) {
            database.close();
            database = null;
        }
        if (vendor != Vendor.H2 && url != null) {
            try (Connection admin = connectToServer()) {
                dropDatabase(admin);
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (h2Directory != null) {
            try (Stream<Path> files = Files.walk(h2Directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(TestDatabase::delete);
            } catch (IOException | UncheckedIOException e) {
                failure = e;
            }
            h2Directory = null;
        }
        url = null;
        if (failure != null) {
            throw new IllegalStateException("could not remove the test database " + databaseName, failure);
        }
    }

    /** A connection to the server's administrative database; {@code null} if unreachable and skipping. */
    private Connection connectToServer() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // Fail fast on a dead host instead of waiting for the OS connect timeout.
        properties.setProperty("connectTimeout", vendor == Vendor.POSTGRESQL ? "5" : "5000");
        try {
            return DriverManager.getConnection(serverUrl, properties);
        } catch (SQLException e) {
            if (url != null) {
                throw e;
            }
            unreachable(e);
            return null;
        }
    }

    private void dropDatabase(Connection admin) throws SQLException {
        String name = checkedName();
        if (vendor == Vendor.POSTGRESQL) {
            // FORCE ends connections a test may have leaked, which would otherwise block the drop.
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                if (!"42601".equals(e.getSQLState())) {
                    throw e;
                }
                // PostgreSQL before 13 has no FORCE.
                execute(admin, "DROP DATABASE IF EXISTS " + name);
            }
        } else {
            execute(admin, "DROP DATABASE IF EXISTS " + name);
        }
    }

    /** Fails with CI=true, otherwise skips the test class with a banner nobody can miss. */
    private void unreachable(SQLException e) {
        String reason = vendor.displayName + " is not reachable at " + JdbcDatabase.displayUrl(serverUrl)
                + " as user " + user + " (" + e.getClass().getSimpleName() + ", SQLState " + e.getSQLState() + ": "
                + e.getMessage() + ")";
        skipReason = MissingService.failOrSkip(vendor.displayName, reason, "Start the server, or point "
                + vendor.environmentPrefix + "_URL, _USER, _PASSWORD at one.", e);
    }

    private String checkedName() {
        // Identifiers cannot be bound as parameters; this one is generated, and checked anyway.
        if (!DATABASE_NAME.matcher(databaseName).matches()) {
            throw new IllegalStateException("unexpected database name " + databaseName);
        }
        return databaseName;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code serverUrl} with its database replaced by {@code name}; parameters are kept. */
    static String withDatabase(String serverUrl, String name) {
        int authority = serverUrl.indexOf("//");
        if (authority < 0) {
            throw new IllegalArgumentException("expected a URL of the form jdbc:<vendor>://host[:port]/[database][?params]: "
                    + JdbcDatabase.displayUrl(serverUrl));
        }
        int query = serverUrl.indexOf('?', authority);
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        int path = base.indexOf('/', authority + 2);
        String hostPart = path < 0 ? base : base.substring(0, path);
        return hostPart + "/" + name + params;
    }

    private static String environment(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("the test database exists only while its test class runs");
        }
        return value;
    }
}
