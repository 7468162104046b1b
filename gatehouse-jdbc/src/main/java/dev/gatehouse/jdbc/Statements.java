package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Binding of plain parameter values; instants go through {@link Dialect#bindInstant}. */
final class Statements {

    private Statements() {
    }

    /** {@code ?, ?, ?} for an IN list of {@code count} values. */
    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** Binds {@code values} from index 1 on. */
    static void bind(PreparedStatement statement, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            bind(statement, i + 1, values.get(i));
        }
    }

    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer n) {
            statement.setInt(index, n);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else {
            throw new IllegalArgumentException("unsupported parameter type: "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }

    /** Runs an INSERT, UPDATE or DELETE with plain parameters (see {@link #bind}); returns the row count. */
    static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, List.of(parameters));
            return statement.executeUpdate();
        }
    }

    /** Whether a query with plain parameters (see {@link #bind}) returns a row. */
    static boolean exists(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, List.of(parameters));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether the user with this id exists. */
    static boolean userExists(Connection connection, long userId) throws SQLException {
        return exists(connection, "SELECT 1 FROM gh_users WHERE id = ?", userId);
    }

    /** Binds a string or SQL NULL. */
    static void bindNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
