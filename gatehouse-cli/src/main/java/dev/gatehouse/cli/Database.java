package dev.gatehouse.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.jdbc.JdbcDatabase;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A small connection pool to the Gatehouse database the command works on, opened from a JDBC URL
 * alone, as the application's {@code db-url} setting gives it: credentials, if any, are part of the
 * URL ({@code ?user=…&password=…}, or H2's {@code ;USER=…;PASSWORD=…}); an H2 URL without a user
 * connects as {@code sa} with an empty password, like {@code JdbcDatabase.embedded()}.
 *
 * <p>Messages show the URL through {@link JdbcDatabase#displayUrl(String)} only, which drops what may hold
 * credentials.
 */
final class Database implements AutoCloseable {

    // H2 error codes (org.h2.api.ErrorCode), matched by number to keep H2 off the compile path.
    private static final int H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS = 90146;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

    private static final Pattern H2_USER = Pattern.compile("(?i);\\s*USER\\s*=");
    private static final Pattern H2_IFEXISTS = Pattern.compile("(?i);\\s*IFEXISTS\\s*=");
    private static final Pattern CREDENTIAL = Pattern.compile("(?i)(password|pwd|user)=[^&;\\s]*");

    private final HikariDataSource pool;
    private final String displayUrl;

    private Database(HikariDataSource pool, String displayUrl) {
        this.pool = pool;
        this.displayUrl = displayUrl;
    }

    /**
     * Opens a pool of up to three connections and checks that one can be made.
     *
     * @param mustExist for an embedded H2 file: refuse to create the database. Only
     *                  {@code db migrate} creates it; anything else in the wrong directory would
     *                  otherwise leave an empty database file behind and report "no tables".
     */
    static Database open(String url, boolean mustExist) {
        String shown = JdbcDatabase.displayUrl(url);
        String jdbcUrl = mustExist && isH2File(url) && !H2_IFEXISTS.matcher(url).find() ? url + ";IFEXISTS=TRUE" : url;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (isH2(url) && !H2_USER.matcher(url).find()) {
            config.setUsername("sa");
            config.setPassword("");
        }
        // One command at a time uses one connection; Flyway may take a second for its lock.
        config.setMaximumPoolSize(3);
        // The connection the pool opens to check the database is kept and used, not opened twice.
        config.setMinimumIdle(1);
        config.setPoolName("gatehouse-cli");
        config.setConnectionTimeout(10_000);
        try {
            return new Database(new HikariDataSource(config), shown);
        } catch (RuntimeException e) {
            throw connectionFailure(url, shown, e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    /** The URL without credentials, for messages. */
    String displayUrl() {
        return displayUrl;
    }

    @Override
    public void close() {
        pool.close();
    }

    static boolean isH2(String url) {
        return url.regionMatches(true, 0, "jdbc:h2:", 0, 8);
    }

    /** An H2 database in a local file (not in memory, not on a server). */
    static boolean isH2File(String url) {
        if (!isH2(url)) {
            return false;
        }
        String rest = url.substring(8).toLowerCase(Locale.ROOT);
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    }

    /** A driver message with anything of the form {@code password=…} or {@code user=…} blanked. */
    static String redact(String message) {
        return message == null ? "" : CREDENTIAL.matcher(message).replaceAll("$1=***");
    }

    private static CliException connectionFailure(String url, String shown, RuntimeException e) {
        SQLException sql = rootSqlException(e);
        if (sql != null && isH2(url)) {
            String file = h2File(url);
            switch (sql.getErrorCode()) {
                case H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS:
                    return CliException.failure("NO_DATABASE", "no Gatehouse database at " + shown + " (" + file
                            + " does not exist); create one with `gatehouse db migrate`, or point --db, --data-dir,"
                            + " GATEHOUSE_DB_URL or db-url at the application's database");
                case H2_DATABASE_ALREADY_OPEN:
                    return CliException.failure("DATABASE_IN_USE", "the H2 database " + file
                            + " is in use by another process (is the application running?). An H2 file database"
                            + " is opened by one process at a time: stop the application, or add ;AUTO_SERVER=TRUE"
                            + " to the URL of both", e);
                case H2_WRONG_USER_OR_PASSWORD:
                    return CliException.failure("DATABASE_LOGIN", "could not connect to " + shown
                            + ": wrong user name or password (give them in the URL: ;USER=...;PASSWORD=...)", e);
                default:
                    break;
            }
        }
        String reason = sql != null ? sql.getMessage() : e.getMessage();
        return CliException.failure("DATABASE_UNREACHABLE", "could not connect to " + shown + ": " + redact(reason), e);
    }

    /** The file H2 keeps a {@code jdbc:h2:[file:]path} database in. */
    private static String h2File(String url) {
        String path = JdbcDatabase.displayUrl(url).substring(8);
        if (path.regionMatches(true, 0, "file:", 0, 5)) {
            path = path.substring(5);
        }
        return path + ".mv.db";
    }

    /** The first SQLException in the cause chain: the driver's own, carrying its error code. */
    static SQLException rootSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
