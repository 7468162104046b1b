package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session store contract and the JDBC session tests on H2 file databases in temporary directories. */
class H2SessionStoreTest extends JdbcSessionStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @RegisterExtension
    static final TestDatabase EMPTY = TestDatabase.h2();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected TestDatabase emptyDatabase() {
        return EMPTY;
    }
}
