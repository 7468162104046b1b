package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.password.HashScheme;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse import flask-security} from the SQLite database the real Flask-Security made
 * ({@link FlaskFixture}) into one Gatehouse database; a subclass per database supplies it. Each test
 * starts from empty Gatehouse tables and a fresh copy of the Flask database.
 */
abstract class FlaskSecurityImportContract {

    abstract TestDatabase database();

    @TempDir
    Path dir;

    Path flask;
    UserStore store;

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM gh_users");
            s.executeUpdate("DELETE FROM gh_roles");
        }
        store = Databases.store(database());
        flask = FlaskFixture.sqliteCopy(dir);
    }

    Cli cli() {
        return Cli.on(Databases.url(database()));
    }

    Cli.Result importFrom(Cli cli, String url, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "import";
        args[1] = "flask-security";
        args[2] = "--from=" + url;
        System.arraycopy(more, 0, args, 3, more.length);
        return cli.run(args);
    }

    Cli.Result importFlask(Cli cli, String... more) {
        return importFrom(cli, FlaskFixture.sqliteUrl(flask), more);
    }

    List<User> allUsers() {
        return store.listUsers(UserQuery.firstPage(100)).items();
    }

    void assertImported() {
        assertImported(store, ChronoUnit.MICROS);
    }

    @Test
    void imports_users_roles_links_confirmation_tracking_and_keeps_hashes_and_uniquifiers() {
        Cli.Result result = importFlask(cli());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertImported();
        assertThat(result.out()).contains("(SQLite): 3 roles, 5 users.", "Created 3 roles; 5 users (8 changes).");
        assertThat(result.err())
                .contains("warning: user Dave@Example.COM: its authenticator secret (tf_totp_secret) cannot be read: it is"
                        + " encrypted (tag 1) and no TOTP secrets were given (--totp-secrets); imported without its second"
                        + " factor, so the password alone will sign it in")
                .contains("warning: 4 users got Flask-Security password hashes ({fs})", "GATEHOUSE_PASSWORD_SALT");
    }

    @Test
    void a_second_import_changes_nothing() {
        assertThat(importFlask(cli()).exitCode()).isZero();
        List<User> before = allUsers();
        List<Role> rolesBefore = store.listRoles();

        Cli.Result again = importFlask(cli(), "--json");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode report = again.json();
        assertThat(report.path("changes").asInt()).isZero();
        assertThat(report.path("imported").asBoolean()).isTrue();
        assertThat(report.path("users").path("present").asInt()).isEqualTo(5);
        assertThat(report.path("users").path("create").asInt()).isZero();
        assertThat(report.path("roles").path("present").asInt()).isEqualTo(3);
        assertThat(report.path("conflicts")).isEmpty();
        assertThat(allUsers()).isEqualTo(before);
        assertThat(store.listRoles()).isEqualTo(rolesBefore);
        assertThat(importFlask(cli()).out()).contains("Created 0 roles, 3 already there; 0 users, 5 already there (0 changes).");
        assertThat(importFlask(cli(), "--dry-run").out()).contains("role admin: already there, the same",
                "user alice@example.com: already imported, left as it is", "Would create 0 roles, 3 already there");
    }

    @Test
    void an_imported_user_that_changed_since_is_left_as_it_is() {
        assertThat(importFlask(cli()).exitCode()).isZero();
        assertThat(cli().run("users", "deactivate", "alice@example.com").exitCode()).isZero();
        assertThat(cli().run("roles", "remove", "alice@example.com", "admin").exitCode()).isZero();
        User changed = store.findUserByEmail("alice@example.com").orElseThrow();

        Cli.Result again = importFlask(cli());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 changes)");
        assertThat(store.findUserByEmail("alice@example.com")).contains(changed);
    }

    @Test
    void a_conflicting_user_is_reported_not_overwritten_and_nothing_is_imported() {
        Cli.Result created = cli().run("users", "create", "Alice@example.com", "--username", "al");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        User alice = store.findUserByEmail("alice@example.com").orElseThrow();

        Cli.Result result = importFlask(cli());
        JsonNode json = importFlask(cli(), "--json").json();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error: 1 conflict; nothing was imported:",
                "user alice@example.com (Flask id 1): a Gatehouse user with this email exists (Gatehouse id " + alice.id() + ")",
                "not overwritten");
        assertThat(result.out()).contains("user alice@example.com: CONFLICT", "user bob@example.com: create", "Nothing imported.");
        assertThat(json.path("imported").asBoolean()).isFalse();
        assertThat(json.path("users").path("conflict").asInt()).isEqualTo(1);
        assertThat(json.path("conflicts").get(0).asText()).startsWith("user alice@example.com (Flask id 1)");
        assertThat(allUsers()).containsExactly(alice);
        assertThat(store.listRoles()).isEmpty();
    }

    @Test
    void conflicting_roles_usernames_and_stamps_are_all_reported() {
        assertThat(cli().run("roles", "create", "admin", "-d", "Administrators", "-p", "everything").exitCode()).isZero();
        assertThat(cli().run("users", "create", "robert@example.com", "--username", "BOB").exitCode()).isZero();
        List<User> before = allUsers();

        Cli.Result result = importFlask(cli());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("2 conflicts",
                "role admin: a Gatehouse role with this name exists with other permissions (everything instead of users:read, users:write)",
                "user bob@example.com (Flask id 2): username bob belongs to Gatehouse user robert@example.com");
        assertThat(allUsers()).isEqualTo(before);
        assertThat(store.listRoles()).containsExactly(new Role("admin", "Administrators", Set.of("everything")));
    }

    @Test
    void rows_gatehouse_cannot_store_as_they_are_are_reported_and_nothing_is_imported() {
        FlaskFixture.sqlite(flask,
                "UPDATE user SET email = 'not-an-email' WHERE id = 4",
                "UPDATE user SET password = 'plaintext-password' WHERE id = 2",
                "INSERT INTO user (email, active, fs_uniquifier, create_datetime, update_datetime)"
                        + " VALUES ('ALICE@EXAMPLE.COM', 1, '0123456789abcdef0123456789abcdef', '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
                "UPDATE user SET confirmed_at = 'yesterday' WHERE id = 5");

        Cli.Result result = importFlask(cli());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(
                "user not-an-email (Flask id 4): invalid email address",
                "user bob@example.com (Flask id 2): its password hash is in a format Gatehouse cannot verify",
                "user ALICE@EXAMPLE.COM (Flask id 6): same email as Flask user id 1 when case is ignored",
                "user erin@example.com (Flask id 5): unreadable timestamp confirmed_at \"yesterday\"");
        assertThat(allUsers()).isEmpty();
        assertThat(store.listRoles()).isEmpty();
    }

    @Test
    void a_dry_run_shows_the_plan_and_writes_nothing() {
        // The webauthn package was not installed for the fixture; a table like its model's stands in.
        FlaskFixture.sqlite(flask, "CREATE TABLE webauthn (id INTEGER PRIMARY KEY, user_id INTEGER)",
                "INSERT INTO webauthn (user_id) VALUES (1)");

        Cli.Result result = importFlask(cli().env("GATEHOUSE_PASSWORD_SALT", FlaskFixture.SALT), "--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("warning: 1 WebAuthn credentials (passkeys, security keys) are not imported",
                "note: the salt was not checked; --check-password EMAIL checks it").doesNotContain("({fs})");
        assertThat(result.out()).contains("role admin: create", "user Dave@Example.COM: create",
                "Dry run, nothing written. Would create 3 roles; 5 users (8 changes).");
        assertThat(allUsers()).isEmpty();
        assertThat(store.listRoles()).isEmpty();
    }

    @Test
    void check_password_proves_the_salt_before_anything_is_written() {
        String alice = FlaskFixture.PASSWORDS.get("alice@example.com");

        Cli.Result wrongSalt = importFlask(cli().stdin(alice + "\n"), "--password-salt", "not-the-salt",
                "--check-password", "alice@example.com");
        assertThat(wrongSalt.exitCode()).isEqualTo(1);
        assertThat(wrongSalt.err()).contains("warning: a salt given with --password-salt",
                "the password given for alice@example.com does not match its Flask-Security hash with this salt",
                "Nothing was imported").doesNotContain(alice);
        assertThat(allUsers()).isEmpty();

        Cli.Result noSalt = importFlask(cli().stdin(alice), "--check-password", "alice@example.com");
        assertThat(noSalt.exitCode()).isEqualTo(2);
        assertThat(noSalt.err()).contains("--check-password needs the Flask application's SECURITY_PASSWORD_SALT");

        Cli.Result noPassword = importFlask(cli().env("GATEHOUSE_PASSWORD_SALT", FlaskFixture.SALT).stdin("x"),
                "--check-password", "erin@example.com");
        assertThat(noPassword.exitCode()).isEqualTo(1);
        assertThat(noPassword.err()).contains("erin@example.com has no password");

        Cli.Result viaOption = importFlask(cli().stdin(alice + "\n"), "--password-salt", FlaskFixture.SALT,
                "--check-password", "alice@example.com");
        assertThat(viaOption.exitCode()).as(viaOption.toString()).isZero();
        assertThat(viaOption.err()).doesNotContain(alice)
                // Checked here, but the application reads password-salt from its own configuration.
                .contains("warning: 4 users got Flask-Security password hashes ({fs})");
        assertImported();

        Cli.Result viaSetting = importFlask(cli().env("GATEHOUSE_PASSWORD_SALT", FlaskFixture.SALT).stdin(alice + "\n"),
                "--check-password", "ALICE@example.com", "--json");
        assertThat(viaSetting.exitCode()).as(viaSetting.toString()).isZero();
        assertThat(viaSetting.json().path("password_salt").asText()).isEqualTo("checked");
        assertThat(viaSetting.err()).isEmpty();
    }

    @Test
    void with_single_hash_the_hashes_are_stored_as_they_are() {
        PasswordHasher cheap = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).build();
        String plainHash = cheap.hash("bob-single-password");
        FlaskFixture.sqlite(flask, "UPDATE user SET password = '" + plainHash + "' WHERE id = 2");

        Cli.Result result = importFlask(cli(), "--single-hash");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String stored = store.findUserByEmail("bob@example.com").orElseThrow().passwordHash().orElseThrow();
        assertThat(stored).isEqualTo(plainHash);
        assertThat(PasswordHasher.builder().build().verify("bob-single-password", stored)).isTrue();
        assertThat(result.err()).doesNotContain("{fs}");
    }

    @Test
    void a_missing_or_foreign_source_database_is_reported() {
        Cli.Result missing = importFrom(cli(), FlaskFixture.sqliteUrl(dir.resolve("nope.sqlite")));
        Path other = dir.resolve("other.sqlite");
        FlaskFixture.sqlite(other, "CREATE TABLE posts (id INTEGER PRIMARY KEY)");
        Cli.Result foreign = importFrom(cli(), FlaskFixture.sqliteUrl(other));

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot open the SQLite database jdbc:sqlite:", "nope.sqlite");
        assertThat(dir.resolve("nope.sqlite")).doesNotExist();
        assertThat(foreign.exitCode()).isEqualTo(1);
        assertThat(foreign.err()).contains("has no readable Flask-Security table role");
        assertThat(fails2(importFrom(cli(), FlaskFixture.sqliteUrl(flask), "--bogus"))).contains("--bogus");
    }

    private static String fails2(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        return result.err();
    }

    /**
     * Everything the fixture holds, as Gatehouse now stores it; timestamps as precise as the
     * source kept them (SQLAlchemy's MySQL DATETIME keeps whole seconds).
     */
    static void assertImported(UserStore store, ChronoUnit precision) {
        assertThat(store.listRoles()).containsExactly(
                new Role("admin", "Administrators", Set.of("users:read", "users:write")),
                new Role("editor", "Edits posts", Set.of("posts:edit")),
                new Role("viewer", "", Set.of()));
        List<FlaskFixture.Row> rows = FlaskFixture.users();
        assertThat(store.listUsers(UserQuery.firstPage(100)).items()).hasSize(rows.size());
        for (FlaskFixture.Row row : rows) {
            User user = store.findUserByEmail(row.email()).orElseThrow();
            assertThat(user.email()).isEqualTo(row.email());
            assertThat(user.username()).isEqualTo(row.username());
            assertThat(user.isActive()).isEqualTo(row.active());
            assertThat(user.securityStamp()).as("fs_uniquifier kept").isEqualTo(row.fsUniquifier());
            assertThat(user.passwordHash()).as("hash kept behind {fs}").isEqualTo(row.password().map(p -> "{fs}" + p));
            assertThat(user.confirmedAt()).isEqualTo(row.confirmedAt().map(at -> at.truncatedTo(precision)));
            assertThat(user.lastLoginAt()).isEqualTo(row.lastLoginAt().map(at -> at.truncatedTo(precision)));
            assertThat(user.currentLoginAt()).isEqualTo(row.currentLoginAt().map(at -> at.truncatedTo(precision)));
            assertThat(user.lastLoginIp()).isEqualTo(row.lastLoginIp());
            assertThat(user.currentLoginIp()).isEqualTo(row.currentLoginIp());
            assertThat(user.loginCount()).isEqualTo(row.loginCount());
            assertThat(user.createdAt()).as("create_datetime kept").isEqualTo(row.createdAt().truncatedTo(precision));
            assertThat(user.roleNames()).containsExactlyInAnyOrderElementsOf(row.roles());
            assertThat(user.attribute("us_phone_number")).isEqualTo(row.phone());
        }
        // Spot checks that the fixture is what the comparison above relies on.
        User alice = store.findUserByEmail("alice@example.com").orElseThrow();
        assertThat(alice.loginCount()).isEqualTo(2);
        assertThat(alice.lastLoginIp()).contains("198.51.100.7");
        assertThat(alice.currentLoginIp()).contains("203.0.113.9");
        assertThat(alice.permissions()).containsExactlyInAnyOrder("users:read", "users:write", "posts:edit");
        assertThat(store.findUserByEmail("bob@example.com").orElseThrow().isActive()).isFalse();
        assertThat(store.findUserByEmail("dave@example.com").orElseThrow().attributes()).containsEntry("us_phone_number", "+15555550123");
        assertThat(store.findUserByEmail("erin@example.com").orElseThrow().passwordHash()).isEmpty();
        // The Flask double hash verifies with Flask's salt (bcrypt here; argon2 in the sign-in test).
        PasswordHasher withSalt = PasswordHasher.builder().flaskSecurityPasswordSalt(FlaskFixture.SALT).build();
        assertThat(withSalt.verify(FlaskFixture.PASSWORDS.get("alice@example.com"), alice.passwordHash().orElseThrow())).isTrue();
    }
}
