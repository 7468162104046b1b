package dev.gatehouse.examples.diary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The diary's entries, in their own table ({@code diary_entries}) next to Gatehouse's, with a
 * foreign key to {@code gh_users}. The table is created by the diary's own Flyway migrations
 * ({@code db/diary/<vendor>}, history table {@value #HISTORY_TABLE}), so Gatehouse's schema and
 * the application's evolve independently. H2 and PostgreSQL. Thread-safe.
 */
public final class Entries {

    /** The tutorial's limit, in characters (code points). */
    public static final int MAX_LENGTH = 280;
    static final String HISTORY_TABLE = "diary_schema_history";

    private static final String COLUMNS = "id, content, created_at, user_id";

    private final DataSource dataSource;
    private final Clock clock;

    private Entries(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * The entries in {@code dataSource}'s database, after migrating the diary's table. Gatehouse's
     * tables must exist already (the foreign key refers to them).
     */
    public static Entries create(DataSource dataSource, Clock clock) {
        Flyway.configure(Entries.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/diary/" + vendor(dataSource))
                .table(HISTORY_TABLE)
                // The schema already holds Gatehouse's tables: start the diary's history at 0.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new Entries(dataSource, clock);
    }

    private static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                return "h2";
            }
            if (product.contains("postgres")) {
                return "postgresql";
            }
            throw new IllegalStateException("the diary runs on H2 or PostgreSQL, not " + product);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** Whether {@code content} may be stored: 1 to {@value #MAX_LENGTH} characters, not only spaces. */
    public static boolean isValid(String content) {
        return content != null && !content.isBlank() && content.codePointCount(0, content.length()) <= MAX_LENGTH
                && content.indexOf('\0') < 0;
    }

    /** Stores a new entry by {@code userId}, timestamped now. */
    public Entry add(long userId, String content) {
        if (!isValid(content)) {
            throw new IllegalArgumentException("an entry has 1 to " + MAX_LENGTH + " characters");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String sql = "INSERT INTO diary_entries (content, created_at, user_id) VALUES (?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, content);
            ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setLong(3, userId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Entry(keys.getLong(1), content, now, userId);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public Optional<Entry> find(long id) {
        List<Entry> found = query("SELECT " + COLUMNS + " FROM diary_entries WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** {@code userId}'s entries, newest first. */
    public List<Entry> byUser(long userId) {
        return query("SELECT " + COLUMNS + " FROM diary_entries WHERE user_id = ? ORDER BY created_at DESC, id DESC", userId);
    }

    /** Everybody's entries, newest first. */
    public List<Entry> all() {
        return query("SELECT " + COLUMNS + " FROM diary_entries ORDER BY created_at DESC, id DESC");
    }

    /** Replaces an entry's content; false if there is no such entry. */
    public boolean update(long id, String content) {
        if (!isValid(content)) {
            throw new IllegalArgumentException("an entry has 1 to " + MAX_LENGTH + " characters");
        }
        return execute("UPDATE diary_entries SET content = ? WHERE id = ?", content, id) == 1;
    }

    /** Deletes an entry; false if there is no such entry. */
    public boolean delete(long id) {
        return execute("DELETE FROM diary_entries WHERE id = ?", id) == 1;
    }

    private List<Entry> query(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private int execute(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            ps.setObject(i + 1, parameters[i]);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("diary database error: " + e.getMessage(), e);
    }
}
