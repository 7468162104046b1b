package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two-factor over the JDBC stores on the PostgreSQL server named by {@code GATEHOUSE_TEST_POSTGRES_URL} (default: the local server). */
class PostgresTwoFactorTest extends JdbcTwoFactorContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
