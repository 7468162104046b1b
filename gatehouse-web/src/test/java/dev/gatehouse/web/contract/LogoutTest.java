package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /logout}: methods, CSRF, and that it really ends the server-side session. */
@HttpContract
class LogoutTest {

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
    void a_json_logout_answers_200_and_clears_the_session_cookie() {
        HttpClientSession browser = app.signedIn(app.newUser("json"));

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of(), "X-CSRF-Token", browser.csrfToken());

        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json().path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(logout.setCookie("gatehouse_session")).contains("Max-Age=0");
        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void a_replayed_session_cookie_no_longer_authenticates_after_logout() {
        HttpClientSession browser = app.signedIn(app.newUser("replay"));
        String old = browser.cookie("gatehouse_session");

        assertThat(browser.postJson("/logout", Map.of(), "X-CSRF-Token", browser.csrfToken()).status()).isEqualTo(200);

        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_session", old);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
        assertThat(replay.get("/public").body()).isEqualTo("anonymous");
    }

    @Test
    void logging_out_one_browser_leaves_the_users_other_sessions_alone() {
        User user = app.newUser("other-sessions");
        HttpClientSession laptop = app.signedIn(user);
        HttpClientSession phone = app.signedIn(user);

        laptop.postJson("/logout", Map.of(), "X-CSRF-Token", laptop.csrfToken());

        assertThat(laptop.getJson("/api/me").status()).isEqualTo(401);
        assertThat(phone.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void a_session_authenticated_logout_without_a_csrf_token_is_refused_and_the_session_survives() {
        HttpClientSession browser = app.signedIn(app.newUser("csrf"));

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of());

        assertThat(logout.status()).isEqualTo(400);
        assertThat(logout.errors()).isNotEmpty();
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void an_html_logout_redirects_to_the_post_logout_view_or_a_safe_next() {
        HttpClientSession browser = app.signedIn(app.newUser("html"));
        String csrf = browser.csrfToken();

        HttpClientSession.Reply logout = browser.postForm("/logout?next=/account", Map.of("csrf_token", csrf));

        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.header("Location")).isEqualTo("/account");
        assertThat(browser.get("/public").body()).isEqualTo("anonymous");

        HttpClientSession other = app.signedIn(app.newUser("html-unsafe"));
        HttpClientSession.Reply unsafe = other.postForm("/logout?next=//evil.com", Map.of("csrf_token", other.csrfToken()));
        assertThat(unsafe.header("Location")).isEqualTo("/");
    }

    @Test
    void logout_is_post_only_by_default_and_get_only_asks_for_confirmation() {
        HttpClientSession browser = app.signedIn(app.newUser("get"));

        HttpClientSession.Reply page = browser.get("/logout");
        HttpClientSession.Reply json = browser.getJson("/logout");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/logout\">");
        assertThat(json.status()).isEqualTo(405);
        assertThat(json.header("Allow")).isEqualTo("POST");
        assertThat(browser.getJson("/api/me").status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void logout_answers_get_too_when_logout_methods_allows_it() {
        try (TestApp custom = new TestApp(c -> c.set("logout-methods", "GET,POST"))) {
            HttpClientSession browser = custom.signedIn(custom.newUser("get-allowed"));
            String old = browser.cookie("gatehouse_session");

            HttpClientSession.Reply get = browser.get("/logout");

            assertThat(get.status()).isEqualTo(302);
            assertThat(get.header("Location")).isEqualTo("/");
            HttpClientSession replay = custom.client();
            replay.cookies.put("gatehouse_session", old);
            assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
            HttpClientSession again = custom.signedIn(custom.newUser("post-still"));
            assertThat(again.postJson("/logout", Map.of(), "X-CSRF-Token", again.csrfToken()).status()).isEqualTo(200);
        }
    }

    @Test
    void logout_by_a_client_that_is_not_signed_in_is_harmless() {
        HttpClientSession.Reply logout = app.client().postJson("/logout", Map.of());

        assertThat(logout.status()).isEqualTo(200);
    }

    @Test
    void logout_with_only_a_remember_cookie_ends_the_remembered_grant() {
        HttpClientSession browser = app.signedIn(app.newUser("remembered"), Map.of("remember", true));
        String csrf = browser.csrfToken();
        String remember = browser.cookie("gatehouse_remember");
        browser.cookies.remove("gatehouse_session");

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of(), "X-CSRF-Token", csrf);

        assertThat(logout.status()).as(logout.body()).isEqualTo(200);
        assertThat(browser.cookies).as("no cookie of the ended sign-in is left behind")
                .doesNotContainKeys("gatehouse_session", "gatehouse_remember");
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_remember", remember);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void a_programmatic_logout_with_only_a_remember_cookie_leaves_no_session_cookie_behind() {
        HttpClientSession browser = app.signedIn(app.newUser("programmatic-remembered"), Map.of("remember", true));
        browser.cookies.remove("gatehouse_session");

        HttpClientSession.Reply logout = browser.request("POST", "/programmatic-logout");

        assertThat(logout.status()).isEqualTo(200);
        assertThat(browser.cookies).doesNotContainKeys("gatehouse_session", "gatehouse_remember");
        assertThat(browser.get("/public").body()).isEqualTo("anonymous");
    }

    @Test
    void a_logout_with_a_token_and_a_session_cookie_and_the_csrf_token_ends_both_sign_ins() {
        User user = app.newUser("token-and-cookie");
        HttpClientSession browser = app.signedIn(user);
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        String old = browser.cookie("gatehouse_session");

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of(), "Authentication-Token", token,
                "X-CSRF-Token", browser.csrfToken());

        assertThat(logout.status()).isEqualTo(200);
        List<String> cleared = logout.setCookies("gatehouse_session");
        assertThat(cleared).anyMatch(c -> c.contains("Max-Age=0"));
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_session", old);
        assertThat(replay.getJson("/api/me").status())
                .as("the response told the browser the session is gone, so it must be gone on the server too")
                .isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
    }

    /** Issue 10, defect 1: logging out ends what the sign-in issued, tokens included. */
    @Test
    void logging_out_ends_the_api_token_and_the_refresh_tokens_of_that_sign_in() {
        User user = app.newUser("tokens-die");
        HttpClientSession browser = app.client();
        HttpClientSession.Reply login = browser.login(user.email(), TestApp.PASSWORD,
                Map.of("include_auth_token", true, "include_refresh_token", true));
        String token = login.user().path("authentication_token").asText();
        String refreshToken = login.user().path("refresh_token").asText();
        String query = "?auth_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(app.client().postJson("/api/me" + query, Map.of()).status()).isEqualTo(200);

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of(), "X-CSRF-Token",
                login.json().path("response").path("csrf_token").asText());

        assertThat(logout.status()).as(logout.body()).isEqualTo(200);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).as("token in the header")
                .isEqualTo(401);
        assertThat(app.client().postJson("/api/me" + query, Map.of()).status()).as("token in the query").isEqualTo(401);
        assertThat(app.client().postJson("/refresh-token", Map.of("refresh_token", refreshToken)).status())
                .as("the refresh token no longer exchanges").isEqualTo(400);
    }

    /** Issue 10, defect 1: a logout with the token itself used to answer 200 and change nothing. */
    @Test
    void a_token_authenticated_logout_ends_that_tokens_sign_in() {
        User user = app.newUser("token-logout");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD,
                Map.of("include_auth_token", true, "include_refresh_token", true));
        String token = login.user().path("authentication_token").asText();
        String refreshToken = login.user().path("refresh_token").asText();
        String other = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        HttpClientSession.Reply logout = app.client().postJson("/logout", Map.of(), "Authentication-Token", token);

        assertThat(logout.status()).isEqualTo(200);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        assertThat(app.client().postJson("/refresh-token", Map.of("refresh_token", refreshToken)).status()).isEqualTo(400);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", other).status())
                .as("another sign-in of the same user").isEqualTo(200);
        assertThat(app.gatehouse.auditLog().forUser(user.id(), 10, java.util.Optional.empty()).stream()
                .map(e -> e.type()).toList()).contains("user_logged_out");
    }

    /** Issue 10, defect 4: the attacker's own token must not let a cross-site logout skip the victim's CSRF check. */
    @Test
    void a_logout_with_the_attackers_token_and_the_victims_cookie_but_no_csrf_token_is_refused() {
        HttpClientSession victim = app.signedIn(app.newUser("victim"));
        String attackersToken = app.client().loginForToken(app.newUser("attacker").email(), TestApp.PASSWORD);

        HttpClientSession.Reply logout = victim.postJson("/logout?auth_token="
                + URLEncoder.encode(attackersToken, StandardCharsets.UTF_8), Map.of());

        assertThat(logout.status()).as(logout.body()).isEqualTo(400);
        assertThat(logout.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(logout.setCookies("gatehouse_session")).isEmpty();
        assertThat(victim.getJson("/api/me").status()).as("the victim is still signed in").isEqualTo(200);
    }

    @Test
    void logout_deletes_the_data_attached_to_the_sign_in_such_as_a_providers_tokens() {
        HttpClientSession laptop = app.signedIn(app.newUser("session-data"));
        dev.gatehouse.session.SessionRecord session = app.gatehouse.sessions().store()
                .findBySecret(laptop.cookie("gatehouse_session"), dev.gatehouse.session.SessionKind.SESSION).orElseThrow();
        dev.gatehouse.session.SessionData tokens = new dev.gatehouse.session.SessionData(session.familyId(), "oidc:tokens",
                session.userId(), "s1.sealed", session.expiresAt());
        app.gatehouse.sessionData().put(tokens);
        HttpClientSession phone = app.signedIn(app.gatehouse.users().findUserById(session.userId()).orElseThrow());
        dev.gatehouse.session.SessionRecord other = app.gatehouse.sessions().store()
                .findBySecret(phone.cookie("gatehouse_session"), dev.gatehouse.session.SessionKind.SESSION).orElseThrow();
        app.gatehouse.sessionData().put(new dev.gatehouse.session.SessionData(other.familyId(), "oidc:tokens",
                other.userId(), "s1.sealed", other.expiresAt()));

        assertThat(laptop.postJson("/logout", Map.of(), "X-CSRF-Token", laptop.csrfToken()).status()).isEqualTo(200);

        assertThat(app.gatehouse.sessionData().find(session.familyId(), "oidc:tokens")).isEmpty();
        assertThat(app.gatehouse.sessionData().find(other.familyId(), "oidc:tokens")).as("the phone's sign-in").isPresent();
    }
}
