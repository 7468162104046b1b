package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password change through a real server: freshness first, CSRF for sessions, every other session
 * and token ended afterwards while the client that changed it continues with a new session (or a
 * new token), and the notice arrives by mail.
 */
@HttpContract
class ChangePasswordHttpTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";
    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(CHANGEABLE, true).set(RECOVERABLE, true).set(RATE_LIMITS_ENABLED, true)
                .set(FRESHNESS, Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    @BeforeEach
    void freshWindows() {
        app.t.clock.advance(Duration.ofMinutes(10));
    }

    private static Map<String, String> form(String csrf, String current, String password, String confirm) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("password", current);
        form.put("new_password", password);
        form.put("new_password_confirm", confirm);
        form.put("csrf_token", csrf);
        return form;
    }

    /** A browser signed in through the sign-in form. */
    private static HttpClientSession browserSignedIn(User user) {
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        assertThat(browser.postForm("/login", Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf))
                .status()).isEqualTo(302);
        return browser;
    }

    @Test
    void a_form_change_keeps_this_browser_signed_in_with_a_new_session_and_ends_every_other_one() {
        User user = app.newUser("form-change");
        HttpClientSession browser = browserSignedIn(user);
        String oldCookie = browser.cookie("gatehouse_session");
        HttpClientSession elsewhere = app.signedIn(user);
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        HttpClientSession.Reply page = browser.get("/change");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("autocomplete=\"current-password\"").contains("name=\"new_password_confirm\"");
        HttpClientSession.Reply changed = browser.postForm("/change",
                form(LoginApiTest.hiddenCsrfToken(page.body()), TestApp.PASSWORD, NEW_PASSWORD, NEW_PASSWORD));

        assertThat(changed.status()).isEqualTo(302);
        assertThat(changed.header("Location")).isEqualTo("/");
        assertThat(browser.get("/app-page").body()).contains("You successfully changed your password.");
        assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
        assertThat(browser.cookie("gatehouse_session")).isNotEqualTo(oldCookie);
        HttpClientSession withOldCookie = app.client();
        withOldCookie.cookies.put("gatehouse_session", oldCookie);
        assertThat(withOldCookie.get("/public").body()).as("the old session ended too").isEqualTo("anonymous");
        assertThat(elsewhere.getJson("/api/me").status()).isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        assertThat(app.client().login(user.email(), NEW_PASSWORD).status()).isEqualTo(200);

        Inbox.Mail notice = inbox.next(user.email());
        assertThat(notice.subject()).isEqualTo("Your password has been changed");
        assertThat(notice.text()).contains("If you did not change your password, reset it here:").contains(Inbox.SITE + "/reset");
    }

    @Test
    void a_json_change_returns_a_new_token_and_csrf_token_for_the_new_session() {
        User user = app.newUser("json-change");
        HttpClientSession client = app.signedIn(user);
        String oldToken = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        HttpClientSession.Reply changed = client.postJson("/change?include_auth_token", Map.of("password", TestApp.PASSWORD,
                "new_password", NEW_PASSWORD), "X-CSRFToken", client.csrfToken());

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        String newToken = changed.user().path("authentication_token").asText();
        String csrf = changed.json().path("response").path("csrf_token").asText();
        assertThat(app.client().getJson("/api/me", "Authentication-Token", newToken).json().path("email").asText())
                .isEqualTo(user.email());
        assertThat(app.client().getJson("/api/me", "Authentication-Token", oldToken).status()).isEqualTo(401);
        assertThat(client.getJson("/api/me").status()).as("this client's new session").isEqualTo(200);
        assertThat(client.postJson("/api/me", Map.of(), "X-CSRFToken", csrf).status()).as("with its new CSRF token")
                .isEqualTo(200);
        inbox.next(user.email());
    }

    @Test
    void a_token_client_changes_without_csrf_and_gets_a_new_token() {
        User user = app.newUser("token-change");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        HttpClientSession api = app.client();

        HttpClientSession.Reply changed = api.postJson("/change?include_auth_token", Map.of("password", TestApp.PASSWORD,
                "new_password", NEW_PASSWORD, "new_password_confirm", NEW_PASSWORD), "Authentication-Token", token);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(api.getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        assertThat(api.getJson("/api/me", "Authentication-Token", changed.user().path("authentication_token").asText())
                .status()).isEqualTo(200);
        assertThat(changed.setCookie("gatehouse_session")).as("a token client gets no session").isNull();
        inbox.next(user.email());
    }

    @Test
    void a_stale_session_must_verify_the_password_first() {
        User user = app.newUser("stale");
        HttpClientSession browser = browserSignedIn(user);
        HttpClientSession api = app.signedIn(user);
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply page = browser.get("/change");
        HttpClientSession.Reply json = api.postJson("/change", Map.of("password", TestApp.PASSWORD, "new_password", NEW_PASSWORD),
                "X-CSRFToken", api.csrfToken());

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/verify?next=%2Fchange");
        assertThat(json.status()).isEqualTo(401);
        assertThat(json.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).as("nothing changed").isEqualTo(200);

        HttpClientSession.Reply verified = browser.postForm("/verify?next=%2Fchange", Map.of("password", TestApp.PASSWORD,
                "csrf_token", LoginApiTest.hiddenCsrfToken(browser.follow(page).body())));
        assertThat(verified.header("Location")).isEqualTo("/change");
        assertThat(browser.get("/change").status()).isEqualTo(200);
    }

    @Test
    void refusals_are_400_with_field_errors_or_the_form_again_and_change_nothing() {
        User user = app.newUser("refusals");
        HttpClientSession api = app.signedIn(user);
        HttpClientSession browser = browserSignedIn(user);
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/change").body());

        HttpClientSession.Reply wrong = api.postJson("/change", Map.of("password", "not my password", "new_password", NEW_PASSWORD),
                "X-CSRFToken", api.csrfToken());
        HttpClientSession.Reply same = api.postJson("/change", Map.of("password", TestApp.PASSWORD,
                "new_password", TestApp.PASSWORD), "X-CSRFToken", api.csrfToken());
        HttpClientSession.Reply noCsrf = api.postJson("/change", Map.of("password", TestApp.PASSWORD, "new_password", NEW_PASSWORD));
        HttpClientSession.Reply mismatch = browser.postForm("/change", form(csrf, TestApp.PASSWORD, NEW_PASSWORD, "typo"));
        HttpClientSession.Reply anonymous = app.client().postJson("/change", Map.of("password", "x", "new_password", "y"));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.fieldErrors("password")).containsExactly("Invalid password");
        assertThat(same.fieldErrors("new_password")).containsExactly("Your new password must be different than your previous password.");
        assertThat(noCsrf.status()).isEqualTo(400);
        assertThat(noCsrf.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(mismatch.status()).isEqualTo(200);
        assertThat(mismatch.body()).contains("id=\"new_password_confirm-error\">The passwords do not match.")
                .doesNotContain(NEW_PASSWORD);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(app.client().get("/change").header("Location")).isEqualTo("/login?next=%2Fchange");
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        assertThat(api.getJson("/api/me").status()).as("a refused change ends nothing").isEqualTo(200);
    }

    @Test
    void changes_are_rate_limited_per_user_with_429_and_retry_after() {
        User user = app.newUser("guesser");
        HttpClientSession api = app.signedIn(user);
        for (int i = 0; i < 5; i++) {
            assertThat(api.postJson("/change", Map.of("password", "guess " + i, "new_password", NEW_PASSWORD),
                    "X-CSRFToken", api.csrfToken()).status()).isEqualTo(400);
        }

        HttpClientSession.Reply limited = api.postJson("/change", Map.of("password", TestApp.PASSWORD,
                "new_password", NEW_PASSWORD), "X-CSRFToken", api.csrfToken());

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status())
                .as("the wrong current passwords counted as failed sign-ins of the account").isEqualTo(429);
        app.t.clock.advance(Duration.ofMinutes(5));
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).as("the right password did nothing").isEqualTo(200);
    }

    @Test
    void wrong_current_passwords_count_towards_the_sign_in_failure_limit() {
        User user = app.newUser("change-guesses");
        HttpClientSession api = app.signedIn(user);
        for (int i = 0; i < 5; i++) {
            assertThat(api.postJson("/change", Map.of("password", "guess " + i, "new_password", NEW_PASSWORD),
                    "X-CSRFToken", api.csrfToken()).status()).isEqualTo(400);
        }

        HttpClientSession.Reply signIn = app.client().login(user.email(), TestApp.PASSWORD);
        HttpClientSession.Reply verify = api.postJson("/verify", Map.of("password", TestApp.PASSWORD), "X-CSRFToken", api.csrfToken());

        assertThat(signIn.status()).isEqualTo(429);
        assertThat(Long.parseLong(signIn.header("Retry-After"))).isBetween(1L, 300L);
        assertThat(verify.status()).isEqualTo(429);
    }
}
