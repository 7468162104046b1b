package dev.gatehouse.javalin;

import static org.assertj.core.api.Assertions.assertThat;

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
class LockoutHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp generic;
    private static TestApp specific;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        generic = TestApp.withMail(SMTP, c -> c.lockoutMaxAttempts(3).lockoutUnlock("both").rateLimitsEnabled(true));
        specific = TestApp.withMail(SMTP, c -> c.lockoutMaxAttempts(3).lockoutUnlock("both").returnGenericResponses(false));
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
}
