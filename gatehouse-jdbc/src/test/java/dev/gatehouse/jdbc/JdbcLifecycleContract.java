package dev.gatehouse.jdbc;

import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.event.AuditEntry;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.lifecycle.LoginCodeResult;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.lifecycle.RegisterResult;
import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account lifecycle over the JDBC stores of one database: events recorded in the audit table
 * once the change is stored, and rate limits, locks, single-use markers and queued mail that
 * outlive the Gatehouse that made them — a new instance over the same database (a restart, or
 * another node) sees them.
 */
abstract class JdbcLifecycleContract {

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final String PASSWORD = "correct horse battery";

    protected abstract TestDatabase database();

    private final MutableClock clock = new MutableClock(TestGatehouse.START);
    private final List<Gatehouse> opened = new ArrayList<>();

    @BeforeEach
    void emptyTables() {
        for (String table : List.of("gh_audit_events", "gh_mail_outbox", "gh_counters", "gh_sessions", "gh_users")) {
            TestSql.execute(database().dataSource(), "DELETE FROM " + table);
        }
    }

    @AfterEach
    void closeGatehouses() {
        opened.forEach(Gatehouse::close);
    }

    /** A Gatehouse whose state lives in the test database only: a new one is a restarted node. */
    private Gatehouse node() {
        return node(c -> c.set("rate-limit-login-failed", ""));
    }

    private Gatehouse node(java.util.function.Consumer<dev.gatehouse.config.GatehouseConfig.Builder> extra) {
        DataSource ds = database().dataSource();
        Gatehouse gatehouse = Gatehouse.builder()
                .clock(clock)
                .passwordHasher(TestGatehouse.CHEAP_HASHER)
                .userCache(false)
                .store(JdbcUserStore.builder(ds).clock(clock).migrate(false).build())
                .counterStore(JdbcCounterStore.create(ds, false))
                .sessionStore(JdbcSessionStore.builder(ds).migrate(false).build())
                .outboxStore(JdbcOutboxStore.create(ds, false))
                .auditLog(JdbcAuditLog.create(ds, false))
                .config(c -> c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)).set(EXTERNAL_URL, "https://app.example.com")
                        .set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true)
                        .set(LOCKOUT_MAX_ATTEMPTS, 3))
                .config(extra)
                .build();
        opened.add(gatehouse);
        return gatehouse;
    }

    @Test
    void events_are_recorded_in_the_audit_table_with_time_address_and_user_agent() {
        Gatehouse node = node();
        node.registration().register(Registration.builder("alice@example.com", PASSWORD).build(), CLIENT);
        String token = new Mailbox(node).only().token("confirmation_link");
        node.confirmation().confirm(token, CLIENT);
        User alice = node.users().findUserByEmail("alice@example.com").orElseThrow();

        List<AuditEntry> entries = node().auditLog().forUser(alice.id(), 10, Optional.empty());

        assertThat(entries).extracting(AuditEntry::type)
                .containsExactly("user_confirmed", "confirm_instructions_sent", "user_registered");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.at()).isEqualTo(TestGatehouse.START);
            assertThat(e.ip()).contains("198.51.100.7");
            assertThat(e.userAgent()).contains("JUnit/5");
        });
        assertThat(entries.get(2).details()).containsEntry("email", "alice@example.com");
    }

    @Test
    void queued_mail_waits_in_the_database_with_its_links_sealed_and_a_restarted_node_sends_it() throws Exception {
        node().registration().register(Registration.builder("alice@example.com", PASSWORD).build(), CLIENT);

        String storedModel;
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT model FROM gh_mail_outbox")) {
            rows.next();
            storedModel = rows.getString(1);
        }
        assertThat(storedModel).contains("confirmation_link=s1.").doesNotContain("https%3A%2F%2Fapp.example.com%2Fconfirm");

        Gatehouse restarted = node();
        Mailbox.Delivered welcome = new Mailbox(restarted).only();
        assertThat(welcome.template()).isEqualTo(MailTemplates.WELCOME);
        assertThat(restarted.confirmation().confirm(welcome.token("confirmation_link"), CLIENT).user().confirmedAt())
                .isPresent();
    }

    @Test
    void rate_limits_hold_across_a_restart() {
        Gatehouse first = node();
        for (int i = 0; i < 20; i++) {
            first.registration().register(Registration.builder("r" + i + "@example.com", PASSWORD).build(), CLIENT);
        }

        RegisterResult afterRestart = node().registration().register(
                Registration.builder("late@example.com", PASSWORD).build(), CLIENT);

        assertThat(afterRestart).isInstanceOf(RateLimited.class);
    }

    @Test
    void the_failed_sign_in_limit_holds_across_a_restart() {
        Gatehouse first = node(c -> c.set(LOCKOUT_ENABLED, false));
        for (int i = 0; i < 5; i++) {
            first.signIn().signIn("nobody@example.com", "guess " + i, ClientInfo.of("192.0.2." + i, "x"));
        }

        assertThat(node(c -> c.set(LOCKOUT_ENABLED, false)).signIn().signIn("NOBODY@example.com", "guess", CLIENT))
                .isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void a_lock_holds_across_a_restart() {
        Gatehouse first = node();
        first.users().createUser(dev.gatehouse.user.NewUser.builder("alice@example.com")
                .passwordHash(first.passwords().hash(PASSWORD)).confirmedAt(TestGatehouse.START).build());
        for (int i = 0; i < 3; i++) {
            first.signIn().signIn("alice@example.com", "wrong password", CLIENT);
        }

        assertThat(node().signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.LockedOut.class);
    }

    @Test
    void a_sign_in_code_works_once_across_nodes() {
        Gatehouse first = node();
        first.users().createUser(dev.gatehouse.user.NewUser.builder("alice@example.com").confirmedAt(TestGatehouse.START)
                .build());
        String challenge = ((LoginCodeResult.CodeSent) first.passwordless().sendCode("alice@example.com", CLIENT)).challenge();
        String code = new Mailbox(first).only().get("code");

        assertThat(first.passwordless().verifyCode(challenge, code, CLIENT).isSuccess()).isTrue();
        assertThat(node().passwordless().verifyCode(challenge, code, CLIENT)).isInstanceOf(SignInResult.InvalidCredentials.class);
    }

    @Test
    void an_email_change_is_undone_once_across_nodes_and_the_address_stays_frozen_after_a_restart() {
        java.util.function.Consumer<dev.gatehouse.config.GatehouseConfig.Builder> changeEmail = c -> c.set(CHANGE_EMAIL, true);
        Gatehouse first = node(changeEmail);
        User alice = first.users().createUser(dev.gatehouse.user.NewUser.builder("alice@example.com")
                .passwordHash(first.passwords().hash(PASSWORD)).confirmedAt(TestGatehouse.START).build());
        clock.advance(java.time.Duration.ofMinutes(1));
        first.emailChange().requestChange(alice, "mallory@example.com", PASSWORD, CLIENT);
        first.emailChange().confirmChange(new Mailbox(first).only().token("change_email_link"), CLIENT);
        String revert = new Mailbox(first).only().token("revert_link");
        String stamp = first.users().findUserById(alice.id()).orElseThrow().securityStamp();

        Gatehouse second = node(changeEmail);
        second.emailChange().revertChange(revert, CLIENT);
        User restored = second.users().findUserById(alice.id()).orElseThrow();

        assertThat(restored.email()).isEqualTo("alice@example.com");
        assertThat(restored.securityStamp()).isNotEqualTo(stamp);
        assertThat(restored.confirmedAt()).contains(TestGatehouse.START);
        assertThat(second.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).as("recoverable: reset it")
                .isFalse();
        Gatehouse third = node(changeEmail);
        refused(() -> third.emailChange().revertChange(revert, CLIENT), "INVALID_REVERT_TOKEN");
        // The owner resets the password; the address still cannot move for the revert's validity.
        third.users().setPasswordHash(alice.id(), third.passwords().hash(PASSWORD));
        User reset = third.users().findUserById(alice.id()).orElseThrow();
        refused(() -> third.emailChange().requestChange(reset, "other@example.com", PASSWORD, CLIENT), "CHANGE_EMAIL_FROZEN");
        assertThat(third.auditLog().forUser(alice.id(), 10, Optional.empty())).extracting(AuditEntry::type)
                .contains("change_email_reverted");
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call)
                .isInstanceOfSatisfying(dev.gatehouse.error.InvalidInputException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void the_purge_deletes_expired_session_grant_and_refresh_records_with_their_address_asvs_14_2_4() throws Exception {
        Gatehouse node = node();
        node.registration().register(Registration.builder("alice@example.com", PASSWORD).build(), CLIENT);
        User alice = node.users().findUserByEmail("alice@example.com").orElseThrow();
        dev.gatehouse.session.IssuedSession signIn = node.sessions().start(alice, true, Optional.empty(), CLIENT);
        node.refreshTokens().issue(alice, clock.instant(), signIn.record().familyId(), CLIENT);
        assertThat(sessionRows()).isEqualTo(3);

        clock.advance(java.time.Duration.ofDays(400));
        assertThat(node().purgeExpired().sessions()).as("run by any node").isEqualTo(3);
        assertThat(sessionRows()).isZero();
    }

    private int sessionRows() throws Exception {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM gh_sessions")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
