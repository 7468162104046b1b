package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account lifecycle over the JDBC stores on MariaDb. */
class MariaDbLifecycleTest extends JdbcLifecycleContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
