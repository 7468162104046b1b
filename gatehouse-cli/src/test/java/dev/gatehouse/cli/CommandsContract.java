package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.jdbc.JdbcAuditLog;
import dev.gatehouse.jdbc.JdbcCounterStore;
import dev.gatehouse.jdbc.JdbcExternalIdentityStore;
import dev.gatehouse.jdbc.JdbcSecondFactorStore;
import dev.gatehouse.jdbc.JdbcSessionDataStore;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.SessionData;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.SecondFactorRecord;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code users} and {@code roles} command, run through the real command line against one
 * database; a subclass per database supplies it. Each test starts from empty tables.
 *
 * <p>New passwords are hashed with the configured scheme, here the default argon2id: the tests
 * check that the command writes exactly what the application would.
 */
abstract class CommandsContract {

    static final String PASSWORD = "correct horse battery";
    /** What the default argon2id writes: the parameters prove the configured scheme was used. */
    static final String DEFAULT_ARGON2 = "$argon2id$v=19$m=19456,t=2,p=1$";
    static final PasswordHasher VERIFIER = PasswordHasher.builder().build();

    abstract TestDatabase database();

    UserStore store;

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM gh_users");
            s.executeUpdate("DELETE FROM gh_roles");
        }
        store = Databases.store(database());
    }

    Cli cli() {
        return Cli.on(Databases.url(database()));
    }

    Cli.Result ok(Cli cli, String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    Cli.Result fails(int exitCode, Cli cli, String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        return result;
    }

    User user(String email) {
        return store.findUserByEmail(email).orElseThrow(() -> new AssertionError("no user " + email));
    }

    void role(String name, String... permissions) {
        ok(cli(), "roles", "create", name, "-p", String.join(",", permissions));
    }

    // ================================================================ users create

    @Test
    void create_stores_the_user_with_a_hash_of_the_configured_scheme_roles_username_and_attributes() {
        role("admin", "users:write");
        role("editor");

        Cli.Result result = ok(cli().stdin(PASSWORD + "\n"), "users", "create", "Alice@Example.com",
                "--username", "alice", "--password-stdin", "-r", "admin", "--role", "editor",
                "--attr", "display_name=Alice A.", "--attr", "locale=fr", "--confirmed");

        User alice = user("alice@example.com");
        assertThat(alice.email()).isEqualTo("Alice@Example.com");
        assertThat(alice.username()).contains("alice");
        assertThat(alice.isActive()).isTrue();
        assertThat(alice.confirmedAt()).isPresent();
        assertThat(alice.roleNames()).containsExactlyInAnyOrder("admin", "editor");
        assertThat(alice.permissions()).containsExactly("users:write");
        assertThat(alice.attributes()).containsExactly(Map.entry("display_name", "Alice A."), Map.entry("locale", "fr"));
        assertThat(alice.passwordHash()).hasValueSatisfying(hash -> {
            assertThat(hash).startsWith(DEFAULT_ARGON2);
            assertThat(VERIFIER.verify(PASSWORD, hash)).isTrue();
        });
        assertThat(result.out()).contains("Created user Alice@Example.com", "with roles admin, editor");
        assertThat(result.all()).doesNotContain(PASSWORD).doesNotContain(alice.passwordHash().get());
    }

    @Test
    void create_reads_one_line_of_standard_input_without_its_line_ending() {
        ok(cli().stdin(PASSWORD + "\r\nsecond line\n"), "users", "create", "a@example.com", "--password-stdin");
        ok(cli().stdin(" spaces count too  "), "users", "create", "b@example.com", "--password-stdin");

        assertThat(VERIFIER.verify(PASSWORD, user("a@example.com").passwordHash().orElseThrow())).isTrue();
        assertThat(VERIFIER.verify(" spaces count too  ", user("b@example.com").passwordHash().orElseThrow())).isTrue();
    }

    @Test
    void a_password_on_the_command_line_works_but_is_warned_about_and_never_echoed() {
        Cli.Result result = ok(cli(), "users", "create", "a@example.com", "--password", PASSWORD);

        assertThat(result.err()).contains("warning:", "--password-stdin");
        assertThat(result.all()).doesNotContain(PASSWORD);
        assertThat(VERIFIER.verify(PASSWORD, user("a@example.com").passwordHash().orElseThrow())).isTrue();
    }

    @Test
    void the_password_policy_refuses_weak_passwords_and_nothing_is_written() {
        Cli.Result tooShort = fails(1, cli().stdin("short\n"), "users", "create", "a@example.com", "--password-stdin");
        Cli.Result common = fails(1, cli().stdin("password1\n"), "users", "create", "a@example.com", "--password-stdin");
        Cli.Result empty = fails(1, cli().stdin("\n"), "users", "create", "a@example.com", "--password-stdin");

        assertThat(tooShort.err()).contains("password refused", "at least 8 characters", "PASSWORD_INVALID_LENGTH")
                .doesNotContain("short\n");
        assertThat(common.err()).contains("PASSWORD_TOO_SIMPLE").doesNotContain("password1");
        assertThat(empty.err()).contains("empty");
        assertThat(store.findUserByEmail("a@example.com")).isEmpty();
    }

    @Test
    void the_policy_refuses_a_password_made_of_the_user_s_own_email_or_username() {
        Cli.Result ownEmail = fails(1, cli().stdin("zebulon.q@example.com\n"), "users", "create", "zebulon.q@example.com",
                "--password-stdin");
        Cli.Result ownName = fails(1, cli().stdin("Quartermaine2024\n"), "users", "create", "z@example.com",
                "--username", "quartermaine", "--password-stdin");
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--username", "zebulonq", "--password-stdin");
        User before = user("alice@example.com");
        Cli.Result change = fails(1, cli().stdin("zebulonq-zebulonq\n"), "users", "change-password", "alice@example.com",
                "--password-stdin");

        for (Cli.Result refused : List.of(ownEmail, ownName, change)) {
            assertThat(refused.err()).contains("PASSWORD_HAS_PERSONAL_INFO");
        }
        assertThat(change.err()).doesNotContain("zebulonq-zebulonq");
        assertThat(store.findUserByEmail("zebulon.q@example.com")).isEmpty();
        assertThat(store.findUserByEmail("z@example.com")).isEmpty();
        assertThat(user("alice@example.com")).isEqualTo(before);
    }

    @Test
    void the_policy_follows_the_configuration() {
        Cli.Result refused = fails(1, cli().env("GATEHOUSE_PASSWORD_LENGTH_MIN", "30").stdin(PASSWORD),
                "users", "create", "a@example.com", "--password-stdin");

        assertThat(refused.err()).contains("at least 30 characters");
        assertThat(store.findUserByEmail("a@example.com")).isEmpty();
    }

    @Test
    void without_a_password_option_a_terminal_is_asked_twice_and_both_must_match() {
        ok(cli().terminal(PASSWORD, PASSWORD), "users", "create", "a@example.com");
        Cli.Result mismatch = fails(1, cli().terminal(PASSWORD, PASSWORD + "!"), "users", "create", "b@example.com");

        assertThat(VERIFIER.verify(PASSWORD, user("a@example.com").passwordHash().orElseThrow())).isTrue();
        assertThat(mismatch.err()).contains("differ");
        assertThat(store.findUserByEmail("b@example.com")).isEmpty();
    }

    @Test
    void without_a_password_and_without_a_terminal_the_user_gets_none_and_a_note_says_so() {
        Cli.Result result = ok(cli(), "users", "create", "a@example.com", "--inactive");

        assertThat(result.err()).contains("no password set");
        User user = user("a@example.com");
        assertThat(user.passwordHash()).isEmpty();
        assertThat(user.isActive()).isFalse();
    }

    @Test
    void create_refuses_a_taken_email_or_username_a_missing_role_and_an_invalid_email() {
        ok(cli(), "users", "create", "alice@example.com", "--username", "alice");

        assertThat(fails(1, cli(), "users", "create", "ALICE@example.com").err())
                .contains("error: a user with email ALICE@example.com exists");
        assertThat(fails(1, cli(), "users", "create", "other@example.com", "--username", "Alice").err())
                .contains("username Alice is taken");
        assertThat(fails(1, cli(), "users", "create", "bob@example.com", "-r", "nosuch").err())
                .contains("no role named nosuch");
        assertThat(fails(1, cli(), "users", "create", "not-an-email").err()).contains("invalid email address");
        assertThat(store.findUserByEmail("bob@example.com")).isEmpty();
        assertThat(store.listUsers(dev.gatehouse.user.UserQuery.firstPage(10)).total()).isEqualTo(1);
    }

    @Test
    void usage_errors_exit_with_2() {
        Cli.Result both = fails(2, cli().stdin(PASSWORD), "users", "create", "a@example.com", "--password-stdin",
                "--password", PASSWORD);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(fails(2, cli(), "users", "create", "a@example.com", "--attr", "novalue").err()).contains("--attr");
        assertThat(fails(2, cli(), "users", "create").err()).contains("EMAIL");
        assertThat(fails(2, cli(), "users", "create", "a@example.com", "--bogus").err()).contains("--bogus");
        assertThat(fails(2, cli(), "users", "list", "--active", "--inactive").err()).contains("mutually exclusive");
        assertThat(fails(2, cli(), "users", "list", "--limit", "0").err()).contains("--limit");
        assertThat(fails(2, cli(), "users").err()).contains("subcommand");
        assertThat(store.findUserByEmail("a@example.com")).isEmpty();
    }

    // ================================================================ activate, deactivate, reset-access

    @Test
    void deactivate_and_activate_by_email_or_username_and_say_when_nothing_changed() {
        ok(cli(), "users", "create", "alice@example.com", "--username", "alice");

        assertThat(ok(cli(), "users", "deactivate", "alice").out()).contains("Deactivated alice@example.com.");
        assertThat(user("alice@example.com").isActive()).isFalse();
        assertThat(ok(cli(), "users", "deactivate", "ALICE@example.com").out()).contains("already inactive");
        JsonNode activated = ok(cli(), "users", "activate", "alice@example.com", "--json").json();
        assertThat(activated.path("changed").asBoolean()).isTrue();
        assertThat(activated.path("active").asBoolean()).isTrue();
        assertThat(user("alice@example.com").isActive()).isTrue();
        assertThat(fails(1, cli(), "users", "activate", "nobody@example.com").err())
                .contains("error: no user with email nobody@example.com");
        assertThat(fails(1, cli(), "users", "deactivate", "nobody").err()).contains("no user with username nobody");
    }

    @Test
    void reset_access_ends_every_session_and_token_but_keeps_the_password() {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--password-stdin");
        User before = user("alice@example.com");
        // The application, on the same database: a session and an API token issued before the reset.
        try (Gatehouse app = Gatehouse.builder().store(store).userCache(false)
                .config(c -> c.set(SECRET, Secret.of("test-secret-test-secret-test-secret-0123456789"))).build()) {
            IssuedSession session = app.sessions().start(before, false, Optional.empty(), ClientInfo.UNKNOWN);
            String token = app.authTokens().issue(before, Instant.now(), session.record().familyId());
            assertThat(app.sessions().resume(session.secret())).isPresent();
            assertThat(app.authTokens().authenticate(token)).isPresent();

            ok(cli(), "users", "reset-access", "alice@example.com");

            User after = user("alice@example.com");
            assertThat(after.securityStamp()).isNotEqualTo(before.securityStamp());
            assertThat(after.passwordHash()).isEqualTo(before.passwordHash());
            assertThat(app.sessions().resume(session.secret())).isEmpty();
            assertThat(app.authTokens().authenticate(token)).isEmpty();
        }
        assertThat(fails(1, cli(), "users", "reset-access", "nobody@example.com").err()).contains("no user with email");
    }

    /** Second factors as the application stores them: a sealed secret, a phone, two recovery code digests. */
    SecondFactorRecord factors(long userId, FactorMethod method) {
        SecondFactorRecord record = new SecondFactorRecord(userId, Optional.of(method), Optional.of("s1.key.sealed"),
                Optional.of("+4915112345678"), List.of("a".repeat(64), "b".repeat(64)), Set.of(FactorMethod.EMAIL), 0);
        JdbcSecondFactorStore.create(database().dataSource(), false).save(record);
        return record;
    }

    @Test
    void reset_access_also_removes_second_factors_and_recovery_codes_and_records_it() {
        ok(cli(), "users", "create", "alice@example.com");
        ok(cli(), "users", "create", "bob@example.com");
        User alice = user("alice@example.com");
        factors(alice.id(), FactorMethod.AUTHENTICATOR);
        factors(user("bob@example.com").id(), FactorMethod.SMS);

        Cli.Result reset = ok(cli(), "users", "reset-access", "alice@example.com");
        JsonNode again = ok(cli(), "users", "reset-access", "alice@example.com", "--json").json();

        assertThat(reset.out()).contains("second factors and recovery codes are removed");
        assertThat(again.path("second_factors_removed").asBoolean()).isFalse();
        JdbcSecondFactorStore stored = JdbcSecondFactorStore.create(database().dataSource(), false);
        assertThat(stored.find(alice.id())).isEmpty();
        assertThat(stored.find(user("bob@example.com").id())).as("only alice's").isPresent();
        assertThat(JdbcAuditLog.create(database().dataSource(), false).forUser(alice.id(), 10, Optional.empty()))
                .extracting(dev.gatehouse.event.AuditEntry::type).contains("tf_disabled");
    }

    @Test
    void show_and_the_two_factor_report_tell_the_method_a_masked_phone_and_the_codes_left() {
        ok(cli(), "users", "create", "alice@example.com");
        ok(cli(), "users", "create", "bob@example.com");
        ok(cli(), "users", "create", "carol@example.com");
        factors(user("alice@example.com").id(), FactorMethod.SMS);
        factors(user("carol@example.com").id(), FactorMethod.AUTHENTICATOR);

        Cli.Result text = ok(cli(), "users", "show", "alice@example.com");
        JsonNode json = ok(cli(), "users", "show", "alice@example.com", "--json").json().path("two_factor");
        assertThat(text.out()).contains("two-factor:", "sms, phone +49********678", "sign-in codes:  email",
                "recovery codes: 2 left").doesNotContain("+4915112345678", "s1.key.sealed");
        assertThat(json.path("method").asText()).isEqualTo("sms");
        assertThat(json.path("phone").asText()).isEqualTo("+49********678");
        assertThat(json.path("recovery_codes_left").asInt()).isEqualTo(2);
        assertThat(json.path("sign_in_methods").toString()).isEqualTo("[\"email\"]");
        assertThat(ok(cli(), "users", "show", "bob@example.com").out()).contains("two-factor:     off", "recovery codes: 0 left");

        Cli.Result report = ok(cli(), "users", "two-factor");
        assertThat(report.out()).contains("METHOD", "alice@example.com", "sms", "carol@example.com", "authenticator")
                .doesNotContain("bob@example.com", "+4915112345678");
        JsonNode page = ok(cli(), "users", "two-factor", "--limit", "1", "--json").json();
        assertThat(page.path("has_next").asBoolean()).isTrue();
        assertThat(page.path("users").size()).isEqualTo(1);
        assertThat(page.path("users").get(0).path("email").asText()).isEqualTo("alice@example.com");
        assertThat(ok(cli(), "users", "two-factor", "--offset", "2").out()).contains("No users at offset 2.");
        assertThat(fails(2, cli(), "users", "two-factor", "--limit", "0").err()).contains("--limit");
    }

    // ================================================================ unlock

    @Test
    void unlock_ends_a_lockout_the_application_recorded_and_says_when_there_was_none() {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--username", "alice", "--password-stdin");
        User alice = user("alice@example.com");
        // The application, on the same database: its counters and audit log, the default lockout settings.
        try (Gatehouse app = Gatehouse.builder().store(store).userCache(false)
                .counterStore(JdbcCounterStore.create(database().dataSource(), false))
                .auditLog(JdbcAuditLog.create(database().dataSource(), false))
                .config(c -> c.set(SECRET, Secret.of("test-secret-test-secret-test-secret-0123456789"))
                        .set(LOCKOUT_MAX_ATTEMPTS, 3)).build()) {
            for (int i = 0; i < 3; i++) {
                app.lockout().recordFailure(alice, ClientInfo.UNKNOWN);
            }
            assertThat(app.lockout().status(alice.id())).as("locked by the application").isPresent();

            assertThat(ok(cli(), "users", "unlock", "alice").out()).contains("Unlocked alice@example.com.");

            assertThat(app.lockout().status(alice.id())).isEmpty();
            assertThat(app.auditLog().forUser(alice.id(), 10, Optional.empty()))
                    .anyMatch(e -> e.type().equals("user_unlocked") && e.details().equals(Map.of("how", "admin")));
            // Its failures are forgotten too: one more wrong password does not lock it again.
            app.lockout().recordFailure(alice, ClientInfo.UNKNOWN);
            assertThat(app.lockout().status(alice.id())).isEmpty();
        }
        JsonNode again = ok(cli(), "users", "unlock", "alice@example.com", "--json").json();
        assertThat(again.path("was_locked").asBoolean()).isFalse();
        assertThat(again.path("unlocked").asBoolean()).isTrue();
        assertThat(ok(cli(), "users", "unlock", "alice@example.com").out()).contains("alice@example.com was not locked.");
        assertThat(fails(1, cli(), "users", "unlock", "nobody@example.com").err()).contains("no user with email");
        assertThat(fails(1, cli().env("GATEHOUSE_LOCKOUT_ENABLED", "false"), "users", "unlock", "alice").err())
                .contains("lockout-enabled is false");
    }

    // ================================================================ sessions end-all

    @Test
    void sessions_end_all_asks_first_then_signs_every_user_out_and_deletes_the_stored_sessions_asvs_7_4_5()
            throws SQLException {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--password-stdin");
        ok(cli().stdin(PASSWORD), "users", "create", "bob@example.com", "--password-stdin");
        User alice = user("alice@example.com");
        User bob = user("bob@example.com");
        // The application, on the same database: sessions (one remembered) and an API token.
        try (Gatehouse app = Gatehouse.builder().store(store).userCache(false)
                .sessionStore(dev.gatehouse.jdbc.JdbcSessionStore.builder(database().dataSource()).migrate(false).build())
                .config(c -> c.set(SECRET, Secret.of("test-secret-test-secret-test-secret-0123456789"))).build()) {
            IssuedSession aliceSession = app.sessions().start(alice, true, Optional.empty(), ClientInfo.UNKNOWN);
            IssuedSession bobSession = app.sessions().start(bob, false, Optional.empty(), ClientInfo.UNKNOWN);
            String bobToken = app.authTokens().issue(bob, Instant.now(), bobSession.record().familyId());
            // A provider's (sealed) tokens attached to alice's sign-in.
            JdbcSessionDataStore data = JdbcSessionDataStore.create(database().dataSource(), false);
            data.put(new SessionData(aliceSession.record().familyId(), "oidc:tokens", alice.id(), "s1.sealed",
                    Instant.now().plusSeconds(3600)));

            assertThat(fails(2, cli(), "sessions", "end-all").err()).contains("--yes");
            assertThat(fails(1, cli().terminal("n"), "sessions", "end-all").err()).contains("nothing ended");
            assertThat(app.sessions().resume(aliceSession.secret())).isPresent();
            assertThat(app.authTokens().authenticate(bobToken)).isPresent();

            Cli.Result ended = ok(cli().terminal("y"), "sessions", "end-all");

            assertThat(ended.out()).contains(
                    "Signed out 2 users everywhere; deleted 3 stored session records and 1 value attached to them.");
            assertThat(data.find(aliceSession.record().familyId(), "oidc:tokens")).isEmpty();
            assertThat(app.sessions().resume(aliceSession.secret())).isEmpty();
            assertThat(app.sessions().restore(aliceSession.rememberSecret().orElseThrow(), ClientInfo.UNKNOWN)).isEmpty();
            assertThat(app.sessions().resume(bobSession.secret())).isEmpty();
            assertThat(app.authTokens().authenticate(bobToken)).isEmpty();
            assertThat(user("alice@example.com").passwordHash()).isEqualTo(alice.passwordHash());
            try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM gh_sessions")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
            JsonNode json = ok(cli(), "sessions", "end-all", "--yes", "--json").json();
            assertThat(json.path("users").asLong()).isEqualTo(2);
            assertThat(json.path("records").asLong()).isZero();
            assertThat(json.path("session_data").asLong()).isZero();
        }
    }

    // ================================================================ change-password

    @Test
    void change_password_sets_a_new_hash_and_ends_sessions_in_one_write() {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--password-stdin");
        User before = user("alice@example.com");

        Cli.Result result = ok(cli().stdin("a brand new password\n"), "users", "change-password", "alice@example.com",
                "--password-stdin");

        User after = user("alice@example.com");
        assertThat(VERIFIER.verify("a brand new password", after.passwordHash().orElseThrow())).isTrue();
        assertThat(after.passwordHash().get()).startsWith(DEFAULT_ARGON2);
        assertThat(after.securityStamp()).isNotEqualTo(before.securityStamp());
        assertThat(result.all()).doesNotContain("a brand new password");
    }

    @Test
    void change_password_refuses_a_weak_password_and_needs_one() {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--password-stdin");
        User before = user("alice@example.com");

        fails(1, cli().stdin("123\n"), "users", "change-password", "alice@example.com", "--password-stdin");
        Cli.Result none = fails(2, cli(), "users", "change-password", "alice@example.com");
        fails(1, cli().stdin(PASSWORD), "users", "change-password", "nobody@example.com", "--password-stdin");

        assertThat(none.err()).contains("--password-stdin");
        assertThat(user("alice@example.com")).isEqualTo(before);
    }

    // ================================================================ delete, show

    @Test
    void delete_asks_first_unless_told_yes() {
        ok(cli(), "users", "create", "a@example.com");
        ok(cli(), "users", "create", "b@example.com");

        Cli.Result unconfirmed = fails(2, cli(), "users", "delete", "a@example.com");
        Cli.Result declined = fails(1, cli().terminal("n"), "users", "delete", "a@example.com");
        assertThat(store.findUserByEmail("a@example.com")).isPresent();
        assertThat(unconfirmed.err()).contains("--yes");
        assertThat(declined.err()).contains("not deleted");

        ok(cli().terminal("y"), "users", "delete", "a@example.com");
        assertThat(ok(cli(), "users", "delete", "b@example.com", "--yes").out()).contains("Deleted user b@example.com");
        assertThat(store.findUserByEmail("a@example.com")).isEmpty();
        assertThat(store.findUserByEmail("b@example.com")).isEmpty();
        fails(1, cli(), "users", "delete", "b@example.com", "--yes");
    }

    @Test
    void show_prints_the_user_without_hash_or_stamp() {
        role("admin", "users:read", "users:write");
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--username", "alice", "--password-stdin",
                "-r", "admin", "--attr", "display_name=Alice");
        User alice = user("alice@example.com");

        Cli.Result text = ok(cli(), "users", "show", "alice");
        JsonNode json = ok(cli(), "users", "show", "alice@example.com", "--json").json();

        assertThat(text.out()).contains("email:", "alice@example.com", "roles:", "admin", "users:read, users:write",
                "password:", "argon2id", "attribute display_name:", "Alice");
        assertThat(json.path("email").asText()).isEqualTo("alice@example.com");
        assertThat(json.path("username").asText()).isEqualTo("alice");
        assertThat(json.path("id").asLong()).isEqualTo(alice.id());
        assertThat(json.path("roles").toString()).isEqualTo("[\"admin\"]");
        assertThat(json.path("permissions").toString()).isEqualTo("[\"users:read\",\"users:write\"]");
        assertThat(json.path("password").asText()).isEqualTo("argon2id");
        assertThat(json.path("attributes").path("display_name").asText()).isEqualTo("Alice");
        assertThat(json.path("confirmed_at").isNull()).isTrue();
        for (Cli.Result result : new Cli.Result[] {text, ok(cli(), "users", "show", "alice", "--json")}) {
            assertThat(result.all()).doesNotContain(alice.passwordHash().get()).doesNotContain(alice.securityStamp());
        }
    }

    @Test
    void show_lists_the_linked_identities_and_says_when_there_are_none() {
        ok(cli(), "users", "create", "alice@example.com");
        ok(cli(), "users", "create", "bob@example.com");
        assertThat(ok(cli(), "users", "show", "alice@example.com").out()).contains("linked identities: none");
        assertThat(ok(cli(), "users", "show", "alice@example.com", "--json").json().path("external_identities").size()).isZero();
        JdbcExternalIdentityStore identities = JdbcExternalIdentityStore.create(database().dataSource(), false);
        Instant linked = Instant.parse("2026-03-01T09:30:00Z");
        identities.link(ExternalIdentity.linked(user("alice@example.com").id(), "keycloak", "https://idp.example.com/realms/main",
                "f81d4fae-7dec", Optional.of("alice@corp.example"), linked));
        identities.link(ExternalIdentity.linked(user("alice@example.com").id(), "entra", "https://login.microsoftonline.com/t/v2.0",
                "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", Optional.empty(), linked.plusSeconds(60)));
        identities.recordSignIn("https://idp.example.com/realms/main", "f81d4fae-7dec", linked.plusSeconds(3600));
        identities.link(ExternalIdentity.linked(user("bob@example.com").id(), "keycloak", "https://idp.example.com/realms/main",
                "bobs-subject", Optional.empty(), linked));

        Cli.Result text = ok(cli(), "users", "show", "alice@example.com");
        JsonNode json = ok(cli(), "users", "show", "alice@example.com", "--json").json().path("external_identities");

        assertThat(text.out()).contains("linked identities:", "PROVIDER", "LAST SIGN-IN",
                "keycloak", "https://idp.example.com/realms/main", "f81d4fae-7dec", "2026-03-01T09:30:00Z", "2026-03-01T10:30:00Z",
                "entra", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "never")
                .doesNotContain("bobs-subject");
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).path("provider").asText()).isEqualTo("keycloak");
        assertThat(json.get(0).path("subject").asText()).isEqualTo("f81d4fae-7dec");
        assertThat(json.get(0).path("email").asText()).isEqualTo("alice@corp.example");
        assertThat(json.get(0).path("linked_at").asText()).isEqualTo("2026-03-01T09:30:00Z");
        assertThat(json.get(0).path("last_sign_in_at").asText()).isEqualTo("2026-03-01T10:30:00Z");
        assertThat(json.get(1).path("issuer").asText()).isEqualTo("https://login.microsoftonline.com/t/v2.0");
        assertThat(json.get(1).path("email").isNull()).isTrue();
        assertThat(json.get(1).path("last_sign_in_at").isNull()).isTrue();
    }

    @Test
    void unlink_removes_one_identity_of_the_user_only_and_warns_when_no_way_to_sign_in_is_left() {
        ok(cli().stdin(PASSWORD), "users", "create", "alice@example.com", "--password-stdin");
        ok(cli(), "users", "create", "bob@example.com");
        String issuer = "https://idp.example.com/realms/main";
        JdbcExternalIdentityStore identities = JdbcExternalIdentityStore.create(database().dataSource(), false);
        Instant now = Instant.parse("2026-03-01T09:30:00Z");
        identities.link(ExternalIdentity.linked(user("alice@example.com").id(), "keycloak", issuer, "alice-sub", Optional.empty(), now));
        identities.link(ExternalIdentity.linked(user("bob@example.com").id(), "keycloak", issuer, "bob-sub", Optional.empty(), now));

        Cli.Result notHers = fails(1, cli(), "users", "unlink", "alice@example.com", "--issuer", issuer, "--subject", "bob-sub");
        fails(1, cli(), "users", "unlink", "alice@example.com", "--issuer", issuer, "--subject", "ALICE-SUB");
        fails(2, cli(), "users", "unlink", "alice@example.com", "--issuer", issuer);
        assertThat(notHers.err()).contains("no linked identity");
        assertThat(identities.find(issuer, "bob-sub")).isPresent();

        Cli.Result unlinked = ok(cli(), "users", "unlink", "alice@example.com", "--issuer", issuer, "--subject", "alice-sub");
        assertThat(unlinked.out()).contains("Unlinked " + issuer);
        assertThat(unlinked.err()).doesNotContain("cannot sign in");
        assertThat(identities.find(issuer, "alice-sub")).isEmpty();

        JsonNode json = ok(cli(), "users", "unlink", "bob@example.com", "--issuer", issuer, "--subject", "bob-sub", "--json").json();
        assertThat(json.path("unlinked").asBoolean()).isTrue();
        assertThat(identities.find(issuer, "bob-sub")).isEmpty();
    }

    @Test
    void unlinking_the_last_way_to_sign_in_is_done_with_a_note() {
        ok(cli(), "users", "create", "carol@example.com");
        String issuer = "https://idp.example.com/realms/main";
        JdbcExternalIdentityStore identities = JdbcExternalIdentityStore.create(database().dataSource(), false);
        identities.link(ExternalIdentity.linked(user("carol@example.com").id(), "keycloak", issuer, "carol-sub", Optional.empty(),
                Instant.parse("2026-03-01T09:30:00Z")));

        Cli.Result unlinked = ok(cli(), "users", "unlink", "carol@example.com", "--issuer", issuer, "--subject", "carol-sub");

        assertThat(unlinked.err()).contains("cannot sign in", "users change-password");
        assertThat(identities.listForUser(user("carol@example.com").id())).isEmpty();
    }

    // ================================================================ list

    @Test
    void list_pages_in_id_order_and_filters_by_role_and_activation() {
        role("staff");
        for (int i = 1; i <= 5; i++) {
            if (i % 2 == 0) {
                ok(cli(), "users", "create", "user" + i + "@example.com", "-r", "staff");
            } else {
                ok(cli(), "users", "create", "user" + i + "@example.com", "--inactive");
            }
        }

        JsonNode first = ok(cli(), "users", "list", "--limit", "2", "--json").json();
        JsonNode last = ok(cli(), "users", "list", "--limit", "2", "--offset", "4", "--json").json();
        JsonNode staff = ok(cli(), "--json", "users", "list", "--role", "staff").json();
        JsonNode inactive = ok(cli(), "users", "list", "--inactive", "--json").json();
        JsonNode activeStaff = ok(cli(), "users", "list", "--active", "-r", "staff", "--json").json();
        Cli.Result text = ok(cli(), "users", "list", "--limit", "2");

        assertThat(emails(first)).containsExactly("user1@example.com", "user2@example.com");
        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("has_next").asBoolean()).isTrue();
        assertThat(emails(last)).containsExactly("user5@example.com");
        assertThat(last.path("has_next").asBoolean()).isFalse();
        assertThat(emails(staff)).containsExactly("user2@example.com", "user4@example.com");
        assertThat(emails(inactive)).containsExactly("user1@example.com", "user3@example.com", "user5@example.com");
        assertThat(emails(activeStaff)).containsExactly("user2@example.com", "user4@example.com");
        assertThat(text.out()).contains("EMAIL", "user1@example.com", "user2@example.com", "Users 1-2 of 5.",
                "Next page: --offset 2").doesNotContain("user3@example.com");
        assertThat(fails(1, cli(), "users", "list", "--role", "nosuch").err()).contains("no role named nosuch");
    }

    private static java.util.List<String> emails(JsonNode page) {
        java.util.List<String> emails = new java.util.ArrayList<>();
        page.path("users").forEach(u -> emails.add(u.path("email").asText()));
        return emails;
    }

    // ================================================================ roles

    @Test
    void roles_create_with_description_and_permissions_and_refuse_a_duplicate() {
        Cli.Result created = ok(cli(), "roles", "create", "editor", "-d", "Edits posts", "-p", "posts:edit,posts:publish",
                "-p", "media:upload");

        assertThat(store.findRole("editor")).contains(new Role("editor", "Edits posts",
                Set.of("posts:edit", "posts:publish", "media:upload")));
        assertThat(created.out()).contains("Created role editor");
        Cli.Result duplicate = fails(1, cli(), "roles", "create", "editor");
        assertThat(duplicate.err()).contains("error: role exists: editor");
        assertThat(fails(1, cli(), "roles", "create", " spaced ").err()).contains("surrounding spaces");
        JsonNode json = fails(1, cli(), "roles", "create", "editor", "--json").json();
        assertThat(json.path("error").path("code").asText()).isEqualTo("ROLE_EXISTS");
    }

    @Test
    void roles_add_and_remove_grant_and_revoke_and_say_when_nothing_changed() {
        role("admin", "users:write");
        ok(cli(), "users", "create", "alice@example.com", "--username", "alice");

        assertThat(ok(cli(), "roles", "add", "alice", "admin").out()).contains("Granted role admin to alice@example.com.");
        assertThat(user("alice@example.com").permissions()).containsExactly("users:write");
        assertThat(ok(cli(), "roles", "add", "alice@example.com", "admin").out()).contains("already has role admin");
        assertThat(ok(cli(), "roles", "remove", "alice@example.com", "admin").out()).contains("Revoked role admin");
        assertThat(user("alice@example.com").roleNames()).isEmpty();
        assertThat(ok(cli(), "roles", "remove", "alice", "admin", "--json").json().path("changed").asBoolean()).isFalse();
        assertThat(fails(1, cli(), "roles", "add", "alice", "nosuch").err()).contains("no role named nosuch");
        assertThat(fails(1, cli(), "roles", "add", "bob@example.com", "admin").err()).contains("no user with email bob@example.com");
        assertThat(fails(2, cli(), "roles", "add", "alice").err()).contains("ROLE");
    }

    @Test
    void add_and_remove_permissions_change_what_every_holder_may_do() {
        role("editor", "posts:edit");
        ok(cli(), "users", "create", "alice@example.com", "-r", "editor");

        ok(cli(), "roles", "add-permissions", "editor", "posts:publish,media:upload", "posts:delete");
        assertThat(user("alice@example.com").permissions())
                .containsExactlyInAnyOrder("posts:edit", "posts:publish", "media:upload", "posts:delete");

        Cli.Result removed = ok(cli(), "roles", "remove-permissions", "editor", "posts:delete", "never:granted");
        assertThat(removed.err()).contains("did not grant never:granted");
        assertThat(store.findRole("editor").orElseThrow().permissions())
                .containsExactlyInAnyOrder("posts:edit", "posts:publish", "media:upload");
        assertThat(fails(1, cli(), "roles", "add-permissions", "nosuch", "a:b").err()).contains("no role named nosuch");
        fails(2, cli(), "roles", "add-permissions", "editor");
    }

    @Test
    void roles_delete_asks_first_and_its_holders_lose_the_role_and_its_permissions() {
        role("editor", "posts:edit");
        role("admin", "users:write");
        ok(cli(), "users", "create", "alice@example.com", "-r", "editor", "-r", "admin");
        ok(cli(), "users", "create", "bob@example.com", "-r", "editor");

        assertThat(fails(2, cli(), "roles", "delete", "editor").err()).contains("--yes");
        assertThat(fails(1, cli().terminal("n"), "roles", "delete", "editor").err()).contains("not deleted: role editor");
        assertThat(store.findRole("editor")).isPresent();
        assertThat(user("bob@example.com").hasRole("editor")).isTrue();

        Cli.Result deleted = ok(cli().terminal("yes"), "roles", "delete", "editor");
        assertThat(deleted.out()).contains("Deleted role editor; 2 users lost it.");
        assertThat(store.findRole("editor")).isEmpty();
        assertThat(user("alice@example.com").roles()).extracting(Role::name).containsExactly("admin");
        assertThat(user("alice@example.com").hasPermission("posts:edit")).isFalse();
        assertThat(user("alice@example.com").hasPermission("users:write")).isTrue();
        assertThat(user("bob@example.com").roles()).isEmpty();

        JsonNode json = ok(cli(), "roles", "delete", "admin", "--yes", "--json").json();
        assertThat(json.path("role").asText()).isEqualTo("admin");
        assertThat(json.path("users").asLong()).isEqualTo(1);
        assertThat(fails(1, cli(), "roles", "delete", "admin", "--yes").err()).contains("no role named admin");
        assertThat(ok(cli(), "roles", "list").out()).contains("No roles.");
    }

    @Test
    void roles_list_shows_permissions_and_holders() {
        role("admin", "users:read", "users:write");
        role("viewer");
        ok(cli(), "users", "create", "a@example.com", "-r", "admin", "-r", "viewer");
        ok(cli(), "users", "create", "b@example.com", "-r", "viewer");

        Cli.Result text = ok(cli(), "roles", "list");
        JsonNode json = ok(cli(), "roles", "list", "--json").json().path("roles");

        assertThat(text.out()).contains("NAME", "PERMISSIONS", "admin", "users:read, users:write", "viewer");
        assertThat(json.get(0).path("name").asText()).isEqualTo("admin");
        assertThat(json.get(0).path("users").asInt()).isEqualTo(1);
        assertThat(json.get(1).path("name").asText()).isEqualTo("viewer");
        assertThat(json.get(1).path("users").asInt()).isEqualTo(2);
        assertThat(json.get(1).path("permissions")).isEmpty();
    }

    // ================================================================ configuration

    @Test
    void the_configured_password_hash_scheme_is_used() {
        ok(cli().env("GATEHOUSE_PASSWORD_HASH", "bcrypt").stdin(PASSWORD), "users", "create", "a@example.com",
                "--password-stdin");

        String hash = user("a@example.com").passwordHash().orElseThrow();
        assertThat(hash).startsWith("$2b$12$");
        assertThat(VERIFIER.verify(PASSWORD, hash)).isTrue();
    }

    @Test
    void an_invalid_configuration_fails_like_the_application_would_and_names_the_setting() {
        Cli.Result result = fails(1, cli().env("GATEHOUSE_PASSWORD_HASH", "md5"), "users", "list");

        assertThat(result.err()).contains("configuration:", "GATEHOUSE_PASSWORD_HASH");
    }

    @Test
    void no_secret_is_needed_and_a_configured_one_is_accepted() {
        assertThat(cli().run("roles", "list").exitCode()).isZero();
        assertThat(cli().env("GATEHOUSE_SECRET", "an-application-secret-of-at-least-32-bytes!").run("roles", "list")
                .exitCode()).isZero();
    }

    @Test
    void help_and_version() {
        assertThat(ok(cli(), "--help").out()).contains("users", "roles", "db", "import", "Exit codes");
        assertThat(ok(cli(), "users", "create", "--help").out()).contains("--password-stdin", "--role", "--attr");
        assertThat(ok(cli(), "--version").out()).startsWith("gatehouse ");
    }
}
