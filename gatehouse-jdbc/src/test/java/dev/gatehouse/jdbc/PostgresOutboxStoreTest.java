package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.mail.OutboxStore;
import dev.gatehouse.mail.OutboxStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox contract on Postgres. */
class PostgresOutboxStoreTest extends OutboxStoreContract {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.postgres().withGatehouseSchema();

    @Override
    protected OutboxStore newStore() {
        TestSql.execute(DATABASE.dataSource(), "DELETE FROM gh_mail_outbox");
        return JdbcOutboxStore.create(DATABASE.dataSource(), false);
    }
}
