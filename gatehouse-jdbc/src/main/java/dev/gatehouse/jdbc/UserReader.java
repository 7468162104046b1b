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
 * Reads users and roles. A user comes back in three queries whatever it holds: its row, its
 * roles joined with their permissions, and its attributes; a page of users takes the same three
 * queries for the whole page. Callers run these inside one transaction. Stateless apart from the
 * dialect.
 */
final class UserReader {

    static final String USER_COLUMNS = "id, email, username, password_hash, active, confirmed_at, security_stamp,"
            + " created_at, last_login_at, current_login_at, last_login_ip, current_login_ip, login_count";

    private final Dialect dialect;

    UserReader(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The user whose {@code column} equals {@code value}; {@code column} is a constant of the caller. */
    Optional<User> userWhere(Connection connection, String column, Object value) throws SQLException {
        List<User> users = users(connection, "SELECT " + USER_COLUMNS + " FROM gh_users WHERE " + column + " = ?",
                List.of(value));
        return users.stream().findFirst();
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
                    RoleParts parts = byUser.computeIfAbsent(rows.getLong(1), id -> new HashMap<>())
                            .computeIfAbsent(rows.getString(2), name -> new RoleParts(name, new HashSet<>()));
                    parts.description = rows.getString(3);
                    String permission = rows.getString(4);
                    if (permission != null) {
                        parts.permissions.add(permission);
                    }
                }
            }
        }
        byUser.forEach((userId, roles) -> {
            Set<Role> built = new HashSet<>();
            roles.values().forEach(parts -> built.add(parts.toRole()));
            builders.get(userId).roles(built);
        });
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
                    RoleParts parts = roles.computeIfAbsent(rows.getString(1), n -> new RoleParts(n, new HashSet<>()));
                    parts.description = rows.getString(2);
                    String permission = rows.getString(3);
                    if (permission != null) {
                        parts.permissions.add(permission);
                    }
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
