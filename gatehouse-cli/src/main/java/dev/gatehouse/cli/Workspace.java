package dev.gatehouse.cli;

import dev.gatehouse.jdbc.JdbcSchema;
import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.jdbc.SchemaMigration;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.user.UserStore;
import java.util.List;
import java.util.Optional;

/**
 * What one command works with: the configuration, the database connection and the user store on
 * it. Closing it closes the connections, which also releases an H2 file for the application.
 */
final class Workspace implements AutoCloseable {

    /** How much of the database a command needs. */
    enum Need {
        /** {@code db migrate}: the database may be new; an embedded H2 file is created. */
        CREATE,
        /** {@code db status}: the database must exist; its schema may be anything. */
        EXISTING,
        /**
         * Gatehouse's tables. Checked only when the database reports an error
         * ({@link #schemaProblem}), so that an everyday command costs one connection, not a
         * Flyway scan as well.
         */
        SCHEMA,
        /** Gatehouse's tables, checked to be up to date before anything else: for the import, which writes many rows. */
        CURRENT_SCHEMA
    }

    private final CliConfig settings;
    private final Database database;
    private final UserStore store;

    private Workspace(CliConfig settings, Database database, UserStore store) {
        this.settings = settings;
        this.database = database;
        this.store = store;
    }

    static Workspace open(CliConfig settings, Need need) {
        Database database = Database.open(settings.dbUrl(), need != Need.CREATE);
        try {
            UserStore store = null;
            if (need == Need.CURRENT_SCHEMA) {
                schemaProblem(database).ifPresent(problem -> {
                    throw problem;
                });
            }
            if (need == Need.SCHEMA || need == Need.CURRENT_SCHEMA) {
                // Migrations are `gatehouse db migrate`'s job, never a side effect of another command.
                store = JdbcUserStore.builder(database.dataSource()).migrate(false).build();
            }
            return new Workspace(settings, database, store);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Why the database is not usable for a command that needs Gatehouse's tables: none there yet,
     * or migrations pending. Empty when the schema is up to date.
     */
    static Optional<CliException> schemaProblem(Database database) {
        List<SchemaMigration> migrations = JdbcSchema.of(database.dataSource()).status();
        long pending = migrations.stream().filter(m -> !m.applied()).count();
        boolean anyApplied = migrations.stream().anyMatch(m -> m.applied() && !m.version().equals("0"));
        if (!anyApplied) {
            return Optional.of(CliException.failure("NO_SCHEMA", "the database at " + database.displayUrl()
                    + " has no Gatehouse tables yet; create them with `gatehouse db migrate`"));
        }
        if (pending > 0) {
            return Optional.of(CliException.failure("SCHEMA_OUTDATED", "the Gatehouse schema at " + database.displayUrl()
                    + " is " + Lookups.count(pending, "migration") + " behind; run `gatehouse db migrate` first"));
        }
        return Optional.empty();
    }

    /**
     * After a database error in a command that needs Gatehouse's tables: the schema problem that
     * explains it, if there is one. Never throws; a database that cannot even be checked has no
     * better explanation to offer.
     */
    static Optional<CliException> schemaProblem(CliConfig settings) {
        try (Database database = Database.open(settings.dbUrl(), true)) {
            return schemaProblem(database);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    CliConfig settings() {
        return settings;
    }

    Database database() {
        return database;
    }

    /** The user store; only for {@link Need#SCHEMA} and {@link Need#CURRENT_SCHEMA}. */
    UserStore store() {
        if (store == null) {
            throw new IllegalStateException("this command opened the database without its schema");
        }
        return store;
    }

    PasswordHasher hasher() {
        return settings.hasher();
    }

    PasswordPolicy policy() {
        return settings.policy();
    }

    @Override
    public void close() {
        database.close();
    }
}
