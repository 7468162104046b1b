package dev.gatehouse.cli;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code db} commands on a new PostgreSQL database; see {@link TestDatabase}. */
class PostgresDbCommandsTest extends DbCommandsContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
