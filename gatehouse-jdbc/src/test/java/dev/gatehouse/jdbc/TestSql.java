package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** Plain SQL and schema metadata for the JDBC store tests, outside any store. */
final class TestSql {

    /** Gatehouse's schema versions, oldest first: the one place tests learn of a new migration. */
    static final java.util.List<String> VERSIONS = java.util.List.of("1", "2", "3", "4", "5", "6", "7");
    static final String LATEST = VERSIONS.get(VERSIONS.size() - 1);

    /** {@code (version, "Success")} for every migration, for comparing with {@code JdbcSchema.status()}. */
    static org.assertj.core.groups.Tuple[] allApplied() {
        return VERSIONS.stream().map(v -> org.assertj.core.groups.Tuple.tuple(v, "Success"))
                .toArray(org.assertj.core.groups.Tuple[]::new);
    }

    private TestSql() {
    }

    /** Runs one statement of test SQL (no parameters, so only for constants). */
    static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of {@code sql}, e.g. a {@code COUNT(*)}. */
    static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection();
             Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Table names in the database, lower case. */
    static List<String> tableNames(DataSource dataSource) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rows = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Lower-case names of the columns that lead an index of {@code table} with the given uniqueness. */
    static List<String> indexedColumns(DataSource dataSource, String table, boolean unique) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rows = meta.getIndexInfo(c.getCatalog(), c.getSchema(), name(meta, table), false, false)) {
                while (rows.next()) {
                    if (rows.getShort("ORDINAL_POSITION") == 1 && rows.getBoolean("NON_UNIQUE") != unique
                            && rows.getString("COLUMN_NAME") != null) {
                        columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return columns;
    }

    /** Lower-case names of the primary key columns of {@code table}, in key order. */
    static List<String> primaryKey(DataSource dataSource, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rows = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), name(meta, table))) {
                while (rows.next()) {
                    columns.add(rows.getShort("KEY_SEQ") - 1, rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    /**
     * The foreign keys of {@code table} as {@code column->table.column ON DELETE rule}, lower
     * case, the rule being {@code CASCADE}, {@code RESTRICT}, ...
     */
    static List<String> foreignKeys(DataSource dataSource, String table) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rows = meta.getImportedKeys(c.getCatalog(), c.getSchema(), name(meta, table))) {
                while (rows.next()) {
                    String rule = switch (rows.getShort("DELETE_RULE")) {
                        case DatabaseMetaData.importedKeyCascade -> "CASCADE";
                        case DatabaseMetaData.importedKeySetNull -> "SET NULL";
                        case DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
                        case DatabaseMetaData.importedKeyRestrict -> "RESTRICT";
                        default -> "NO ACTION";
                    };
                    keys.add((rows.getString("FKCOLUMN_NAME") + "->" + rows.getString("PKTABLE_NAME") + "."
                            + rows.getString("PKCOLUMN_NAME")).toLowerCase(Locale.ROOT) + " ON DELETE " + rule);
                }
            }
        }
        return keys;
    }

    private static String name(DatabaseMetaData meta, String table) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
    }
}
