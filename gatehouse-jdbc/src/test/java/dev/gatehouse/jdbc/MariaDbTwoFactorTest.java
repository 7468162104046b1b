package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two-factor over the JDBC stores on the MariaDB server named by {@code GATEHOUSE_TEST_MARIADB_URL} (default: the local server). */
class MariaDbTwoFactorTest extends JdbcTwoFactorContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
