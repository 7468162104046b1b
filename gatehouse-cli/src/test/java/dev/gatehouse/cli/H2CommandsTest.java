package dev.gatehouse.cli;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The commands on an H2 file database in a temporary directory. */
class H2CommandsTest extends CommandsContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
