package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API authentication tokens: how they are obtained, where they are read from, and when they stop working. */
@HttpContract
class TokenAuthenticationTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String tokenFor(User user) {
        return app.client().loginForToken(user.email(), TestApp.PASSWORD);
    }

    @Test
    void login_with_include_auth_token_in_the_json_body_returns_a_token_under_response_user() {
        User user = app.newUser("json-flag");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("include_auth_token", true));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.user().path("authentication_token").asText()).isNotEmpty();
    }

    @Test
    void login_with_include_auth_token_as_a_query_parameter_returns_a_token() {
        User user = app.newUser("query-flag");
        HttpClientSession client = app.client();
        String csrf = client.csrfToken();

        HttpClientSession.Reply login = client.postJson("/login?include_auth_token",
                Map.of("email", user.email(), "password", TestApp.PASSWORD), "X-CSRF-Token", csrf);

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.user().path("authentication_token").asText()).isNotEmpty();
    }

    @Test
    void login_without_include_auth_token_returns_no_token() {
        User user = app.newUser("no-flag");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.user().has("authentication_token")).isFalse();
    }

    @Test
    void the_token_authenticates_from_the_authentication_token_header() {
        User user = app.newUser("header");
        String token = tokenFor(user);

        HttpClientSession.Reply me = app.client().getJson("/api/me", "Authentication-Token", token);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(user.email());
        assertThat(app.client().get("/via", "Authentication-Token", token).body()).isEqualTo("user " + user.email() + " via TOKEN");
    }

    @Test
    void by_default_the_auth_token_query_parameter_authenticates_unsafe_requests_but_not_get_or_head() {
        User user = app.newUser("query");
        String query = "?auth_token=" + URLEncoder.encode(tokenFor(user), StandardCharsets.UTF_8);

        HttpClientSession.Reply post = app.client().postJson("/api/me" + query, Map.of());
        assertThat(post.status()).as(post.body()).isEqualTo(200);
        assertThat(post.json().path("email").asText()).isEqualTo(user.email());

        assertThat(app.client().getJson("/api/me" + query).status())
                .as("a GET URL ends up in history, bookmarks and Referer headers").isEqualTo(401);
        assertThat(app.client().request("HEAD", "/api/me" + query, "Accept", "application/json").status()).isEqualTo(401);
    }

    @Test
    void token_authentication_query_always_accepts_the_query_parameter_on_get_as_flask_security_does() {
        try (TestApp custom = new TestApp(c -> c.set("token-authentication-query", "always"))) {
            User user = custom.newUser("query-always");
            String token = custom.client().loginForToken(user.email(), TestApp.PASSWORD);

            HttpClientSession.Reply me = custom.client().getJson("/api/me?auth_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));

            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("email").asText()).isEqualTo(user.email());
        }
    }

    @Test
    void token_authentication_query_never_refuses_the_query_parameter_on_every_method() {
        try (TestApp custom = new TestApp(c -> c.set("token-authentication-query", "never"))) {
            User user = custom.newUser("query-never");
            String token = custom.client().loginForToken(user.email(), TestApp.PASSWORD);
            String query = "?auth_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);

            assertThat(custom.client().postJson("/api/me" + query, Map.of()).status()).isEqualTo(401);
            assertThat(custom.client().getJson("/api/me" + query).status()).isEqualTo(401);
            assertThat(custom.client().postJson("/api/me", Map.of(), "Authentication-Token", token).status())
                    .as("the header still works").isEqualTo(200);
        }
    }

    @Test
    void a_request_with_a_token_and_a_valid_session_cookie_is_held_to_the_sessions_csrf_rule() {
        HttpClientSession victim = app.signedIn(app.newUser("victim"));
        String attackersToken = tokenFor(app.newUser("attacker"));

        HttpClientSession.Reply forged = victim.postJson("/api/me", Map.of(), "Authentication-Token", attackersToken);

        assertThat(forged.status()).as(forged.body()).isEqualTo(400);
        assertThat(forged.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(victim.postJson("/api/me", Map.of(), "Authentication-Token", attackersToken,
                "X-CSRF-Token", victim.csrfToken()).status()).as("with the session's CSRF token").isEqualTo(200);
    }

    @Test
    void the_token_authenticates_from_the_auth_token_key_of_a_json_body() {
        User user = app.newUser("body");
        String token = tokenFor(user);

        HttpClientSession.Reply me = app.client().postJson("/api/me", Map.of("auth_token", token));

        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(user.email());
    }

    @Test
    void a_token_authenticated_post_needs_no_csrf_token_by_default() {
        User user = app.newUser("no-csrf");
        String token = tokenFor(user);

        HttpClientSession.Reply me = app.client().postJson("/api/me", Map.of(), "Authentication-Token", token);

        assertThat(me.status()).as(me.body()).isEqualTo(200);
    }

    @Test
    void the_token_header_and_key_names_are_configurable() {
        try (TestApp custom = new TestApp(c -> c.set("token-authentication-header", "X-Api-Key")
                .set("token-authentication-key", "api_key"))) {
            User user = custom.newUser("renamed");
            String token = custom.client().loginForToken(user.email(), TestApp.PASSWORD);

            assertThat(custom.client().getJson("/api/me", "X-Api-Key", token).status()).isEqualTo(200);
            assertThat(custom.client().postJson("/api/me?api_key=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                    Map.of()).status()).isEqualTo(200);
            assertThat(custom.client().postJson("/api/me", Map.of("api_key", token)).status()).isEqualTo(200);
            assertThat(custom.client().getJson("/api/me", "Authentication-Token", token).status())
                    .as("the default header name no longer counts").isEqualTo(401);
            assertThat(custom.client().postJson("/api/me?auth_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                    Map.of()).status()).as("the default key no longer counts").isEqualTo(401);
        }
    }

    @Test
    void a_token_expires_after_token_max_age_which_defaults_to_15_minutes() {
        User user = app.newUser("expiry");
        String token = tokenFor(user);

        app.t.clock.advance(Duration.ofMinutes(14));
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        app.t.clock.advance(Duration.ofMinutes(2));
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
    }

    @Test
    void token_max_age_is_configurable() {
        try (TestApp custom = new TestApp(c -> c.set("token-max-age", "2h"))) {
            User user = custom.newUser("max-age");
            String token = custom.client().loginForToken(user.email(), TestApp.PASSWORD);

            custom.t.clock.advance(Duration.ofMinutes(119));
            assertThat(custom.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
            custom.t.clock.advance(Duration.ofMinutes(2));
            assertThat(custom.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        }
    }

    @Test
    void rotating_the_security_stamp_revokes_the_token() {
        User user = app.newUser("stamp");
        String token = tokenFor(user);

        app.gatehouse.users().rotateSecurityStamp(user.id());

        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
    }

    @Test
    void deactivating_the_user_revokes_the_token_on_the_next_request() {
        User user = app.newUser("deactivated");
        String token = tokenFor(user);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);

        app.gatehouse.users().deactivate(user.id());

        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
    }

    @Test
    void a_tampered_token_does_not_authenticate() {
        User user = app.newUser("tampered");
        String token = tokenFor(user);
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(app.client().getJson("/api/me", "Authentication-Token", tampered).status()).isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", "garbage").status()).isEqualTo(401);
    }

    @Test
    void a_token_is_not_a_session_it_sets_no_cookie_and_current_user_sees_it() {
        User user = app.newUser("stateless");
        String token = tokenFor(user);
        HttpClientSession client = app.client();

        HttpClientSession.Reply me = client.getJson("/api/me", "Authentication-Token", token);

        assertThat(me.setCookies()).noneMatch(c -> c.startsWith("gatehouse_session="));
        assertThat(client.get("/public", "Authentication-Token", token).body()).isEqualTo("user " + user.email());
        assertThat(client.getJson("/api/me").status()).as("no session was created").isEqualTo(401);
    }
}
