package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Rate limits and events of sign-in and sign-out. */
class SignInEventsAndLimitsTest {

    private static final String PASSWORD = "correct horse battery";
    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");

    private final List<AccountEvent> events = new CopyOnWriteArrayList<>();

    private TestGatehouse gatehouse(Consumer<dev.gatehouse.config.GatehouseConfig.Builder> config) {
        return new TestGatehouse(config, b -> b.listener(events::add));
    }

    @Test
    void five_failures_for_one_account_in_five_minutes_refuse_further_attempts_even_right_ones() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 5; i++) {
            assertThat(t.gatehouse.signIn().signIn("Alice@example.com", "wrong " + i, ClientInfo.of("192.0.2." + i, "x")))
                    .isInstanceOf(SignInResult.InvalidCredentials.class);
        }
        t.clock.advance(Duration.ofMinutes(1));

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isEqualTo(new SignInResult.RateLimited(Duration.ofMinutes(4)));
        t.clock.advance(Duration.ofMinutes(4));
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void unknown_accounts_are_limited_alike_so_the_limit_reveals_nothing() {
        TestGatehouse t = gatehouse(c -> { });
        for (int i = 0; i < 5; i++) {
            t.gatehouse.signIn().signIn("nobody@example.com", "guess " + i, ClientInfo.of("192.0.2." + i, "x"));
        }
        assertThat(t.gatehouse.signIn().signIn("nobody@example.com", "guess", CLIENT))
                .isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void a_success_clears_the_accounts_failures() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 4; i++) {
            t.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);
        }
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        for (int i = 0; i < 4; i++) {
            t.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);
        }
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void thirty_attempts_a_minute_per_client_address_and_ten_failures() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 10; i++) {
            t.gatehouse.signIn().signIn("user" + i + "@example.com", "wrong", CLIENT);
        }
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .as("ten failures a minute from one address").isInstanceOf(SignInResult.RateLimited.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, ClientInfo.of("192.0.2.1", "x")).isSuccess())
                .isTrue();

        TestGatehouse busy = gatehouse(c -> { });
        busy.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 30; i++) {
            assertThat(busy.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        }
        assertThat(busy.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isInstanceOf(SignInResult.RateLimited.class);
        assertThat(busy.gatehouse.signIn().signIn("alice@example.com", PASSWORD).isSuccess())
                .as("without a client address (HTTP Basic) the per-address limit does not apply").isTrue();
    }

    @Test
    void limits_can_be_tuned_or_switched_off() {
        TestGatehouse off = gatehouse(c -> c.set(RATE_LIMITS_ENABLED, false).set(LOCKOUT_ENABLED, false));
        TestGatehouse tuned = gatehouse(c -> c.set("rate-limit-login-failed", "2/1h/key").set(LOCKOUT_ENABLED, false));
        off.user("alice@example.com", PASSWORD);
        tuned.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 50; i++) {
            off.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);
        }
        tuned.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);
        tuned.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);

        assertThat(off.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        assertThat(tuned.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isEqualTo(new SignInResult.RateLimited(Duration.ofHours(1)));
    }

    @Test
    void failures_successes_and_sign_outs_are_events_with_the_client() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);

        t.gatehouse.signIn().signIn("nobody@example.com", "x", CLIENT);
        t.gatehouse.signIn().signIn("alice@example.com", "wrong", CLIENT);
        SignInResult ok = t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT);
        t.gatehouse.signIn().recordSignIn(((SignInResult.SignedIn) ok).user(), CLIENT);
        IssuedSession session = t.gatehouse.sessions().start(alice, false, Optional.empty(), CLIENT);
        t.gatehouse.sessions().end(session.record());

        assertThat(events).extracting(AccountEvent::type).containsExactly("authentication_failed",
                "authentication_failed", "user_authenticated", "user_logged_out");
        assertThat(events.get(0).userId()).isEmpty();
        assertThat(((AccountEvent.AuthenticationFailed) events.get(0)).reason()).isEqualTo(Reason.USER_DOES_NOT_EXIST.name());
        assertThat(events.get(1).userId()).contains(alice.id());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.client().ip()).contains("198.51.100.7");
            assertThat(e.client().userAgent()).contains("JUnit/5");
            assertThat(e.at()).isEqualTo(TestGatehouse.START);
        });
        assertThat(t.gatehouse.auditLog().forUser(alice.id(), 10, Optional.empty())).extracting(e -> e.type())
                .containsExactly("user_logged_out", "user_authenticated", "authentication_failed");
    }

    // ------------------------------------------------------------------ per account (issue 10)

    @Test
    void email_and_username_of_one_account_share_one_failure_count() {
        TestGatehouse t = gatehouse(c -> c.set(USERNAME_ENABLE, true));
        t.gatehouse.users().createUser(dev.gatehouse.user.NewUser.builder("alice@example.com").username("alice")
                .passwordHash(t.gatehouse.passwords().hash(PASSWORD)).build());
        for (int i = 0; i < 3; i++) {
            t.gatehouse.signIn().signIn("alice@example.com", "wrong " + i, ClientInfo.of("192.0.2." + i, "x"));
        }
        for (int i = 3; i < 5; i++) {
            t.gatehouse.signIn().signIn("Alice", "wrong " + i, ClientInfo.of("192.0.2." + i, "x"));
        }

        assertThat(t.gatehouse.signIn().signIn("alice", PASSWORD, CLIENT)).isInstanceOf(SignInResult.RateLimited.class);
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void unknown_emails_and_usernames_are_still_limited_each_so_the_limit_reveals_no_account() {
        TestGatehouse t = gatehouse(c -> c.set(USERNAME_ENABLE, true));
        for (int i = 0; i < 5; i++) {
            assertThat(t.gatehouse.signIn().signIn("nobody", "guess " + i, ClientInfo.of("192.0.2." + i, "x")))
                    .isInstanceOf(SignInResult.InvalidCredentials.class);
        }
        assertThat(t.gatehouse.signIn().signIn("NOBODY", "guess", CLIENT)).isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void wrong_passwords_at_re_authentication_meet_the_sign_in_limits() {
        TestGatehouse t = gatehouse(c -> { });
        User alice = t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 5; i++) {
            assertThat(t.gatehouse.signIn().checkPassword(alice, "wrong " + i, ClientInfo.of("192.0.2." + i, "x")))
                    .isEqualTo(new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD));
        }

        assertThat(t.gatehouse.signIn().checkPassword(alice, PASSWORD, CLIENT)).isEqualTo(new SignInResult.RateLimited(Duration.ofMinutes(5)));
        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.RateLimited.class);
        assertThat(events).filteredOn(e -> e instanceof AccountEvent.AuthenticationFailed).hasSize(7);
    }

    @Test
    void a_rate_limited_attempt_is_audited_as_a_failure_without_naming_the_account() {
        TestGatehouse t = gatehouse(c -> { });
        t.user("alice@example.com", PASSWORD);
        for (int i = 0; i < 5; i++) {
            t.gatehouse.signIn().signIn("alice@example.com", "wrong " + i, CLIENT);
        }
        events.clear();

        assertThat(t.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT)).isInstanceOf(SignInResult.RateLimited.class);

        assertThat(events).singleElement().isInstanceOfSatisfying(AccountEvent.AuthenticationFailed.class, e -> {
            assertThat(e.reason()).isEqualTo("RATE_LIMITED");
            assertThat(e.userId()).isEmpty();
        });
    }
}
