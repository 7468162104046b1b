package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user store contract and the JDBC tests on a fresh database of the MariaDB server named by
 * {@code GATEHOUSE_TEST_MARIADB_URL} (default: the local server); see {@link TestDatabase}.
 */
class MariaDbUserStoreTest extends JdbcUserStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.mariadb().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String createdAtAsUtcTextSql() {
        return "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') FROM gh_users WHERE id = ?";
    }

    @Override
    protected String sessionTimeZoneSql(boolean east) {
        // Offsets, because named zones need the server's time zone tables loaded.
        return east ? "SET time_zone = '+13:00'" : "SET time_zone = '-09:30'";
    }
}
