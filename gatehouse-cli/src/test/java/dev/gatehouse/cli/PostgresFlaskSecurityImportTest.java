package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Flask-Security import into a PostgreSQL database, from the SQLite fixture and from the same
 * Flask-Security tables in PostgreSQL itself — the application's database, shared by both
 * schemas, as during a migration from Flask.
 */
class PostgresFlaskSecurityImportTest extends FlaskSecurityImportContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    TestDatabase database() {
        return DATABASE;
    }

    @Test
    void imports_from_flask_security_tables_in_postgresql() {
        FlaskFixture.load(DATABASE.dataSource(), "postgresql");

        Cli.Result result = importFrom(cli(), Databases.url(DATABASE));
        Cli.Result again = importFrom(cli(), Databases.url(DATABASE));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(PostgreSQL): 3 roles, 5 users.", "(8 changes)");
        assertThat(result.all()).doesNotContain("password=");
        assertImported();
        assertThat(again.out()).contains("(0 changes)");
    }
}
