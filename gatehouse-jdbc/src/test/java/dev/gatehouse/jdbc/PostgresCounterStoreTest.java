package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The counter contract, and durability, on Postgres. */
class PostgresCounterStoreTest extends JdbcCounterStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
