package dev.gatehouse.cli;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The commands on a fresh database of the PostgreSQL server named by
 * {@code GATEHOUSE_TEST_POSTGRES_URL} (default: the local server); see {@link TestDatabase}.
 */
class PostgresCommandsTest extends CommandsContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
