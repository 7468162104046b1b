package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user store contract and the JDBC tests on a fresh database of the PostgreSQL server named
 * by {@code GATEHOUSE_TEST_POSTGRES_URL} (default: the local server); see {@link TestDatabase}.
 */
class PostgresUserStoreTest extends JdbcUserStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String createdAtAsUtcTextSql() {
        return "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM gh_users WHERE id = ?";
    }

    @Override
    protected String sessionTimeZoneSql(boolean east) {
        return east ? "SET TIME ZONE 'Pacific/Kiritimati'" : "SET TIME ZONE 'Pacific/Marquesas'";
    }
}
