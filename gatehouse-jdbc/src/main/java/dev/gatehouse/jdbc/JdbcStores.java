package dev.gatehouse.jdbc;

import dev.gatehouse.Stores;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Every Gatehouse store on one database — users, sessions, counters, outbox, audit log, external
 * identities, session data, passkeys and second factors — with the schema migrated once (Flyway runs once per data source
 * in a process, however many stores or {@code create} calls share it):
 *
 * <pre>{@code
 * Gatehouse gatehouse = Gatehouse.builder()
 *         .config(config)
 *         .stores(JdbcStores.create(database.dataSource()))
 *         .build();
 * }</pre>
 *
 * Thread-safe, like each of the stores.
 */
public final class JdbcStores implements Stores {

    private final JdbcUserStore users;
    private final JdbcSessionStore sessions;
    private final JdbcCounterStore counters;
    private final JdbcOutboxStore outbox;
    private final JdbcAuditLog auditLog;
    private final JdbcExternalIdentityStore externalIdentities;
    private final JdbcSessionDataStore sessionData;
    private final JdbcPasskeyStore passkeys;
    private final JdbcSecondFactorStore secondFactors;

    private JdbcStores(DataSource dataSource) {
        this.users = JdbcUserStore.builder(dataSource).migrate(false).build();
        this.sessions = JdbcSessionStore.builder(dataSource).migrate(false).build();
        this.counters = JdbcCounterStore.create(dataSource, false);
        this.outbox = JdbcOutboxStore.create(dataSource, false);
        this.auditLog = JdbcAuditLog.create(dataSource, false);
        this.externalIdentities = JdbcExternalIdentityStore.create(dataSource, false);
        this.sessionData = JdbcSessionDataStore.create(dataSource, false);
        this.passkeys = JdbcPasskeyStore.create(dataSource, false);
        this.secondFactors = JdbcSecondFactorStore.create(dataSource, false);
    }

    /**
     * The stores on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcStores create(DataSource dataSource) {
        JdbcSchema.of(Objects.requireNonNull(dataSource, "dataSource")).migrateOnce();
        return new JdbcStores(dataSource);
    }

    /**
     * The stores on {@code dataSource} without touching the schema, for deployments that migrate
     * separately (e.g. with {@code gatehouse db migrate}).
     */
    public static JdbcStores withoutMigration(DataSource dataSource) {
        return new JdbcStores(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public JdbcUserStore users() {
        return users;
    }

    @Override
    public JdbcSessionStore sessions() {
        return sessions;
    }

    @Override
    public JdbcCounterStore counters() {
        return counters;
    }

    @Override
    public JdbcOutboxStore outbox() {
        return outbox;
    }

    @Override
    public JdbcAuditLog auditLog() {
        return auditLog;
    }

    @Override
    public JdbcExternalIdentityStore externalIdentities() {
        return externalIdentities;
    }

    @Override
    public JdbcSessionDataStore sessionData() {
        return sessionData;
    }

    @Override
    public JdbcPasskeyStore passkeys() {
        return passkeys;
    }

    @Override
    public JdbcSecondFactorStore secondFactors() {
        return secondFactors;
    }
}
