package dev.gatehouse.cli;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Flask-Security import into an H2 file database. */
class H2FlaskSecurityImportTest extends FlaskSecurityImportContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    TestDatabase database() {
        return DATABASE;
    }
}
