package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.StoreException;
import dev.gatehouse.user.UserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations on databases that start out empty or already hold an application's tables. Runs on
 * H2 file databases, each test its own; the migrations of every vendor run in the per-vendor
 * store tests.
 */
class JdbcSchemaTest {

    @TempDir
    Path directory;

    private JdbcDatabase database;

    @BeforeEach
    void openDatabase() {
        database = JdbcDatabase.connect("jdbc:h2:file:" + directory.resolve("schema").toAbsolutePath(), "sa", "", 2);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void anEmptyDatabase_isMigratedToTheLatestVersion() {
        JdbcSchema schema = JdbcSchema.of(database.dataSource());
        assertThat(schema.currentVersion()).isEmpty();
        assertThat(schema.hasPendingMigrations()).isTrue();
        assertThat(schema.status()).anySatisfy(m -> {
            assertThat(m.version()).isEqualTo("1");
            assertThat(m.state()).isEqualTo("Pending");
            assertThat(m.applied()).isFalse();
            assertThat(m.installedOn()).isEmpty();
        });

        assertThat(schema.migrate()).isEqualTo(TestSql.VERSIONS.size());

        assertThat(schema.currentVersion()).contains(TestSql.LATEST);
        assertThat(schema.hasPendingMigrations()).isFalse();
    }

    @Test
    void aSchemaWithApplicationTables_getsGatehousesTablesBesideThem() throws SQLException {
        execute("CREATE TABLE app_orders (id INT PRIMARY KEY, item VARCHAR(20))");
        execute("INSERT INTO app_orders VALUES (1, 'book')");
        // The application's own Flyway history must not be mistaken for Gatehouse's.
        execute("CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT PRIMARY KEY)");

        JdbcSchema schema = JdbcSchema.of(database.dataSource());
        assertThat(schema.migrate()).isEqualTo(TestSql.VERSIONS.size());

        assertThat(schema.status()).extracting(SchemaMigration::version, SchemaMigration::state)
                .first().isEqualTo(org.assertj.core.groups.Tuple.tuple("0", "Baseline"));
        assertThat(schema.status().subList(1, schema.status().size()))
                .extracting(SchemaMigration::version, SchemaMigration::state)
                .containsExactly(TestSql.allApplied());
        assertThat(query("SELECT item FROM app_orders WHERE id = 1")).isEqualTo("book");
        assertThat(query("SELECT COUNT(*) FROM \"flyway_schema_history\"")).isEqualTo("0");
        UserStore store = JdbcUserStore.builder(database.dataSource()).migrate(false).build();
        assertThat(store.createUser(NewUser.builder("beside@example.com").build()).id()).isPositive();
    }

    @Test
    void create_migratesByDefault() {
        UserStore store = JdbcUserStore.create(database.dataSource());

        assertThat(store.createUser(NewUser.builder("auto@example.com").build()).email()).isEqualTo("auto@example.com");
        assertThat(JdbcSchema.of(database.dataSource()).currentVersion()).contains(TestSql.LATEST);
    }

    @Test
    void withoutMigrations_operationsFailWithADescriptiveStoreException() {
        UserStore store = JdbcUserStore.builder(database.dataSource()).migrate(false).build();

        assertThatThrownBy(() -> store.createUser(NewUser.builder("early@example.com").build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("could not create a user (SQLState 42")
                // Schema errors describe the schema, not row values, so their message is kept.
                .cause().hasMessageContaining("GH_");
    }

    @Test
    void aChangedAppliedMigration_isRefused() throws SQLException {
        JdbcSchema schema = JdbcSchema.of(database.dataSource());
        schema.migrate();
        execute("UPDATE \"" + JdbcSchema.HISTORY_TABLE + "\" SET \"checksum\" = 42 WHERE \"version\" = '1'");

        assertThatThrownBy(schema::migrate).isInstanceOf(StoreException.class)
                .hasMessageContaining("could not migrate the Gatehouse schema")
                .hasMessageContaining("checksum");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
