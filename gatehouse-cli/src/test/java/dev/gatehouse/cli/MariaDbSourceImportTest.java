package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Flask-Security import from tables as SQLAlchemy creates them for MySQL, on MariaDB, into H2,
 * with a {@code jdbc:mysql:} URL as a Flask operator would write it.
 */
class MariaDbSourceImportTest {

    @RegisterExtension
    static final TestDatabase TARGET = TestDatabase.h2().withGatehouseSchema();

    @RegisterExtension
    static final TestDatabase SOURCE = TestDatabase.mariadb();

    @Test
    void imports_from_flask_security_tables_in_mysql() {
        FlaskFixture.load(SOURCE.dataSource(), "mysql");
        String url = Databases.url(SOURCE).replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");

        Cli.Result result = Cli.on(Databases.url(TARGET)).run("import", "flask-security", "--from", url);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("3 roles, 5 users.", "(8 changes)");
        assertThat(result.all()).doesNotContain("password=");
        // MySQL DATETIME columns made by SQLAlchemy keep whole seconds; MariaDB truncates the rest.
        FlaskSecurityImportContract.assertImported(Databases.store(TARGET), ChronoUnit.SECONDS);
    }
}
