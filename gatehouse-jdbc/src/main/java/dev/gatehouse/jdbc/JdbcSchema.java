package dev.gatehouse.jdbc;

import dev.gatehouse.user.StoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gatehouse's tables in a database: brings them up to date and reports their version. The
 * operations behind {@code gatehouse db migrate} and {@code gatehouse db status}.
 *
 * <p>Migrations are run by Flyway from {@code db/gatehouse/{h2,postgresql,mysql}} on the class
 * path, with their own history table {@value #HISTORY_TABLE}, so Gatehouse can share a schema
 * with an application, including one that uses Flyway for its own tables. In a schema that
 * already holds other tables, the first migration records a baseline at version 0 and then
 * creates Gatehouse's tables; nothing outside the {@code gh_} tables is touched.
 *
 * <p>Thread-safe; concurrent {@link #migrate()} calls, even from several processes, are
 * serialized by Flyway's database lock.
 */
public final class JdbcSchema {

    /** The name of Gatehouse's Flyway history table. */
    public static final String HISTORY_TABLE = "gh_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSchema.class);
    /** Data sources this process migrated through; weak, so that a closed pool can go. */
    private static final Set<DataSource> MIGRATED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final DataSource dataSource;
    private final Dialect dialect;

    JdbcSchema(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Gatehouse's schema in the database behind {@code dataSource}.
     *
     * @throws StoreException if the database is unreachable or not supported
     */
    public static JdbcSchema of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new JdbcSchema(dataSource, Dialect.of(dataSource));
    }

    /**
     * Applies every pending migration; does nothing when the schema is up to date.
     *
     * @return how many migrations were applied
     * @throws StoreException if a migration fails or an applied one was changed since
     */
    public int migrate() {
        int applied;
        try {
            applied = flyway().migrate().migrationsExecuted;
        } catch (FlywayException e) {
            throw new StoreException("could not migrate the Gatehouse schema: " + e.getMessage(), e);
        }
        MIGRATED.add(dataSource);
        LOG.info("Gatehouse schema up to date ({} migration{} applied)", applied, applied == 1 ? "" : "s");
        return applied;
    }

    /**
     * {@link #migrate()} unless this process already migrated through this data source: stores
     * created one by one on one database ({@code JdbcUserStore.create(ds)}, {@code JdbcSessionStore.create(ds)},
     * ...) then run Flyway once, not once each.
     */
    int migrateOnce() {
        return MIGRATED.contains(dataSource) ? 0 : migrate();
    }

    /** Every migration Gatehouse knows or the database recorded, oldest first, with its state. */
    public List<SchemaMigration> status() {
        try {
            List<SchemaMigration> migrations = new ArrayList<>();
            for (MigrationInfo info : flyway().info().all()) {
                migrations.add(new SchemaMigration(
                        info.getVersion() == null ? "" : info.getVersion().getVersion(),
                        info.getDescription(),
                        info.getState().getDisplayName(),
                        info.getState().isApplied(),
                        Optional.ofNullable(info.getInstalledOn()).map(java.util.Date::toInstant)));
            }
            return migrations;
        } catch (FlywayException e) {
            throw new StoreException("could not read the Gatehouse schema history: " + e.getMessage(), e);
        }
    }

    /** The version of the newest applied migration; empty for a database Gatehouse never migrated. */
    public Optional<String> currentVersion() {
        try {
            MigrationInfo current = flyway().info().current();
            return current == null || current.getVersion() == null
                    ? Optional.empty() : Optional.of(current.getVersion().getVersion());
        } catch (FlywayException e) {
            throw new StoreException("could not read the Gatehouse schema history: " + e.getMessage(), e);
        }
    }

    /** Whether migrations are waiting to be applied. */
    public boolean hasPendingMigrations() {
        return status().stream().anyMatch(m -> !m.applied());
    }

    private Flyway flyway() {
        return Flyway.configure(JdbcSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .table(HISTORY_TABLE)
                // Sharing a schema with application tables is the normal case, not an error.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load();
    }
}
