package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The second-factor store contract and the JDBC second-factor tests on H2 file databases in temporary directories. */
class H2SecondFactorStoreTest extends JdbcSecondFactorStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }
}
