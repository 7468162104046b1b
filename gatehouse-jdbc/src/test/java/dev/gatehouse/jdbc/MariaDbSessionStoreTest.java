package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session store contract and the JDBC session tests on fresh databases of the MariaDB server
 * named by {@code GATEHOUSE_TEST_MARIADB_URL} (default: the local server); see {@link TestDatabase}.
 */
class MariaDbSessionStoreTest extends JdbcSessionStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @RegisterExtension
    static final TestDatabase EMPTY = TestDatabase.mariadb();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected TestDatabase emptyDatabase() {
        return EMPTY;
    }
}
