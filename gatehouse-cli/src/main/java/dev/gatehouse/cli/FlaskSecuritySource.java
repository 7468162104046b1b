package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Flask-Security database as written by its SQLAlchemy models ({@code fsqla}, {@code fsqla_v2},
 * {@code fsqla_v3}): tables {@code user}, {@code role} and {@code roles_users}, on SQLite,
 * PostgreSQL or MySQL/MariaDB. Read-only: SQLite files are opened read-only, server databases in
 * a read-only transaction.
 *
 * <p>Flask-Security writes naive UTC timestamps ({@code datetime.utcnow()}), read here as UTC.
 *
 * @param url       the JDBC URL as shown in messages (without credentials)
 * @param product   the database product, e.g. {@code SQLite}
 * @param roles     every role, in id order
 * @param users     every user, in id order
 * @param webauthnCredentials rows of the {@code webauthn} table (not imported), 0 without one
 */
record FlaskSecuritySource(String url, String product, List<SourceRole> roles, List<SourceUser> users,
                           long webauthnCredentials) {

    /** A {@code role} row; {@code permissions} split from Flask-Security's comma-separated text. */
    record SourceRole(long id, String name, Optional<String> description, Set<String> permissions) {
    }

    /**
     * A {@code user} row and the names of its roles. Values are as stored; whether Gatehouse
     * accepts them is decided by the import plan. A timestamp that could not be read is a problem
     * the plan reports.
     */
    record SourceUser(long id, String email, Optional<String> username, Optional<String> password, boolean active,
                      String fsUniquifier, Optional<Instant> confirmedAt, Optional<Instant> lastLoginAt,
                      Optional<Instant> currentLoginAt, Optional<String> lastLoginIp, Optional<String> currentLoginIp,
                      int loginCount, Optional<Instant> createdAt, Optional<String> phoneNumber,
                      SourceFactors factors, Set<String> roleNames, List<String> unreadable) {
    }

    /**
     * The second-factor columns of a {@code user} row, as stored: {@code tf_primary_method},
     * {@code tf_totp_secret} (passlib's TOTP JSON, usually encrypted), {@code tf_phone_number},
     * {@code us_totp_secrets} (a JSON object of method to TOTP JSON), {@code us_phone_number} and
     * {@code mf_recovery_codes}
     * (comma-separated, plain or Fernet-encrypted). {@code toString} shows none of the secrets.
     */
    record SourceFactors(Optional<String> primaryMethod, Optional<String> totpSecret, Optional<String> phoneNumber,
                         Optional<String> signInSecrets, Optional<String> signInPhoneNumber,
                         Optional<String> recoveryCodes) {

        SourceFactors {
            primaryMethod = primaryMethod.filter(v -> !v.isBlank());
            totpSecret = totpSecret.filter(v -> !v.isBlank());
            phoneNumber = phoneNumber.filter(v -> !v.isBlank());
            signInSecrets = signInSecrets.filter(v -> !v.isBlank());
            signInPhoneNumber = signInPhoneNumber.filter(v -> !v.isBlank());
            recoveryCodes = recoveryCodes.filter(v -> !v.isBlank());
        }

        @Override
        public String toString() {
            return "SourceFactors[primaryMethod=" + primaryMethod.orElse("") + "]";
        }
    }

    private static final List<String> REQUIRED_USER_COLUMNS = List.of("id", "email", "password", "active", "fs_uniquifier");

    /**
     * Reads the database at {@code jdbcUrl}. {@code jdbc:mysql:} URLs are read with the MariaDB
     * driver, which speaks to MySQL as well.
     *
     * @throws CliException (failure) if it cannot be opened or does not hold Flask-Security's tables
     */
    static FlaskSecuritySource read(String jdbcUrl) {
        String url = jdbcUrl.strip();
        String shown = JdbcDatabase.displayUrl(url);
        if (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)) {
            url = "jdbc:mariadb:" + url.substring(11);
        }
        boolean sqlite = url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12);
        if (sqlite && !url.contains("open_mode=")) {
            // Read-only, and a missing file is an error rather than a new empty database.
            url = url + (url.contains("?") ? "&" : "?") + "open_mode=1";
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (!sqlite) {
                connection.setReadOnly(true);
                connection.setAutoCommit(false);
                // One snapshot for the three tables.
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            String quote = connection.getMetaData().getIdentifierQuoteString().strip();
            Reader reader = new Reader(connection, quote, sqlite, shown);
            List<SourceRole> roles = reader.roles();
            Map<Long, Set<String>> links = reader.links(roles);
            List<SourceUser> users = reader.users(links);
            long webauthn = reader.countIfExists("webauthn");
            if (!sqlite) {
                connection.rollback();
            }
            return new FlaskSecuritySource(shown, product, roles, users, webauthn);
        } catch (SQLException e) {
            if (sqlite && "SQLITE_CANTOPEN".equals(sqliteCode(e))) {
                throw CliException.failure("NO_SOURCE", "cannot open the SQLite database " + shown
                        + " (no such file, or not readable)", e);
            }
            throw CliException.failure("SOURCE_UNREADABLE", "cannot read the Flask-Security database " + shown + ": "
                    + Database.redact(e.getMessage()), e);
        }
    }

    private static String sqliteCode(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("[") && message.indexOf(']') > 0 ? message.substring(1, message.indexOf(']')) : "";
    }

    /** Reads the tables; identifiers quoted, since {@code user} is reserved in PostgreSQL. */
    private record Reader(Connection connection, String quote, boolean sqlite, String shown) {

        List<SourceRole> roles() throws SQLException {
            List<SourceRole> roles = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = query(statement, "role", "id")) {
                Set<String> columns = columns(rows);
                require(columns, List.of("id", "name"), "role");
                while (rows.next()) {
                    roles.add(new SourceRole(rows.getLong("id"), rows.getString("name"),
                            text(rows, columns, "description"), split(text(rows, columns, "permissions"))));
                }
            }
            return roles;
        }

        Map<Long, Set<String>> links(List<SourceRole> roles) throws SQLException {
            Map<Long, String> names = new HashMap<>();
            roles.forEach(role -> names.put(role.id(), role.name()));
            Map<Long, Set<String>> links = new HashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = query(statement, "roles_users", "user_id")) {
                require(columns(rows), List.of("user_id", "role_id"), "roles_users");
                while (rows.next()) {
                    long userId = rows.getLong("user_id");
                    boolean nullUser = rows.wasNull();
                    String role = names.get(rows.getLong("role_id"));
                    if (!nullUser && !rows.wasNull() && role != null) {
                        links.computeIfAbsent(userId, id -> new LinkedHashSet<>()).add(role);
                    }
                }
            }
            return links;
        }

        List<SourceUser> users(Map<Long, Set<String>> links) throws SQLException {
            List<SourceUser> users = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = query(statement, "user", "id")) {
                Set<String> columns = columns(rows);
                require(columns, REQUIRED_USER_COLUMNS, "user");
                Map<String, Integer> types = types(rows);
                while (rows.next()) {
                    long id = rows.getLong("id");
                    List<String> unreadable = new ArrayList<>();
                    int count = columns.contains("login_count") ? rows.getInt("login_count") : 0;
                    users.add(new SourceUser(id, rows.getString("email"),
                            text(rows, columns, "username"), text(rows, columns, "password"),
                            rows.getBoolean("active"), rows.getString("fs_uniquifier"),
                            instant(rows, columns, types, "confirmed_at", unreadable),
                            instant(rows, columns, types, "last_login_at", unreadable),
                            instant(rows, columns, types, "current_login_at", unreadable),
                            text(rows, columns, "last_login_ip"), text(rows, columns, "current_login_ip"),
                            count,
                            instant(rows, columns, types, "create_datetime", unreadable),
                            text(rows, columns, "us_phone_number"),
                            new SourceFactors(text(rows, columns, "tf_primary_method"),
                                    text(rows, columns, "tf_totp_secret"), text(rows, columns, "tf_phone_number"),
                                    text(rows, columns, "us_totp_secrets"), text(rows, columns, "us_phone_number"),
                                    text(rows, columns, "mf_recovery_codes")),
                            links.getOrDefault(id, Set.of()), unreadable));
                }
            }
            return users;
        }

        long countIfExists(String table) throws SQLException {
            try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                boolean found = false;
                while (tables.next()) {
                    found |= table.equalsIgnoreCase(tables.getString("TABLE_NAME"));
                }
                if (!found) {
                    return 0;
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + quoted(table))) {
                rows.next();
                return rows.getLong(1);
            }
        }

        private ResultSet query(Statement statement, String table, String orderBy) throws SQLException {
            try {
                return statement.executeQuery("SELECT * FROM " + quoted(table) + " ORDER BY " + quoted(orderBy));
            } catch (SQLException e) {
                throw CliException.failure("NOT_FLASK_SECURITY", shown + " has no readable Flask-Security table "
                        + table + " (" + Database.redact(e.getMessage()) + "); is it the Flask application's database?", e);
            }
        }

        private String quoted(String identifier) {
            return quote + identifier + quote;
        }

        private void require(Set<String> columns, List<String> required, String table) {
            List<String> missing = required.stream().filter(c -> !columns.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw CliException.failure("NOT_FLASK_SECURITY", "table " + table + " of " + shown + " has no column "
                        + String.join(", ", missing) + (missing.contains("fs_uniquifier")
                        ? " (Flask-Security before 4.0: upgrade the application's schema first)" : ""));
            }
        }

        private static Set<String> columns(ResultSet rows) throws SQLException {
            return types(rows).keySet();
        }

        private static Map<String, Integer> types(ResultSet rows) throws SQLException {
            ResultSetMetaData meta = rows.getMetaData();
            Map<String, Integer> types = new HashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
            }
            return types;
        }

        private static Optional<String> text(ResultSet rows, Set<String> columns, String column) throws SQLException {
            if (!columns.contains(column)) {
                return Optional.empty();
            }
            return Optional.ofNullable(rows.getString(column));
        }

        /**
         * A timestamp column. SQLite keeps SQLAlchemy's text ({@code 2024-05-01 10:20:30.123456});
         * the servers keep {@code TIMESTAMP}/{@code DATETIME} without zone, read as wall-clock time
         * so the JVM's zone cannot shift it.
         */
        private Optional<Instant> instant(ResultSet rows, Set<String> columns, Map<String, Integer> types,
                                          String column, List<String> unreadable) throws SQLException {
            if (!columns.contains(column)) {
                return Optional.empty();
            }
            if (!sqlite) {
                int type = types.get(column);
                if (type == Types.TIMESTAMP_WITH_TIMEZONE) {
                    return Optional.ofNullable(rows.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
                }
                if (type == Types.TIMESTAMP || type == Types.DATE) {
                    return Optional.ofNullable(rows.getObject(column, LocalDateTime.class))
                            .map(t -> t.toInstant(ZoneOffset.UTC));
                }
            }
            String text = rows.getString(column);
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            Optional<Instant> parsed = parse(text.strip());
            if (parsed.isEmpty()) {
                unreadable.add(column + " \"" + text + "\"");
            }
            return parsed;
        }

        private static Optional<Instant> parse(String text) {
            String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + "T" + text.substring(11) : text;
            try {
                return Optional.of(OffsetDateTime.parse(iso).toInstant());
            } catch (DateTimeParseException notOffset) {
                try {
                    return Optional.of(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }
        }

        private static Set<String> split(Optional<String> permissions) {
            Set<String> split = new LinkedHashSet<>();
            permissions.ifPresent(text -> {
                for (String permission : text.split(",")) {
                    if (!permission.isBlank()) {
                        split.add(permission.strip());
                    }
                }
            });
            return split;
        }
    }
}
