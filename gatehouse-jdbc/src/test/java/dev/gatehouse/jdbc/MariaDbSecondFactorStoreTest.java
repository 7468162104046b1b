package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The second-factor store contract and the JDBC second-factor tests on fresh databases of the MariaDB server named by {@code GATEHOUSE_TEST_MARIADB_URL} (default: the local server). */
class MariaDbSecondFactorStoreTest extends JdbcSecondFactorStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
