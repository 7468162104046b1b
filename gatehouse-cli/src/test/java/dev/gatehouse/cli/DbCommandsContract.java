package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * {@code db status} and {@code db migrate} on a database Gatehouse has never seen, and what the
 * other commands say before it is migrated. A subclass per database supplies a fresh one.
 */
abstract class DbCommandsContract {

    /** A fresh database without Gatehouse's tables. */
    abstract TestDatabase database();

    @Test
    void status_shows_pending_migrations_migrate_applies_them_once_and_commands_need_them() {
        Cli cli = Cli.on(Databases.url(database()));

        Cli.Result before = cli.run("db", "status");
        JsonNode beforeJson = cli.run("db", "status", "--json").json();
        Cli.Result tooEarly = cli.run("users", "list");
        Cli.Result importTooEarly = cli.run("import", "flask-security", "--from", "jdbc:sqlite:/nonexistent.sqlite");
        Cli.Result migrated = cli.run("db", "migrate");
        JsonNode again = cli.run("db", "migrate", "--json").json();
        Cli.Result after = cli.run("db", "status");
        JsonNode afterJson = cli.run("db", "status", "--json").json();
        Cli.Result list = cli.run("users", "list");

        // However many migrations Gatehouse has: all pending before, all applied once after.
        int migrations = beforeJson.path("migrations").size();
        String latest = beforeJson.path("migrations").get(migrations - 1).path("version").asText();
        assertThat(migrations).isPositive();
        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(before.out()).contains("users and roles", "Pending",
                Lookups.count(migrations, "pending migration") + ": run `gatehouse db migrate`");
        assertThat(beforeJson.path("pending").asInt()).isEqualTo(migrations);
        assertThat(beforeJson.path("version").asText()).isEqualTo("none");
        assertThat(tooEarly.exitCode()).isEqualTo(1);
        assertThat(tooEarly.err()).contains("has no Gatehouse tables yet; create them with `gatehouse db migrate`");
        assertThat(importTooEarly.exitCode()).isEqualTo(1);
        assertThat(importTooEarly.err()).contains("has no Gatehouse tables yet");
        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(migrated.out()).contains("Applied " + Lookups.count(migrations, "migration"), "version " + latest + ".");
        assertThat(again.path("applied").asInt()).isZero();
        assertThat(again.path("version").asText()).isEqualTo(latest);
        assertThat(after.out()).contains("Success", "Schema version " + latest, "up to date.").doesNotContain("Pending");
        assertThat(afterJson.path("pending").asInt()).isZero();
        afterJson.path("migrations").forEach(m -> {
            assertThat(m.path("state").asText()).isEqualTo("Success");
            assertThat(m.path("installed_on").isTextual()).isTrue();
        });
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("No users.");
    }
}
