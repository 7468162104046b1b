package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /verify}: re-authentication refreshes freshness and rotates the session id. */
@HttpContract
class VerifyTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A client whose sign-in is older than the 5 minutes {@code /fresh} demands. */
    private static HttpClientSession staleClient(User user) {
        HttpClientSession browser = app.signedIn(user);
        app.t.clock.advance(Duration.ofMinutes(6));
        assertThat(browser.getJson("/fresh").status()).isEqualTo(401);
        return browser;
    }

    @Test
    void verifying_with_the_right_password_makes_the_session_fresh_again() {
        HttpClientSession browser = staleClient(app.newUser("fresh"));

        HttpClientSession.Reply verify = browser.postJson("/verify", Map.of("password", TestApp.PASSWORD),
                "X-CSRF-Token", browser.csrfToken());

        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.json().path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(verify.json().path("response").path("user").isObject()).isTrue();
        assertThat(verify.json().path("response").path("csrf_token").asText()).isNotEmpty();
        assertThat(browser.getJson("/fresh").status()).isEqualTo(200);
    }

    @Test
    void verifying_rotates_the_session_id_and_the_old_one_is_dead() {
        HttpClientSession browser = staleClient(app.newUser("rotate"));
        String old = browser.cookie("gatehouse_session");

        HttpClientSession.Reply verify = browser.postJson("/verify", Map.of("password", TestApp.PASSWORD),
                "X-CSRF-Token", browser.csrfToken());

        assertThat(verify.status()).isEqualTo(200);
        String renewed = browser.cookie("gatehouse_session");
        assertThat(renewed).isNotNull().isNotEqualTo(old);
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_session", old);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void the_csrf_token_stays_valid_across_the_session_renewal() {
        HttpClientSession browser = staleClient(app.newUser("csrf-kept"));
        String csrf = browser.csrfToken();

        assertThat(browser.postJson("/verify", Map.of("password", TestApp.PASSWORD), "X-CSRF-Token", csrf).status()).isEqualTo(200);

        assertThat(browser.postJson("/api/me", Map.of(), "X-CSRF-Token", csrf).status()).isEqualTo(200);
    }

    @Test
    void a_wrong_password_is_a_400_with_a_password_field_error_and_changes_nothing() {
        HttpClientSession browser = staleClient(app.newUser("wrong"));
        String old = browser.cookie("gatehouse_session");

        HttpClientSession.Reply verify = browser.postJson("/verify", Map.of("password", "wrong password"),
                "X-CSRF-Token", browser.csrfToken());

        assertThat(verify.status()).isEqualTo(400);
        assertThat(verify.json().path("meta").path("code").asInt()).isEqualTo(400);
        assertThat(verify.fieldErrors("password")).containsExactly("Invalid password");
        assertThat(browser.cookie("gatehouse_session")).isEqualTo(old);
        assertThat(browser.getJson("/fresh").status()).isEqualTo(401);
    }

    @Test
    void a_missing_password_is_a_password_field_error() {
        HttpClientSession browser = app.signedIn(app.newUser("missing"));

        HttpClientSession.Reply verify = browser.postJson("/verify", Map.of(), "X-CSRF-Token", browser.csrfToken());

        assertThat(verify.status()).isEqualTo(400);
        assertThat(verify.fieldErrors("password")).isNotEmpty();
    }

    @Test
    void verify_needs_a_csrf_token_from_a_session_client() {
        HttpClientSession browser = staleClient(app.newUser("verify-csrf"));

        HttpClientSession.Reply verify = browser.postJson("/verify", Map.of("password", TestApp.PASSWORD));

        assertThat(verify.status()).isEqualTo(400);
        assertThat(browser.getJson("/fresh").status()).isEqualTo(401);
    }

    @Test
    void verify_refuses_anonymous_clients() {
        HttpClientSession.Reply verify = app.client().postJson("/verify", Map.of("password", TestApp.PASSWORD));

        assertThat(verify.status()).isEqualTo(401);
        assertThat(app.client().getJson("/verify").status()).isEqualTo(401);
    }

    @Test
    void get_verify_answers_the_user_and_a_csrf_token_to_a_json_client() {
        HttpClientSession browser = app.signedIn(app.newUser("get"));

        HttpClientSession.Reply page = browser.getJson("/verify");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("response").path("user").isObject()).isTrue();
        assertThat(page.json().path("response").path("csrf_token").asText()).isNotEmpty();
    }

    @Test
    void a_browser_sent_to_verify_confirms_its_password_in_a_form_and_lands_on_the_page_it_wanted() {
        HttpClientSession browser = app.signedIn(app.newUser("html"));
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply stale = browser.get("/fresh");
        assertThat(stale.status()).isEqualTo(302);
        String location = stale.header("Location");
        assertThat(location).isEqualTo("/verify?next=%2Ffresh");
        HttpClientSession.Reply form = browser.get(location);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"next\" value=\"/fresh\"");
        String csrf = LoginApiTest.hiddenCsrfToken(form.body());

        HttpClientSession.Reply verify = browser.postForm("/verify",
                Map.of("password", TestApp.PASSWORD, "csrf_token", csrf, "next", "/fresh"));

        assertThat(verify.status()).isEqualTo(302);
        assertThat(verify.header("Location")).isEqualTo("/fresh");
        assertThat(browser.get("/fresh").body()).isEqualTo("fresh");
    }

    @Test
    void verifying_by_token_with_include_auth_token_returns_a_fresh_token() {
        User user = app.newUser("token");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        app.t.clock.advance(Duration.ofMinutes(6));
        assertThat(app.client().getJson("/fresh", "Authentication-Token", token).status()).isEqualTo(401);

        HttpClientSession.Reply verify = app.client().postJson("/verify?include_auth_token",
                Map.of("password", TestApp.PASSWORD), "Authentication-Token", token);

        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        String fresh = verify.user().path("authentication_token").asText();
        assertThat(fresh).isNotEmpty();
        assertThat(app.client().getJson("/fresh", "Authentication-Token", fresh).status()).isEqualTo(200);
    }

    @Test
    void an_off_site_next_is_refused_by_json_verify_and_ignored_by_the_form() {
        HttpClientSession browser = staleClient(app.newUser("verify-next"));
        String csrf = browser.csrfToken();

        HttpClientSession.Reply json = browser.postJson("/verify", Map.of("password", TestApp.PASSWORD, "next", "//evil.com"),
                "X-CSRF-Token", csrf);
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.fieldErrors("next")).isNotEmpty();

        HttpClientSession.Reply form = browser.postForm("/verify",
                Map.of("password", TestApp.PASSWORD, "csrf_token", csrf, "next", "https://evil.com"));
        assertThat(form.status()).isEqualTo(302);
        assertThat(form.header("Location")).isEqualTo("/");
    }

    @Test
    void wrong_passwords_at_verify_meet_the_sign_in_limit_with_429_and_retry_after() {
        try (TestApp limited = new TestApp(c -> c.set(RATE_LIMITS_ENABLED, true))) {
            User user = limited.newUser("guessing");
            HttpClientSession session = limited.signedIn(user);
            for (int i = 0; i < 5; i++) {
                assertThat(session.postJson("/verify", Map.of("password", "guess " + i), "X-CSRF-Token", session.csrfToken())
                        .status()).isEqualTo(400);
            }

            HttpClientSession.Reply json = session.postJson("/verify", Map.of("password", TestApp.PASSWORD),
                    "X-CSRF-Token", session.csrfToken());
            String csrf = LoginApiTest.hiddenCsrfToken(session.get("/verify").body());
            HttpClientSession.Reply form = session.postForm("/verify", Map.of("password", TestApp.PASSWORD, "csrf_token", csrf));

            assertThat(json.status()).isEqualTo(429);
            assertThat(Long.parseLong(json.header("Retry-After"))).isBetween(1L, 300L);
            assertThat(json.errors().get(0)).startsWith("Too many attempts.");
            assertThat(form.status()).isEqualTo(429);
            assertThat(form.body()).contains("Too many attempts.");
            assertThat(limited.client().login(user.email(), TestApp.PASSWORD).status()).as("sign-in shares the count").isEqualTo(429);
        }
    }

    @Test
    void a_token_holder_cannot_guess_the_password_at_verify_either() {
        try (TestApp limited = new TestApp(c -> c.set(RATE_LIMITS_ENABLED, true))) {
            User user = limited.newUser("token-guessing");
            String token = limited.client().loginForToken(user.email(), TestApp.PASSWORD);
            HttpClientSession api = limited.client();
            HttpClientSession.Reply last = null;
            for (int i = 0; i < 6; i++) {
                last = api.postJson("/verify", Map.of("password", "guess " + i), "Authentication-Token", token);
            }

            assertThat(last.status()).isEqualTo(429);
            assertThat(last.header("Retry-After")).isNotNull();
        }
    }
}
