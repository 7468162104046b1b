package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_ATTEMPTS_WITHIN;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION_MAX;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.LOCKOUT_SCOPE;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.config.LockoutScope;
import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.password.HashingWork;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.Races;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Account lockout through sign-in: Devise's lockable. */
class LockoutTest {

    private static final String PASSWORD = "correct horse battery";
    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");

    private final HashingWork work = new HashingWork();
    private final List<AccountEvent> events = new CopyOnWriteArrayList<>();

    private TestGatehouse gatehouse(Consumer<dev.gatehouse.config.GatehouseConfig.Builder> config) {
        return new TestGatehouse(c -> {
            c.set(EXTERNAL_URL, "https://app.example.com").set(LOCKOUT_MAX_ATTEMPTS, 3)
                    // Lockout alone: the failed-sign-in rate limit would step in first otherwise.
                    .set("rate-limit-login-failed", "");
            config.accept(c);
        }, b -> b.passwordHasher(work.hasher()).listener(events::add));
    }

    private static SignInResult fail(TestGatehouse t, String email) {
        return t.gatehouse.signIn().signIn(email, "wrong password", CLIENT);
    }

    @Test
    void the_nth_failure_locks_the_account_even_against_the_right_password_and_mails_the_owner() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);

        assertThat(fail(t, "alice@example.com")).isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        assertThat(fail(t, "alice@example.com")).isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        Instant until = TestGatehouse.START.plus(Duration.ofMinutes(15));
        assertThat(fail(t, "alice@example.com")).isEqualTo(new SignInResult.LockedOut(alice, Optional.of(until)));

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isEqualTo(new SignInResult.LockedOut(alice, Optional.of(until)));
        Mailbox.Delivered locked = mail.only();
        assertThat(locked.template()).isEqualTo(MailTemplates.ACCOUNT_LOCKED);
        assertThat(locked.to()).isEqualTo("alice@example.com");
        assertThat(locked.get("until")).isEqualTo("2026-11-23 10:15 UTC");
        assertThat(locked.notification().model()).as("time strategy: no link").doesNotContainKey("unlock_link");
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.UserLockedOut).singleElement()
                .satisfies(e -> assertThat(e.userId()).contains(alice.id()));
    }

    @Test
    void attempts_on_a_locked_account_are_audited_and_still_count_toward_the_rate_limit() {
        TestGatehouse t = gatehouse(c -> c.set("rate-limit-login-failed", "5/5m/key"));
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }
        events.clear();

        assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.LockedOut.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.LockedOut.class);

        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(AccountEvent.AuthenticationFailed.class,
                f -> assertThat(f.reason()).isEqualTo("LOCKED_OUT")));
        assertThat(fail(t, "alice@example.com")).as("five failures: the rate limit applies before the lock")
                .isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void a_locked_attempt_does_the_same_hashing_work_as_an_unlocked_one() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        // The dummy hash is made once, on first use; that one-time cost is not per attempt.
        work.hasher().verifyDummy("warm up");
        work.reset();
        fail(t, "alice@example.com");
        int unlocked = work.computations();
        fail(t, "alice@example.com");
        fail(t, "alice@example.com");
        work.reset();

        t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT);

        assertThat(work.computations()).isEqualTo(unlocked).isEqualTo(1);
    }

    @Test
    void a_success_resets_the_count() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);

        fail(t, "alice@example.com");
        fail(t, "alice@example.com");
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        fail(t, "alice@example.com");
        fail(t, "alice@example.com");

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void the_lock_ends_after_lockout_duration_and_counting_starts_over() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_DURATION, Duration.ofMinutes(30)));
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }

        t.clock.advance(Duration.ofMinutes(29));
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.LockedOut.class);
        t.clock.advance(Duration.ofMinutes(1));
        assertThat(fail(t, "alice@example.com")).as("one failure after the lock does not re-lock")
                .isInstanceOf(SignInResult.InvalidCredentials.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void failures_spread_beyond_the_window_do_not_lock() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_ATTEMPTS_WITHIN, Duration.ofHours(1)));
        t.user("alice@example.com", PASSWORD);

        fail(t, "alice@example.com");
        fail(t, "alice@example.com");
        t.clock.advance(Duration.ofHours(1));

        assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.InvalidCredentials.class);
    }

    @Test
    void with_email_unlock_the_emailed_link_unlocks_once_and_time_alone_does_not() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_UNLOCK, LockoutUnlock.EMAIL));
        User alice = t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }
        Mailbox.Delivered locked = mail.only();
        String token = locked.token("unlock_link");
        assertThat(locked.get("unlock_link")).startsWith("https://app.example.com/unlock/");
        assertThat(locked.notification().model()).doesNotContainKey("until");
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isEqualTo(new SignInResult.LockedOut(alice, Optional.empty()));
        t.clock.advance(Duration.ofDays(30));
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.LockedOut.class);

        assertThat(t.gatehouse.lockout().unlock(token, CLIENT)).isEqualTo(alice);

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        assertThatThrownBy(() -> t.gatehouse.lockout().unlock(token, CLIENT))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("INVALID_UNLOCK_TOKEN"));
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.UserUnlocked).singleElement()
                .isInstanceOfSatisfying(AccountEvent.UserUnlocked.class, e -> assertThat(e.how()).isEqualTo("link"));
    }

    @Test
    void an_unlock_link_does_not_open_a_later_lock_and_forged_links_fail() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH));
        t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }
        String first = mail.only().token("unlock_link");
        t.clock.advance(Duration.ofMinutes(15));
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }
        String second = mail.only().token("unlock_link");

        assertThatThrownBy(() -> t.gatehouse.lockout().unlock(first, CLIENT)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> t.gatehouse.lockout().unlock(second.substring(1), CLIENT))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> t.gatehouse.lockout().unlock(null, CLIENT)).isInstanceOf(InvalidInputException.class);
        t.gatehouse.lockout().unlock(second, CLIENT);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void racing_failures_lock_once_and_send_one_mail() throws Exception {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);

        Races.race(8, i -> fail(t, "alice@example.com"));

        assertThat(mail.deliver()).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.UserLockedOut).hasSize(1);
    }

    @Test
    void lockout_can_be_switched_off_and_unknown_accounts_lock_nothing() {
        TestGatehouse off = gatehouse(c -> c.set(LOCKOUT_ENABLED, false));
        off.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 20; i++) {
            assertThat(fail(off, "alice@example.com")).isInstanceOf(SignInResult.InvalidCredentials.class);
        }
        assertThat(off.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();

        TestGatehouse on = gatehouse(c -> { });
        for (int i = 0; i < 5; i++) {
            assertThat(fail(on, "nobody@example.com")).isEqualTo(new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST));
        }
    }

    @Test
    void an_administrator_unlocks() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }

        assertThat(t.gatehouse.lockout().unlock(alice.id(), "admin", ClientInfo.UNKNOWN)).isTrue();
        assertThat(t.gatehouse.lockout().unlock(alice.id(), "admin", ClientInfo.UNKNOWN)).isFalse();
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void email_unlock_needs_an_external_url() {
        assertThatThrownBy(() -> new TestGatehouse(c -> c.set(LOCKOUT_UNLOCK, LockoutUnlock.EMAIL)))
                .hasMessageContaining("external-url is not set, but lockout-unlock=email mails links");
    }

    // ------------------------------------------------------------------ re-authentication (issue 10, defect 3)

    @Test
    void wrong_passwords_at_re_authentication_lock_the_account_for_sign_in_too_with_mail_and_event() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);
        SignInFlow flow = t.gatehouse.signIn();

        assertThat(flow.checkPassword(alice, "wrong 1", CLIENT)).isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        assertThat(flow.checkPassword(alice, "wrong 2", CLIENT)).isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        Instant until = TestGatehouse.START.plus(Duration.ofMinutes(15));
        assertThat(flow.checkPassword(alice, "wrong 3", CLIENT)).isEqualTo(new SignInResult.LockedOut(alice, Optional.of(until)));

        assertThat(flow.checkPassword(alice, PASSWORD, CLIENT)).as("the right password at re-authentication")
                .isEqualTo(new SignInResult.LockedOut(alice, Optional.of(until)));
        assertThat(flow.signIn("alice@example.com", PASSWORD, CLIENT)).as("and at sign-in")
                .isEqualTo(new SignInResult.LockedOut(alice, Optional.of(until)));
        assertThat(mail.only().template()).isEqualTo(MailTemplates.ACCOUNT_LOCKED);
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.UserLockedOut).hasSize(1);
    }

    @Test
    void sign_in_and_re_authentication_failures_add_up_towards_one_lock() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);

        fail(t, "alice@example.com");
        t.gatehouse.signIn().checkPassword(alice, "wrong", CLIENT);

        assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.LockedOut.class);
    }

    @Test
    void a_right_password_at_re_authentication_resets_the_count_like_a_sign_in() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);
        fail(t, "alice@example.com");
        fail(t, "alice@example.com");

        assertThat(t.gatehouse.signIn().checkPassword(alice, PASSWORD, CLIENT).isSuccess()).isTrue();

        assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.InvalidCredentials.class);
    }

    // ------------------------------------------------------------------ lockout-scope

    @Test
    void per_account_and_address_the_owner_signs_in_from_elsewhere_while_the_attackers_address_is_locked() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_SCOPE, LockoutScope.ACCOUNT_AND_ADDRESS));
        User alice = t.user("alice@example.com", PASSWORD);
        ClientInfo attacker = ClientInfo.of("203.0.113.66", "curl");
        for (int i = 0; i < 3; i++) {
            t.gatehouse.signIn().signIn("alice@example.com", "guess " + i, attacker);
        }

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, attacker)).isInstanceOf(SignInResult.LockedOut.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, attacker))
                .as("the owner's success does not lift the attacker's lock").isInstanceOf(SignInResult.LockedOut.class);
        assertThat(t.gatehouse.lockout().status(alice.id(), attacker)).isPresent();
        assertThat(t.gatehouse.lockout().status(alice.id(), CLIENT)).isEmpty();
    }

    @Test
    void per_account_and_address_failures_from_two_addresses_count_apart() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_SCOPE, LockoutScope.ACCOUNT_AND_ADDRESS));
        t.user("alice@example.com", PASSWORD);
        ClientInfo other = ClientInfo.of("203.0.113.9", "x");
        fail(t, "alice@example.com");
        fail(t, "alice@example.com");
        t.gatehouse.signIn().signIn("alice@example.com", "wrong", other);
        t.gatehouse.signIn().signIn("alice@example.com", "wrong", other);

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.InvalidCredentials.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", "wrong", other)).isInstanceOf(SignInResult.LockedOut.class);
    }

    @Test
    void per_account_and_address_an_administrator_ends_the_locks_of_every_address() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_SCOPE, LockoutScope.ACCOUNT_AND_ADDRESS));
        User alice = t.user("alice@example.com", PASSWORD);
        ClientInfo attacker = ClientInfo.of("203.0.113.66", "curl");
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
            t.gatehouse.signIn().signIn("alice@example.com", "guess", attacker);
        }
        assertThat(t.gatehouse.lockout().status(alice.id(), attacker)).isPresent();

        assertThat(t.gatehouse.lockout().unlock(alice.id(), "admin", CLIENT)).isTrue();

        assertThat(t.gatehouse.lockout().status(alice.id(), attacker)).isEmpty();
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, attacker).isSuccess()).isTrue();
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void per_account_and_address_the_emailed_link_lifts_the_lock_of_its_address() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_SCOPE, LockoutScope.ACCOUNT_AND_ADDRESS).set(LOCKOUT_UNLOCK, LockoutUnlock.EMAIL));
        t.user("alice@example.com", PASSWORD);
        Mailbox mail = new Mailbox(t.gatehouse);
        for (int i = 0; i < 3; i++) {
            fail(t, "alice@example.com");
        }
        String token = mail.only().token("unlock_link");
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.LockedOut.class);

        t.gatehouse.lockout().unlock(token, ClientInfo.UNKNOWN);

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        assertThatThrownBy(() -> t.gatehouse.lockout().unlock(token, ClientInfo.UNKNOWN)).isInstanceOf(InvalidInputException.class);
    }

    // ------------------------------------------------------------------ progressive locks

    private static void lockAndWait(TestGatehouse t, Duration expected) {
        for (int i = 0; i < 2; i++) {
            assertThat(fail(t, "alice@example.com")).isInstanceOf(SignInResult.InvalidCredentials.class);
        }
        Instant now = t.clock.instant();
        assertThat(fail(t, "alice@example.com")).isInstanceOfSatisfying(SignInResult.LockedOut.class,
                l -> assertThat(l.until()).contains(now.plus(expected)));
        t.clock.advance(expected);
    }

    @Test
    void progressive_locks_grow_by_the_lockout_duration_up_to_the_maximum_and_a_success_starts_over() {
        TestGatehouse t = gatehouse(c -> c.set(LOCKOUT_DURATION, Duration.ofMinutes(10)).set(LOCKOUT_DURATION_MAX, Duration.ofMinutes(25)));
        t.user("alice@example.com", PASSWORD);

        lockAndWait(t, Duration.ofMinutes(10));
        lockAndWait(t, Duration.ofMinutes(20));
        lockAndWait(t, Duration.ofMinutes(25));
        lockAndWait(t, Duration.ofMinutes(25));

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        lockAndWait(t, Duration.ofMinutes(10));
    }

    @Test
    void by_default_every_lock_lasts_the_lockout_duration() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);

        lockAndWait(t, Duration.ofMinutes(15));
        lockAndWait(t, Duration.ofMinutes(15));
    }

    @Test
    void lockout_scope_is_validated() {
        assertThatThrownBy(() -> new TestGatehouse(c -> c.set("lockout-scope", "address")))
                .hasMessageContaining("lockout-scope");
    }
}
