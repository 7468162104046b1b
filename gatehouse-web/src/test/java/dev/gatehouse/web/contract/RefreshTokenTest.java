package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refresh tokens over HTTP: issue at login, rotation at /refresh-token, reuse detection, expiry. */
@HttpContract
class RefreshTokenTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String refreshTokenFor(TestApp app, User user) {
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("include_refresh_token", true));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return login.user().path("refresh_token").asText();
    }

    private static HttpClientSession.Reply refresh(TestApp app, String refreshToken) {
        return app.client().postJson("/refresh-token", Map.of("refresh_token", refreshToken));
    }

    @Test
    void login_with_include_refresh_token_returns_a_refresh_token_and_an_auth_token() {
        User user = app.newUser("issue");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("include_refresh_token", true));

        String refreshToken = login.user().path("refresh_token").asText();
        assertThat(refreshToken).matches("[A-Za-z0-9_-]{43,}");
        assertThat(app.gatehouse.sessions().store().find(refreshToken)).isEmpty();
        assertThat(app.gatehouse.sessions().store().find(dev.gatehouse.token.OneTimeSecret.digestOf(refreshToken))).isPresent();
        String token = login.user().path("authentication_token").asText();
        assertThat(token).isNotEmpty();
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
    }

    @Test
    void login_with_include_refresh_token_as_a_query_parameter_returns_one() {
        User user = app.newUser("query");
        HttpClientSession client = app.client();
        String csrf = client.csrfToken();

        HttpClientSession.Reply login = client.postJson("/login?include_refresh_token",
                Map.of("email", user.email(), "password", TestApp.PASSWORD), "X-CSRF-Token", csrf);

        assertThat(login.user().path("refresh_token").asText()).isNotEmpty();
    }

    @Test
    void exchanging_a_refresh_token_returns_a_new_auth_token_and_a_new_refresh_token() {
        User user = app.newUser("exchange");
        String first = refreshTokenFor(app, user);

        HttpClientSession.Reply reply = refresh(app, first);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(200);
        String second = reply.user().path("refresh_token").asText();
        String token = reply.user().path("authentication_token").asText();
        assertThat(second).isNotEmpty().isNotEqualTo(first);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).json().path("email").asText())
                .isEqualTo(user.email());
        assertThat(refresh(app, second).status()).as("the new one can be exchanged in turn").isEqualTo(200);
    }

    @Test
    void reusing_an_exchanged_refresh_token_revokes_the_whole_family() {
        User user = app.newUser("reuse");
        String first = refreshTokenFor(app, user);
        String second = refresh(app, first).user().path("refresh_token").asText();

        HttpClientSession.Reply reuse = refresh(app, first);

        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.fieldErrors("refresh_token")).isNotEmpty();
        assertThat(refresh(app, second).status()).as("the newer token of the family is revoked too").isEqualTo(400);
    }

    /** Issue 10, defect 1: access tokens minted from a revoked family used to stay valid until they expired. */
    @Test
    void access_tokens_minted_from_a_family_that_reuse_detection_revoked_stop_working() {
        User user = app.newUser("minted");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("include_refresh_token", true));
        String first = login.user().path("refresh_token").asText();
        HttpClientSession.Reply exchanged = refresh(app, first);
        String minted = exchanged.user().path("authentication_token").asText();
        assertThat(app.client().getJson("/api/me", "Authentication-Token", minted).status()).isEqualTo(200);

        assertThat(refresh(app, first).status()).as("the reused copy").isEqualTo(400);

        assertThat(app.client().getJson("/api/me", "Authentication-Token", minted).status()).isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token",
                login.user().path("authentication_token").asText()).status()).isEqualTo(401);
    }

    @Test
    void an_unknown_or_missing_refresh_token_is_refused_with_a_400() {
        HttpClientSession.Reply unknown = refresh(app, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("meta").path("code").asInt()).isEqualTo(400);
        assertThat(unknown.errors()).isNotEmpty();

        HttpClientSession.Reply missing = app.client().postJson("/refresh-token", Map.of());
        assertThat(missing.status()).isEqualTo(400);
    }

    @Test
    void a_refresh_token_not_exchanged_within_the_idle_timeout_expires() {
        try (TestApp custom = new TestApp(c -> c.set("refresh-token-idle-timeout", "1h"))) {
            User user = custom.newUser("idle");
            String first = refreshTokenFor(custom, user);

            custom.t.clock.advance(Duration.ofMinutes(59));
            HttpClientSession.Reply reply = refresh(custom, first);
            assertThat(reply.status()).isEqualTo(200);
            String second = reply.user().path("refresh_token").asText();

            custom.t.clock.advance(Duration.ofMinutes(61));
            assertThat(refresh(custom, second).status()).isEqualTo(400);
        }
    }

    @Test
    void a_refresh_token_family_ends_at_its_max_age_however_active() {
        try (TestApp custom = new TestApp(c -> c.set("refresh-token-idle-timeout", "1d").set("refresh-token-max-age", "3d"))) {
            User user = custom.newUser("max-age");
            String token = refreshTokenFor(custom, user);

            for (int i = 0; i < 3; i++) {
                custom.t.clock.advance(Duration.ofHours(20));
                HttpClientSession.Reply reply = refresh(custom, token);
                assertThat(reply.status()).as("after %d hours", 20 * (i + 1)).isEqualTo(200);
                token = reply.user().path("refresh_token").asText();
            }
            custom.t.clock.advance(Duration.ofHours(13));
            assertThat(refresh(custom, token).status()).as("73 hours after sign-in").isEqualTo(400);
        }
    }

    @Test
    void rotating_the_security_stamp_revokes_refresh_tokens() {
        User user = app.newUser("stamp");
        String token = refreshTokenFor(app, user);

        app.gatehouse.users().rotateSecurityStamp(user.id());

        assertThat(refresh(app, token).status()).isEqualTo(400);
    }

    @Test
    void deactivating_the_user_revokes_refresh_tokens() {
        User user = app.newUser("deactivated");
        String token = refreshTokenFor(app, user);

        app.gatehouse.users().deactivate(user.id());

        assertThat(refresh(app, token).status()).isEqualTo(400);
    }

    @Test
    void a_logout_that_hands_the_refresh_token_back_ends_its_family() {
        User user = app.newUser("logout-refresh");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD,
                Map.of("include_refresh_token", true));
        String token = login.user().path("authentication_token").asText();
        String refreshToken = login.user().path("refresh_token").asText();

        HttpClientSession.Reply logout = app.client().postJson("/logout", Map.of("refresh_token", refreshToken),
                "Authentication-Token", token);

        assertThat(logout.status()).as(logout.body()).isEqualTo(200);
        assertThat(refresh(app, refreshToken).status()).isEqualTo(400);
    }
}
