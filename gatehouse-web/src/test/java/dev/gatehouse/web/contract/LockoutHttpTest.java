package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION_MAX;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.LOCKOUT_SCOPE;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LockoutScope;
import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lockout and sign-in rate limits through the real sign-in endpoint: three failures lock the
 * account; with generic responses a locked account answers exactly like a wrong password, without
 * them it says so; the lock ends by time or through the emailed unlock link, followed through the
 * server.
 */
@HttpContract
class LockoutHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp generic;
    private static TestApp specific;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        generic = TestApp.withMail(SMTP, c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH).set(RATE_LIMITS_ENABLED, true));
        specific = TestApp.withMail(SMTP, c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH).set(RETURN_GENERIC_RESPONSES, false));
    }

    @AfterAll
    static void stop() {
        generic.close();
        specific.close();
        SMTP.close();
    }

    @BeforeEach
    void freshWindows() {
        generic.t.clock.advance(Duration.ofMinutes(20));
        specific.t.clock.advance(Duration.ofMinutes(20));
    }

    private static HttpClientSession.Reply loginForm(TestApp app, String email, String password) {
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        return browser.postForm("/login", Map.of("email", email, "password", password, "csrf_token", csrf));
    }

    private static void lock(TestApp app, User user) {
        for (int i = 0; i < 3; i++) {
            assertThat(app.client().login(user.email(), "wrong password " + i).status()).isEqualTo(400);
        }
    }

    @Test
    void with_generic_responses_a_locked_account_answers_like_a_wrong_password_even_to_the_right_one() {
        User user = generic.newUser("locked");
        HttpClientSession.Reply wrong = generic.client().login(user.email(), "wrong password");
        HttpClientSession.Reply wrongForm = loginForm(generic, user.email(), "wrong password");

        // The third failure locks (two above); the per-account rate limit allows five.
        assertThat(generic.client().login(user.email(), "third wrong password").status()).isEqualTo(400);
        HttpClientSession.Reply right = generic.client().login(user.email(), TestApp.PASSWORD);
        HttpClientSession.Reply rightForm = loginForm(generic, user.email(), TestApp.PASSWORD);

        assertThat(right.status()).isEqualTo(wrong.status()).isEqualTo(400);
        assertThat(right.body()).isEqualTo(wrong.body());
        assertThat(rightForm.status()).isEqualTo(wrongForm.status()).isEqualTo(200);
        assertThat(HttpClientSession.withoutCsrfTokens(rightForm.body()))
                .isEqualTo(HttpClientSession.withoutCsrfTokens(wrongForm.body())).contains("Invalid credentials");
        Inbox.Mail locked = inbox.next(user.email());
        assertThat(locked.subject()).isEqualTo("Your account has been locked");
        assertThat(locked.text()).contains("It unlocks by itself at ").contains(Inbox.SITE + "/unlock/");
    }

    @Test
    void the_emailed_link_unlocks_once_through_the_server() {
        User user = generic.newUser("unlock");
        lock(generic, user);
        String link = inbox.next(user.email()).link("/unlock");
        HttpClientSession browser = generic.client();

        HttpClientSession.Reply unlocked = browser.get(link);
        HttpClientSession.Reply reused = generic.client().getJson(link);

        assertThat(unlocked.status()).isEqualTo(302);
        assertThat(unlocked.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(unlocked).body()).contains("Your account has been unlocked. You can sign in again.");
        assertThat(generic.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.fieldErrors("token")).containsExactly("Invalid or outdated unlock link.");
        HttpClientSession other = generic.client();
        assertThat(other.follow(other.get("/unlock/garbage")).body()).contains("Invalid or outdated unlock link.");
    }

    @Test
    void the_lock_ends_by_itself_after_the_lockout_duration() {
        User user = generic.newUser("waits");
        lock(generic, user);
        String link = inbox.next(user.email()).link("/unlock");
        assertThat(generic.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);

        generic.t.clock.advance(Duration.ofMinutes(16));

        assertThat(generic.client().getJson(link).status()).as("the lock its link was for is over").isEqualTo(400);
        assertThat(generic.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void without_generic_responses_the_lock_is_named_with_its_end() {
        User user = specific.newUser("told");
        lock(specific, user);

        HttpClientSession.Reply json = specific.client().login(user.email(), TestApp.PASSWORD);
        HttpClientSession.Reply form = loginForm(specific, user.email(), TestApp.PASSWORD);

        assertThat(json.status()).isEqualTo(400);
        assertThat(json.fieldErrors("email").get(0)).startsWith("This account is locked after too many failed sign-ins."
                + " It unlocks at ").endsWith(" UTC.");
        assertThat(form.body()).contains("This account is locked after too many failed sign-ins.");
        inbox.next(user.email());
    }

    @Test
    void failed_sign_ins_are_rate_limited_with_429_and_retry_after() {
        // Ten failures from one address in a minute (rate-limit-login-failed), each on another account.
        HttpClientSession.Reply last = null;
        for (int i = 0; i < 11; i++) {
            last = generic.client().login(TestApp.email("nobody"), "guess");
            assertThat(last.status()).isEqualTo(i < 10 ? 400 : 429);
        }
        HttpClientSession.Reply form = loginForm(generic, TestApp.email("nobody"), "guess");

        assertThat(last.status()).isEqualTo(429);
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(last.errors().get(0)).startsWith("Too many attempts.");
        assertThat(form.status()).isEqualTo(429);
        assertThat(form.body()).contains("Too many attempts.").contains("<form method=\"post\" action=\"/login\">");
    }

    @Test
    void sign_in_attempts_are_rate_limited_per_address_even_when_they_succeed() {
        User user = generic.newUser("busy");
        for (int i = 0; i < 30; i++) {
            HttpClientSession client = generic.client();
            String csrf = client.csrfToken();
            assertThat(client.postJson("/login", Map.of("email", user.email(), "password", TestApp.PASSWORD),
                    "X-CSRFToken", csrf).status()).isEqualTo(200);
        }

        HttpClientSession.Reply limited = generic.client().login(user.email(), TestApp.PASSWORD);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void the_unlock_link_is_not_mounted_when_locks_end_by_time_only() {
        try (TestApp timeOnly = new TestApp()) {
            assertThat(timeOnly.client().get("/unlock/anything").status()).isEqualTo(404);
        }
    }

    // ------------------------------------------------------------------ re-authentication (issue 10, defect 3)

    private static HttpClientSession.Reply verify(HttpClientSession client, String password) {
        return client.postJson("/verify", Map.of("password", password), "X-CSRF-Token", client.csrfToken());
    }

    @Test
    void a_lock_reached_at_verify_locks_sign_in_too_and_mails_the_owner() {
        User user = generic.newUser("verify-locks");
        HttpClientSession session = generic.signedIn(user);
        HttpClientSession.Reply wrong = verify(session, "wrong password 1");
        verify(session, "wrong password 2");

        HttpClientSession.Reply locking = verify(session, "wrong password 3");
        HttpClientSession.Reply right = verify(session, TestApp.PASSWORD);

        assertThat(locking.status()).isEqualTo(400);
        assertThat(right.status()).as("with generic responses a lock answers like a wrong password").isEqualTo(400);
        assertThat(right.body()).isEqualTo(wrong.body());
        assertThat(generic.client().login(user.email(), TestApp.PASSWORD).status()).as("sign-in is locked too").isEqualTo(400);
        assertThat(inbox.next(user.email()).subject()).isEqualTo("Your account has been locked");
        assertThat(generic.gatehouse.lockout().status(user.id())).isPresent();
    }

    @Test
    void without_generic_responses_verify_names_the_lock() {
        User user = specific.newUser("verify-told");
        HttpClientSession session = specific.signedIn(user);
        for (int i = 0; i < 3; i++) {
            verify(session, "wrong password " + i);
        }

        HttpClientSession.Reply right = verify(session, TestApp.PASSWORD);

        assertThat(right.status()).isEqualTo(400);
        assertThat(right.fieldErrors("password").get(0)).startsWith("This account is locked after too many failed sign-ins.");
        inbox.next(user.email());
    }

    @Test
    void wrong_passwords_at_change_lock_the_account_and_the_lock_is_named() {
        try (TestApp app = TestApp.withMail(SMTP, c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(CHANGEABLE, true).set(RETURN_GENERIC_RESPONSES, false))) {
            User user = app.newUser("change-locks");
            HttpClientSession session = app.signedIn(user);
            for (int i = 0; i < 3; i++) {
                assertThat(session.postJson("/change", Map.of("password", "guess " + i, "new_password", "a brand new passphrase"),
                        "X-CSRF-Token", session.csrfToken()).status()).isEqualTo(400);
            }

            HttpClientSession.Reply right = session.postJson("/change", Map.of("password", TestApp.PASSWORD,
                    "new_password", "a brand new passphrase"), "X-CSRF-Token", session.csrfToken());

            assertThat(right.status()).isEqualTo(400);
            assertThat(right.fieldErrors("password").get(0)).startsWith("This account is locked after too many failed sign-ins.");
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
            assertThat(inbox.next(user.email()).subject()).isEqualTo("Your account has been locked");
        }
    }

    // ------------------------------------------------------------------ per account (issue 10)

    @Test
    void email_and_username_share_one_failure_count() {
        try (TestApp app = new TestApp(c -> c.set(USERNAME_ENABLE, true).set(RATE_LIMITS_ENABLED, true))) {
            User user = app.t.gatehouse.users().createUser(dev.gatehouse.user.NewUser.builder(TestApp.email("both"))
                    .username("both" + System.nanoTime()).passwordHash(app.gatehouse.passwords().hash(TestApp.PASSWORD)).build());
            String username = user.username().orElseThrow();
            for (int i = 0; i < 3; i++) {
                assertThat(app.client().login(user.email(), "wrong " + i).status()).isEqualTo(400);
            }
            for (int i = 0; i < 2; i++) {
                assertThat(app.client().login(username, "wrong " + i).status()).isEqualTo(400);
            }

            HttpClientSession.Reply byUsername = app.client().login(username, TestApp.PASSWORD);
            HttpClientSession.Reply byEmail = app.client().login(user.email(), TestApp.PASSWORD);

            assertThat(byUsername.status()).isEqualTo(429);
            assertThat(byEmail.status()).isEqualTo(429);
            assertThat(Long.parseLong(byEmail.header("Retry-After"))).isBetween(1L, 300L);
        }
    }

    @Test
    void unknown_and_known_accounts_meet_the_limit_alike() {
        try (TestApp app = new TestApp(c -> c.set(RATE_LIMITS_ENABLED, true).set(LOCKOUT_ENABLED, false))) {
            User user = app.newUser("known");
            String unknown = TestApp.email("unknown");
            HttpClientSession.Reply known = null;
            HttpClientSession.Reply nobody = null;
            for (int i = 0; i < 6; i++) {
                known = app.client().login(user.email(), "wrong");
                nobody = app.client().login(unknown, "wrong");
                assertThat(known.status()).isEqualTo(nobody.status()).isEqualTo(i < 5 ? 400 : 429);
            }
            assertThat(known.body()).isEqualTo(nobody.body());
            assertThat(known.header("Retry-After")).isEqualTo(nobody.header("Retry-After"));
        }
    }

    // ------------------------------------------------------------------ lockout-scope, progressive, permanent

    private static HttpClientSession.Reply loginFrom(TestApp app, String address, String email, String password) {
        return app.client().login(email, password, Map.of(), "X-Forwarded-For", address);
    }

    @Test
    void per_account_and_address_the_owner_signs_in_from_elsewhere_while_the_attackers_address_is_locked() {
        // No per-account rate limit here: it would slow the owner for its window whatever the lockout scope.
        try (TestApp app = new TestApp(c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(LOCKOUT_SCOPE, LockoutScope.ACCOUNT_AND_ADDRESS)
                .set("trusted-proxy-count", "1").set(RATE_LIMITS_ENABLED, true).set("rate-limit-login-failed", "10/1m/ip"))) {
            User user = app.newUser("owner");
            for (int i = 0; i < 3; i++) {
                assertThat(loginFrom(app, "203.0.113.66", user.email(), "guess " + i).status()).isEqualTo(400);
            }

            assertThat(loginFrom(app, "203.0.113.66", user.email(), TestApp.PASSWORD).status()).as("attacker's address").isEqualTo(400);
            assertThat(loginFrom(app, "198.51.100.7", user.email(), TestApp.PASSWORD).status()).as("owner's address").isEqualTo(200);
            assertThat(loginFrom(app, "203.0.113.66", user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
        }
    }

    @Test
    void per_account_the_default_locks_every_address() {
        try (TestApp app = new TestApp(c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set("trusted-proxy-count", "1"))) {
            User user = app.newUser("everywhere");
            for (int i = 0; i < 3; i++) {
                loginFrom(app, "203.0.113.66", user.email(), "guess " + i);
            }

            assertThat(loginFrom(app, "198.51.100.7", user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
        }
    }

    @Test
    void progressive_locks_last_longer_each_time_up_to_the_maximum() {
        try (TestApp app = new TestApp(c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(RETURN_GENERIC_RESPONSES, false)
                .set(LOCKOUT_DURATION, Duration.ofMinutes(15)).set(LOCKOUT_DURATION_MAX, Duration.ofMinutes(40)))) {
            User user = app.newUser("progressive");
            for (int lock = 1; lock <= 4; lock++) {
                java.time.Instant now = app.t.clock.instant();
                for (int i = 0; i < 3; i++) {
                    app.client().login(user.email(), "guess " + i);
                }
                Duration expected = Duration.ofMinutes(Math.min(15L * lock, 40));

                HttpClientSession.Reply locked = app.client().login(user.email(), TestApp.PASSWORD);

                assertThat(locked.fieldErrors("email").get(0)).as("lock " + lock)
                        .endsWith(" It unlocks at " + UNTIL.format(now.plus(expected)) + ".");
                app.t.clock.advance(expected.minusMinutes(1));
                assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
                app.t.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        }
    }

    private static final java.time.format.DateTimeFormatter UNTIL = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    @Test
    void a_permanent_lock_ends_only_through_the_unlock_link_or_an_administrator() {
        try (TestApp app = TestApp.withMail(SMTP, c -> c.set(LOCKOUT_MAX_ATTEMPTS, 3).set(LOCKOUT_UNLOCK, LockoutUnlock.EMAIL))) {
            User user = app.newUser("permanent");
            lock(app, user);
            String link = inbox.next(user.email()).link("/unlock");

            app.t.clock.advance(Duration.ofDays(30));
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).as("time alone does not unlock").isEqualTo(400);
            assertThat(app.client().get(link).status()).isEqualTo(302);
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);

            lock(app, user);
            inbox.next(user.email());
            app.t.clock.advance(Duration.ofDays(30));
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
            assertThat(app.gatehouse.lockout().unlock(user.id(), "admin", dev.gatehouse.request.ClientInfo.UNKNOWN)).isTrue();
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        }
    }
}
