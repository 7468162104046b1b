package dev.gatehouse.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.user.StoreException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A pool of connections to one database, for {@link JdbcUserStore} and the other JDBC stores.
 * Backed by HikariCP; {@link #close()} closes every pooled connection.
 *
 * <pre>{@code
 * try (JdbcDatabase database = JdbcDatabase.connect("jdbc:postgresql://db:5432/app", "app", secret)) {
 *     UserStore users = JdbcUserStore.create(database.dataSource());
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. The password is handed to the pool and kept nowhere else; {@link #toString()}
 * and error messages show the URL without credentials or parameters.
 */
public final class JdbcDatabase implements AutoCloseable {

    /**
     * The embedded default: an H2 database in the file {@code ./data/gatehouse.mv.db}, relative to
     * the working directory.
     */
    public static final String DEFAULT_EMBEDDED_URL = "jdbc:h2:file:./data/gatehouse";
    /** Pool size of {@link #connect(String, String, String)}. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private final HikariDataSource pool;
    private final String displayUrl;

    private JdbcDatabase(HikariDataSource pool, String displayUrl) {
        this.pool = pool;
        this.displayUrl = displayUrl;
    }

    /** A pool of up to {@value #DEFAULT_POOL_SIZE} connections; see {@link #connect(String, String, String, int)}. */
    public static JdbcDatabase connect(String url, String user, String password) {
        return connect(url, user, password, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens a pool of up to {@code maxPoolSize} connections to {@code url} and checks that one
     * connection can be made. The JDBC drivers for H2, PostgreSQL and MariaDB are on the class
     * path; MySQL's needs adding.
     *
     * @param password may be empty, not {@code null}
     * @throws StoreException if the database cannot be reached or refuses the credentials
     */
    public static JdbcDatabase connect(String url, String user, String password, int maxPoolSize) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
        String displayUrl = displayUrl(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        // A small pool stays small when idle; connections are cheap to reopen.
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setPoolName("gatehouse " + displayUrl);
        config.setConnectionTimeout(10_000);
        try {
            return new JdbcDatabase(new HikariDataSource(config), displayUrl);
        } catch (RuntimeException e) {
            // Hikari repeats the driver's message, which for these failures names the host or user only.
            throw new StoreException("could not connect to " + displayUrl, SqlErrors.redact(e));
        }
    }

    /** The embedded H2 database at {@link #DEFAULT_EMBEDDED_URL}, user {@code sa}. */
    public static JdbcDatabase embedded() {
        return connect(DEFAULT_EMBEDDED_URL, "sa", "");
    }

    /** The pooled data source; valid until {@link #close()}. */
    public DataSource dataSource() {
        return pool;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return pool.isClosed();
    }

    /** Closes every pooled connection; later requests for a connection fail. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /** The URL without credentials or parameters. */
    @Override
    public String toString() {
        return "JdbcDatabase[" + displayUrl + "]";
    }

    /**
     * {@code url} without what may hold credentials: user info before an {@code @}, query
     * parameters after {@code ?}, and H2's {@code ;KEY=value} settings. What messages, logs and
     * pool names show of a JDBC URL, here and in the CLI.
     */
    public static String displayUrl(String url) {
        String shown = url;
        int cut = indexOfAny(shown, '?', ';');
        if (cut >= 0) {
            shown = shown.substring(0, cut);
        }
        int scheme = shown.indexOf("//");
        if (scheme >= 0) {
            int at = shown.lastIndexOf('@');
            if (at > scheme) {
                shown = shown.substring(0, scheme + 2) + shown.substring(at + 1);
            }
        }
        return shown;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
