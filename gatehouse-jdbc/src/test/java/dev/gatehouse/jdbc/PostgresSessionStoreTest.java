package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session store contract and the JDBC session tests on fresh databases of the PostgreSQL server
 * named by {@code GATEHOUSE_TEST_POSTGRES_URL} (default: the local server); see {@link TestDatabase}.
 */
class PostgresSessionStoreTest extends JdbcSessionStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @RegisterExtension
    static final TestDatabase EMPTY = TestDatabase.postgres();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected TestDatabase emptyDatabase() {
        return EMPTY;
    }
}
