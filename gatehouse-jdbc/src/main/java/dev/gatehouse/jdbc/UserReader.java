package dev.gatehouse.jdbc;

import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads users and roles. One user comes back in one statement whatever it holds — its row, its
 * roles joined with their permissions and its attributes, as the three parts of a {@code UNION
 * ALL} — so a single user needs no transaction around its read: a statement sees one snapshot on
 * every supported database. A page of users takes three queries for the whole page, which callers
 * run inside one transaction. Stateless apart from the dialect.
 */
final class UserReader {

    static final String USER_COLUMNS = "id, email, username, password_hash, active, confirmed_at, security_stamp,"
            + " created_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count";

    /** The columns a user is looked up by: each is unique, and each has an index. */
    private static final Map<String, String> ONE_USER = Map.of(
            "id", oneUser("id"),
            "email_key", oneUser("email_key"),
            "username_key", oneUser("username_key"),
            "security_stamp", oneUser("security_stamp"));

    private static final int ROLE_ROW = 1;
    private static final int ATTRIBUTE_ROW = 2;

    private final Dialect dialect;

    UserReader(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The statement reading the user whose {@code column} equals the parameter, given three times.
     * Each row is one part, told by {@code part}: 0 the user's own row; {@value #ROLE_ROW} a role
     * and one of its permissions (or none) in {@code item_name}, {@code item_text}, {@code
     * permission}; {@value #ATTRIBUTE_ROW} an attribute's name and value in {@code item_name},
     * {@code item_text}. The user's columns are NULL in the other parts. Ordered by user, then
     * part, then attribute order, so a user's row comes before its roles and attributes.
     */
    private static String oneUser(String column) {
        String where = " WHERE u." + column + " = ?";
        String noUserColumns = ", NULL".repeat(USER_COLUMNS.split(",").length - 1);
        return "SELECT 0 AS part, u." + USER_COLUMNS.replace(", ", ", u.")
                + ", NULL AS item_name, NULL AS item_text, NULL AS permission, 0 AS item_order FROM gh_users u" + where
                + " UNION ALL SELECT " + ROLE_ROW + ", u.id" + noUserColumns + ", r.name, r.description, p.permission, 0"
                + " FROM gh_users u JOIN gh_user_roles ur ON ur.user_id = u.id JOIN gh_roles r ON r.id = ur.role_id"
                + " LEFT JOIN gh_role_permissions p ON p.role_id = r.id" + where
                + " UNION ALL SELECT " + ATTRIBUTE_ROW + ", u.id" + noUserColumns + ", a.attr_name, a.attr_value, NULL,"
                + " a.attr_order FROM gh_users u JOIN gh_user_attributes a ON a.user_id = u.id" + where
                + " ORDER BY 2, 1, 18";
    }

    /**
     * The user whose {@code column} equals {@code value}, in one statement; {@code column} is one of
     * {@code id}, {@code email_key}, {@code username_key}, {@code security_stamp}.
     */
    Optional<User> userWhere(Connection connection, String column, Object value) throws SQLException {
        String sql = ONE_USER.get(column);
        if (sql == null) {
            throw new IllegalArgumentException("users are not looked up by " + column);
        }
        User.Builder user = null;
        Map<String, RoleParts> roles = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Statements.bind(statement, List.of(value, value, value));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int part = rows.getInt("part");
                    if (part == 0) {
                        if (user != null) {
                            break; // a second user: the column was not unique after all, keep the first
                        }
                        user = userRow(rows);
                    } else if (part == ROLE_ROW) {
                        addRoleRow(roles, rows.getString("item_name"), rows.getString("item_text"), rows.getString("permission"));
                    } else {
                        user.attribute(rows.getString("item_name"), rows.getString("item_text"));
                    }
                }
            }
        }
        if (user == null) {
            return Optional.empty();
        }
        if (!roles.isEmpty()) {
            user.roles(toRoles(roles.values()));
        }
        return Optional.of(user.build());
    }

    Optional<User> user(Connection connection, long id) throws SQLException {
        return userWhere(connection, "id", id);
    }

    /** The user with this id, which must exist: the caller holds its row lock or just wrote it. */
    User existingUser(Connection connection, long id) throws SQLException {
        return user(connection, id).orElseThrow(() -> new IllegalStateException("user " + id + " vanished inside its own transaction"));
    }

    /** Users selected by {@code sql} (selecting {@link #USER_COLUMNS}), in the order it returns them. */
    List<User> users(Connection connection, String sql, List<?> parameters) throws SQLException {
        Map<Long, User.Builder> builders = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Statements.bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    builders.put(rows.getLong("id"), userRow(rows));
                }
            }
        }
        if (builders.isEmpty()) {
            return List.of();
        }
        attachRoles(connection, builders);
        attachAttributes(connection, builders);
        List<User> users = new ArrayList<>(builders.size());
        for (User.Builder builder : builders.values()) {
            users.add(builder.build());
        }
        return users;
    }

    private User.Builder userRow(ResultSet rows) throws SQLException {
        return User.builder(rows.getLong("id"))
                .email(rows.getString("email"))
                .username(rows.getString("username"))
                .passwordHash(rows.getString("password_hash"))
                .active(rows.getBoolean("active"))
                .confirmedAt(dialect.readInstant(rows, "confirmed_at"))
                .securityStamp(rows.getString("security_stamp"))
                .createdAt(dialect.readInstant(rows, "created_at"))
                .lastLoginAt(dialect.readInstant(rows, "last_login_at"))
                .currentLoginAt(dialect.readInstant(rows, "current_login_at"))
                .lastLoginIp(rows.getString("last_login_ip"))
                .currentLoginIp(rows.getString("current_login_ip"))
                .loginCount(rows.getInt("login_count"));
    }

    private void attachRoles(Connection connection, Map<Long, User.Builder> builders) throws SQLException {
        String sql = "SELECT ur.user_id, r.name, r.description, p.permission FROM gh_user_roles ur"
                + " JOIN gh_roles r ON r.id = ur.role_id"
                + " LEFT JOIN gh_role_permissions p ON p.role_id = r.id"
                + " WHERE ur.user_id IN (" + Statements.placeholders(builders.size()) + ")";
        Map<Long, Map<String, RoleParts>> byUser = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Statements.bind(statement, List.copyOf(builders.keySet()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    addRoleRow(byUser.computeIfAbsent(rows.getLong(1), id -> new HashMap<>()), rows.getString(2),
                            rows.getString(3), rows.getString(4));
                }
            }
        }
        byUser.forEach((userId, roles) -> builders.get(userId).roles(toRoles(roles.values())));
    }

    /** Adds one row of a role joined with one of its permissions ({@code null}: it has none). */
    private static void addRoleRow(Map<String, RoleParts> roles, String name, String description, String permission) {
        RoleParts parts = roles.computeIfAbsent(name, n -> new RoleParts(n, new HashSet<>()));
        parts.description = description;
        if (permission != null) {
            parts.permissions.add(permission);
        }
    }

    private static Set<Role> toRoles(Collection<RoleParts> roles) {
        Set<Role> built = new HashSet<>();
        roles.forEach(parts -> built.add(parts.toRole()));
        return built;
    }

    private void attachAttributes(Connection connection, Map<Long, User.Builder> builders) throws SQLException {
        String sql = "SELECT user_id, attr_name, attr_value FROM gh_user_attributes WHERE user_id IN ("
                + Statements.placeholders(builders.size()) + ") ORDER BY user_id, attr_order";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Statements.bind(statement, List.copyOf(builders.keySet()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    builders.get(rows.getLong(1)).attribute(rows.getString(2), rows.getString(3));
                }
            }
        }
    }

    /** The role with this name, with its permissions. */
    Optional<Role> role(Connection connection, String name) throws SQLException {
        return roles(connection, " WHERE r.name = ?", List.of(name)).stream().findFirst();
    }

    /** Every role, ordered by {@link String#compareTo}: database collations disagree on order. */
    List<Role> roles(Connection connection) throws SQLException {
        List<Role> roles = new ArrayList<>(roles(connection, "", List.of()));
        roles.sort(Comparator.comparing(Role::name));
        return roles;
    }

    private Collection<Role> roles(Connection connection, String where, List<?> parameters) throws SQLException {
        String sql = "SELECT r.name, r.description, p.permission FROM gh_roles r"
                + " LEFT JOIN gh_role_permissions p ON p.role_id = r.id" + where;
        Map<String, RoleParts> roles = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Statements.bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    addRoleRow(roles, rows.getString(1), rows.getString(2), rows.getString(3));
                }
            }
        }
        return roles.values().stream().map(RoleParts::toRole).toList();
    }

    /** A role being assembled from joined rows, one row per permission. */
    private static final class RoleParts {
        final String name;
        final Set<String> permissions;
        String description;

        RoleParts(String name, Set<String> permissions) {
            this.name = name;
            this.permissions = permissions;
        }

        Role toRole() {
            return new Role(name, description, permissions);
        }
    }
}
