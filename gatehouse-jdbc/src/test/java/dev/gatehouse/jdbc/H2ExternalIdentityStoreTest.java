package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external identity store contract and the JDBC external identity tests on H2 file databases
 * in temporary directories.
 */
class H2ExternalIdentityStoreTest extends JdbcExternalIdentityStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
