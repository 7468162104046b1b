package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account lifecycle over the JDBC stores on H2. */
class H2LifecycleTest extends JdbcLifecycleContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
