package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static dev.gatehouse.lifecycle.Fixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.config.RateLimit;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.password.HashingGate;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flow whose password hash or check finds no free slot ({@link HashingCapacityException}) has
 * done nothing: no failure counted, no lock, no password or link used up.
 */
class BusyHashingFlowsTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    private final HashingGate gate = new HashingGate(Duration.ZERO);
    private final Fixture f = new Fixture(c -> c.set(RECOVERABLE, true).set(LOCKOUT_MAX_ATTEMPTS, 2)
            .set(RATE_LIMIT_LOGIN, RateLimit.parseList("3/1h/ip")), b -> b.passwordHasher(gate.hasher()));
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        gate.open();
        threads.shutdownNow();
    }

    @Test
    void a_refused_sign_in_counts_no_failure_towards_the_lockout() throws Exception {
        f.user("alice@example.com");
        Future<String> held = holdTheOnlySlot();

        assertThatThrownBy(() -> f.gatehouse.signIn().signIn("alice@example.com", "wrong one", CLIENT))
                .isInstanceOf(HashingCapacityException.class);

        release(held);
        // With the refusal counted, this second wrong password would reach the limit of two.
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", "wrong two", CLIENT))
                .isInstanceOf(SignInResult.InvalidCredentials.class);
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    @Test
    void a_sign_in_that_is_not_admitted_counts_no_attempt() throws Exception {
        f.user("alice@example.com");
        CountDownLatch done = new CountDownLatch(1);
        // Two checks in progress per slot fill the admissions of the one slot.
        Future<?> first = gate.holdAnAdmission(threads, done);
        Future<?> second = gate.holdAnAdmission(threads, done);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> f.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                    .isInstanceOf(HashingCapacityException.class);
        }

        done.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        // Three refusals counted would have used up rate-limit-login (3 an hour) already.
        for (int i = 0; i < 3; i++) {
            assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT).isSuccess()).isTrue();
        }
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", PASSWORD, CLIENT))
                .isInstanceOf(SignInResult.RateLimited.class);
    }

    @Test
    void a_refused_reset_keeps_the_old_password_and_the_link_usable() throws Exception {
        User alice = f.user("alice@example.com");
        f.gatehouse.recovery().requestReset("alice@example.com", CLIENT);
        String token = f.mail.only().token("reset_link");
        Future<String> held = holdTheOnlySlot();

        assertThatThrownBy(() -> f.gatehouse.recovery().resetPassword(token, NEW_PASSWORD, Optional.empty(), CLIENT))
                .isInstanceOf(HashingCapacityException.class);

        release(held);
        assertThat(f.reload(alice).passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(f.gatehouse.recovery().resetPassword(token, NEW_PASSWORD, Optional.empty(), CLIENT).user().id())
                .isEqualTo(alice.id());
        assertThat(f.gatehouse.signIn().signIn("alice@example.com", NEW_PASSWORD, CLIENT).isSuccess()).isTrue();
    }

    private Future<String> holdTheOnlySlot() throws InterruptedException {
        gate.close();
        Future<String> held = threads.submit(() -> gate.hasher().hash("held"));
        gate.awaitHeld();
        return held;
    }

    /** Opens the gate and waits until the held hash has given its slot back. */
    private void release(Future<String> held) throws Exception {
        gate.open();
        held.get(30, TimeUnit.SECONDS);
    }
}
