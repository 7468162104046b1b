package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stores created one by one on one database, then {@link JdbcStores#create} on it, run Flyway once
 * in all: each run logs one "Gatehouse schema up to date" line (slf4j-simple logs to standard
 * error in tests), counted here. An explicit {@link JdbcSchema#migrate()} always runs.
 */
class MigrateOnceTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2();

    @Test
    void every_store_and_the_bundle_on_one_data_source_migrate_once() {
        DataSource ds = DATABASE.dataSource();

        long runs = migrationRuns(() -> {
            JdbcUserStore.create(ds);
            JdbcSessionStore.create(ds);
            JdbcCounterStore.create(ds);
            JdbcOutboxStore.create(ds);
            JdbcAuditLog.create(ds);
            JdbcExternalIdentityStore.create(ds);
            JdbcSessionDataStore.create(ds);
            JdbcStores.create(ds);
        });

        assertThat(runs).isEqualTo(1);
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_users")).as("the schema is there").isZero();
        assertThat(migrationRuns(() -> assertThat(JdbcSchema.of(ds).migrate()).isZero()))
                .as("an explicit migrate runs Flyway").isEqualTo(1);
    }

    private static long migrationRuns(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(JdbcSchema.class.getName()) && line.contains("Gatehouse schema up to date")).count();
    }
}
