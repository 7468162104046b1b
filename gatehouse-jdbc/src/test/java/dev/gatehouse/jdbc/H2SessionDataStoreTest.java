package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session data store contract and the JDBC session data tests on H2 file databases in
 * temporary directories.
 */
class H2SessionDataStoreTest extends JdbcSessionDataStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
