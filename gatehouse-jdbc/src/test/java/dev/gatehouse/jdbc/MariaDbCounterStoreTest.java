package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The counter contract, and durability, on MariaDb. */
class MariaDbCounterStoreTest extends JdbcCounterStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
