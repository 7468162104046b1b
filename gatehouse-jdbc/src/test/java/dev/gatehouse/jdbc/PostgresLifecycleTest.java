package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account lifecycle over the JDBC stores on Postgres. */
class PostgresLifecycleTest extends JdbcLifecycleContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
