package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The Flask-Security database made by {@code tools/fixtures/make_flask_security_db.py} (see the
 * README next to it): the SQLite file, the same tables and rows as SQL for PostgreSQL and MySQL,
 * and what the script recorded — the salt and the plaintext passwords.
 */
final class FlaskFixture {

    /** SECURITY_PASSWORD_SALT of the fixture application (PASSWORD_SALT in the script). */
    static final String SALT = "fixture-salt-3c5e0a9b71d24f68";

    /** The plaintext passwords of the script's USERS; erin has none. */
    static final Map<String, String> PASSWORDS = Map.of(
            "alice@example.com", "alice-old-password-1",
            "bob@example.com", "bob-old-password-22",
            "carol@example.com", "çarol’s pässwörd ﬁve",
            "Dave@Example.COM", "dave-old-password-333");

    private static final String RESOURCES = "/flask-security/";

    private FlaskFixture() {
    }

    /** A copy of the SQLite database in {@code directory}, so tests may change it. */
    static Path sqliteCopy(Path directory) {
        Path copy = directory.resolve("flask-app.sqlite");
        try {
            Files.copy(resource(), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    static String sqliteUrl(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** Runs statements against a SQLite copy, e.g. to make a row Gatehouse refuses. */
    static void sqlite(Path file, String... statements) {
        try (Connection c = DriverManager.getConnection(sqliteUrl(file)); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.executeUpdate(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the Flask-Security tables with their rows, as the script wrote them for {@code dialect} (postgresql, mysql). */
    static void load(DataSource dataSource, String dialect) {
        String script;
        try (InputStream in = FlaskFixture.class.getResourceAsStream(RESOURCES + "fsqla_v3." + dialect + ".sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : script.split(";\n")) {
                String sql = statement.lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip();
                if (!sql.isEmpty()) {
                    s.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code user} row of the SQLite fixture, as the expected values of an import. */
    record Row(long id, String email, Optional<String> username, Optional<String> password, boolean active,
               String fsUniquifier, Optional<Instant> confirmedAt, Optional<Instant> lastLoginAt,
               Optional<Instant> currentLoginAt, Optional<String> lastLoginIp, Optional<String> currentLoginIp,
               int loginCount, Instant createdAt, Optional<String> phone, List<String> roles) {
    }

    /** Every user of the SQLite fixture, in id order. */
    static List<Row> users() {
        Map<Long, List<String>> roles = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(sqliteUrl(resource()) + "?open_mode=1");
             Statement s = c.createStatement()) {
            try (ResultSet links = s.executeQuery("SELECT user_id, name FROM roles_users JOIN role ON role.id = role_id")) {
                while (links.next()) {
                    roles.computeIfAbsent(links.getLong(1), id -> new ArrayList<>()).add(links.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT * FROM user ORDER BY id")) {
                while (r.next()) {
                    rows.add(new Row(r.getLong("id"), r.getString("email"), Optional.ofNullable(r.getString("username")),
                            Optional.ofNullable(r.getString("password")), r.getBoolean("active"),
                            r.getString("fs_uniquifier"), instant(r.getString("confirmed_at")),
                            instant(r.getString("last_login_at")), instant(r.getString("current_login_at")),
                            Optional.ofNullable(r.getString("last_login_ip")),
                            Optional.ofNullable(r.getString("current_login_ip")), r.getInt("login_count"),
                            instant(r.getString("create_datetime")).orElseThrow(),
                            Optional.ofNullable(r.getString("us_phone_number")),
                            roles.getOrDefault(r.getLong("id"), List.of())));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** SQLAlchemy's text for a naive UTC datetime. */
    private static Optional<Instant> instant(String text) {
        return Optional.ofNullable(text).map(t -> LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
    }

    private static Path resource() {
        try {
            return Path.of(FlaskFixture.class.getResource(RESOURCES + "fsqla_v3.sqlite").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
