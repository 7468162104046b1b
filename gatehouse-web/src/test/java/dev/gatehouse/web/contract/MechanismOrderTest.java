package dev.gatehouse.web.contract;

import static dev.gatehouse.web.contract.HttpClientSession.basic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which mechanisms are tried, in which order (token, session, basic — limited to the route's), and
 * that an inactive user gets through none of them.
 */
@HttpContract
class MechanismOrderTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void a_token_wins_over_a_session_cookie_of_another_user() {
        User alice = app.newUser("alice");
        User bob = app.newUser("bob");
        String aliceToken = app.client().loginForToken(alice.email(), TestApp.PASSWORD);
        HttpClientSession bobBrowser = app.signedIn(bob);

        assertThat(bobBrowser.get("/via", "Authentication-Token", aliceToken).body()).isEqualTo("user " + alice.email() + " via TOKEN");
        assertThat(bobBrowser.get("/via").body()).isEqualTo("user " + bob.email() + " via SESSION");
    }

    @Test
    void a_session_wins_over_basic_credentials_of_another_user() {
        User alice = app.newUser("alice");
        User bob = app.newUser("bob");
        HttpClientSession bobBrowser = app.signedIn(bob);

        assertThat(bobBrowser.get("/session-or-basic", "Authorization", basic(alice.email(), TestApp.PASSWORD)).body())
                .isEqualTo("user " + bob.email() + " via SESSION");
        assertThat(app.client().get("/session-or-basic", "Authorization", basic(alice.email(), TestApp.PASSWORD)).body())
                .isEqualTo("user " + alice.email() + " via BASIC");
    }

    @Test
    void an_invalid_token_falls_through_to_the_session() {
        User bob = app.newUser("fallthrough");
        HttpClientSession browser = app.signedIn(bob);

        assertThat(browser.get("/via", "Authentication-Token", "not-a-token").body()).isEqualTo("user " + bob.email() + " via SESSION");
    }

    @Test
    void without_named_mechanisms_a_basic_header_alone_is_not_enough() {
        User user = app.newUser("basic-default");

        HttpClientSession.Reply reply = app.client().getJson("/api/me", "Authorization", basic(user.email(), TestApp.PASSWORD));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).as("no Basic challenge where Basic is not allowed").isNull();
    }

    @Test
    void without_named_mechanisms_an_html_client_is_redirected_to_login_without_a_basic_challenge() {
        HttpClientSession.Reply reply = app.client().get("/api/me");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("WWW-Authenticate")).isNull();
    }

    @Test
    void a_session_cookie_on_a_token_only_route_is_refused() {
        User user = app.newUser("token-only");
        HttpClientSession browser = app.signedIn(user);
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        assertThat(browser.getJson("/token-only").status()).isEqualTo(401);
        assertThat(app.client().getJson("/token-only", "Authentication-Token", token).status()).isEqualTo(200);
    }

    @Test
    void a_token_on_a_session_only_route_is_refused() {
        User user = app.newUser("session-only");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        assertThat(app.client().getJson("/session-only", "Authentication-Token", token).status()).isEqualTo(401);
        assertThat(app.signedIn(user).getJson("/session-only").status()).isEqualTo(200);
    }

    @Test
    void api_enabled_methods_decides_what_routes_without_named_mechanisms_accept() {
        try (TestApp custom = new TestApp(c -> c.set("api-enabled-methods", "session, basic"))) {
            User user = custom.newUser("api-enabled");
            String token = custom.client().loginForToken(user.email(), TestApp.PASSWORD);

            assertThat(custom.client().getJson("/api/me", "Authorization", basic(user.email(), TestApp.PASSWORD)).status())
                    .isEqualTo(200);
            assertThat(custom.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
            HttpClientSession.Reply anonymous = custom.client().getJson("/api/me");
            assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login Required\"");
        }
    }

    @Test
    void an_inactive_user_cannot_sign_in() {
        User user = app.newUser("inactive-login");
        app.gatehouse.users().deactivate(user.id());

        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        assertThat(login.status()).isEqualTo(400);
        assertThat(login.setCookie("gatehouse_session")).isNull();
        assertThat(login.errors()).isNotEmpty();
    }

    @Test
    void an_inactive_user_authenticates_by_no_mechanism() {
        User user = app.newUser("inactive");
        HttpClientSession browser = app.signedIn(user, Map.of("remember", true));
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        String basicHeader = basic(user.email(), TestApp.PASSWORD);
        assertThat(app.client().get("/via", "Authorization", basicHeader).status()).isEqualTo(200);

        app.gatehouse.users().deactivate(user.id());

        assertThat(browser.getJson("/api/me").status()).as("session").isEqualTo(401);
        browser.cookies.remove("gatehouse_session");
        assertThat(browser.getJson("/api/me").status()).as("remember-me").isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).as("token").isEqualTo(401);
        assertThat(app.client().getJson("/via", "Authorization", basicHeader).status()).as("basic").isEqualTo(401);
    }
}
