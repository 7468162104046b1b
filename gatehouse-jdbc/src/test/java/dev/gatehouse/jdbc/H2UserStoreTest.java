package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user store contract and the JDBC tests on an H2 file database in a temporary directory. */
class H2UserStoreTest extends JdbcUserStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @Override
    protected TestDatabase database() {
        return DATABASE;
    }

    @Override
    protected String createdAtAsUtcTextSql() {
        return "SELECT FORMATDATETIME(created_at, 'yyyy-MM-dd HH:mm:ss.SSSSSS', 'en', 'UTC') FROM gh_users WHERE id = ?";
    }

    @Override
    protected String sessionTimeZoneSql(boolean east) {
        return east ? "SET TIME ZONE 'Pacific/Kiritimati'" : "SET TIME ZONE 'Pacific/Marquesas'";
    }
}
