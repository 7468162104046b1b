package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session data store contract and the JDBC session data tests on fresh databases of the
 * MariaDB server named by {@code GATEHOUSE_TEST_MARIADB_URL} (default: the local server).
 */
class MariaDbSessionDataStoreTest extends JdbcSessionDataStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
