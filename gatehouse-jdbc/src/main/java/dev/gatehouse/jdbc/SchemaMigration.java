package dev.gatehouse.jdbc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One migration of Gatehouse's schema, as {@link JdbcSchema#status()} reports it. Immutable.
 *
 * @param version     e.g. {@code 1}; empty for a repeatable migration
 * @param description e.g. {@code users and roles}
 * @param state       Flyway's state name, e.g. {@code Success}, {@code Pending}, {@code Baseline}
 *                    or {@code Failed}
 * @param applied     whether the database has applied it (successfully or not)
 * @param installedOn when it was applied
 */
public record SchemaMigration(String version, String description, String state, boolean applied,
                              Optional<Instant> installedOn) {

    public SchemaMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(installedOn, "installedOn");
    }
}
