package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The remember-me cookie: when it is set, what it restores, and everything that kills it. */
@HttpContract
class RememberMeTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A client that signed in with remember-me and then lost its session cookie (a browser restart). */
    private static HttpClientSession rememberedOnly(TestApp app, User user) {
        HttpClientSession browser = app.signedIn(user, Map.of("remember", true));
        assertThat(browser.cookie("gatehouse_remember")).isNotNull();
        browser.cookies.remove("gatehouse_session");
        return browser;
    }

    @Test
    void remember_true_sets_a_separate_long_lived_cookie_lasting_30_days_by_default() {
        User user = app.newUser("remember");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("remember", true));

        String remember = login.setCookie("gatehouse_remember");
        assertThat(remember).isNotNull().contains("Max-Age=" + Duration.ofDays(30).toSeconds())
                .contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(login.setCookieValue("gatehouse_remember")).matches("[A-Za-z0-9_-]{43,}")
                .isNotEqualTo(login.setCookieValue("gatehouse_session"));
        assertThat(login.setCookie("gatehouse_session")).doesNotContain("Max-Age");
        assertThat(app.gatehouse.sessions().store().find(login.setCookieValue("gatehouse_remember")))
                .as("the store keys grants by digest, never by the cookie value").isEmpty();
        assertThat(app.gatehouse.sessions().store().find(
                dev.gatehouse.token.OneTimeSecret.digestOf(login.setCookieValue("gatehouse_remember")))).isPresent();
    }

    @Test
    void without_remember_there_is_no_remember_cookie() {
        User user = app.newUser("no-remember");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.setCookie("gatehouse_remember")).isNull();
    }

    @Test
    void the_remember_cookie_lifetime_follows_remember_cookie_duration() {
        try (TestApp custom = new TestApp(c -> c.set("remember-cookie-duration", "2d"))) {
            User user = custom.newUser("duration");
            HttpClientSession.Reply login = custom.client().login(user.email(), TestApp.PASSWORD, Map.of("remember", true));

            assertThat(login.setCookie("gatehouse_remember")).contains("Max-Age=172800");
        }
    }

    @Test
    void default_remember_me_sets_the_cookie_when_the_form_does_not_say_and_remember_false_still_wins() {
        try (TestApp custom = new TestApp(c -> c.set("default-remember-me", "true"))) {
            User user = custom.newUser("default");
            assertThat(custom.client().login(user.email(), TestApp.PASSWORD).setCookie("gatehouse_remember")).isNotNull();
            assertThat(custom.client().login(user.email(), TestApp.PASSWORD, Map.of("remember", false))
                    .setCookie("gatehouse_remember")).isNull();
        }
    }

    @Test
    void a_form_login_with_the_remember_checkbox_sets_the_cookie() {
        User user = app.newUser("form-remember");
        HttpClientSession browser = app.client();
        String csrf = browser.csrfToken();

        HttpClientSession.Reply login = browser.postForm("/login", Map.of("email", user.email(),
                "password", TestApp.PASSWORD, "remember", "y", "csrf_token", csrf));

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.setCookie("gatehouse_remember")).isNotNull();
    }

    @Test
    void with_only_the_remember_cookie_a_request_authenticates_and_gets_a_new_session_cookie() {
        User user = app.newUser("restore");
        HttpClientSession browser = rememberedOnly(app, user);

        HttpClientSession.Reply me = browser.getJson("/api/me");

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(user.email());
        assertThat(me.setCookie("gatehouse_session")).isNotNull().contains("HttpOnly");
        String restored = browser.cookie("gatehouse_session");
        assertThat(restored).isNotNull();
        // The new session cookie works on its own.
        browser.cookies.remove("gatehouse_remember");
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void the_remember_cookie_restores_a_session_after_the_session_idled_out() {
        User user = app.newUser("idle-restore");
        HttpClientSession browser = app.signedIn(user, Map.of("remember", true));
        String before = browser.cookie("gatehouse_session");

        app.t.clock.advance(Duration.ofHours(2));

        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
        assertThat(browser.cookie("gatehouse_session")).isNotEqualTo(before);
    }

    @Test
    void a_session_restored_from_the_remember_cookie_is_not_fresh() {
        User user = app.newUser("not-fresh");
        HttpClientSession browser = rememberedOnly(app, user);
        app.t.clock.advance(Duration.ofMinutes(10));

        HttpClientSession.Reply fresh = browser.getJson("/fresh");

        assertThat(fresh.status()).isEqualTo(401);
        assertThat(fresh.json().path("response").path("reauth_required").asBoolean()).isTrue();
    }

    @Test
    void current_user_on_a_public_page_is_restored_from_the_remember_cookie() {
        User user = app.newUser("public-restore");
        HttpClientSession browser = rememberedOnly(app, user);

        HttpClientSession.Reply page = browser.get("/public");

        assertThat(page.body()).isEqualTo("user " + user.email());
        assertThat(page.setCookie("gatehouse_session")).isNotNull();
    }

    @Test
    void the_remember_cookie_no_longer_works_after_logout() {
        User user = app.newUser("logout");
        HttpClientSession browser = app.signedIn(user, Map.of("remember", true));
        String remember = browser.cookie("gatehouse_remember");

        HttpClientSession.Reply logout = browser.postJson("/logout", Map.of(), "X-CSRF-Token", browser.csrfToken());
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.setCookie("gatehouse_remember")).contains("Max-Age=0");

        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_remember", remember);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void the_remember_cookie_no_longer_works_after_the_security_stamp_is_rotated() {
        User user = app.newUser("rotate");
        HttpClientSession browser = rememberedOnly(app, user);

        app.gatehouse.users().rotateSecurityStamp(user.id());

        HttpClientSession.Reply me = browser.getJson("/api/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.setCookie("gatehouse_remember")).contains("Max-Age=0");
    }

    @Test
    void the_remember_cookie_no_longer_works_after_a_password_change_that_rotates_the_stamp() {
        User user = app.newUser("password");
        HttpClientSession browser = rememberedOnly(app, user);

        app.gatehouse.users().setPasswordHash(user.id(), app.gatehouse.passwords().hash("a new password 123"));
        app.gatehouse.users().rotateSecurityStamp(user.id());

        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void the_remember_cookie_no_longer_works_after_deactivation_even_once_reactivated() {
        User user = app.newUser("deactivate");
        HttpClientSession browser = rememberedOnly(app, user);
        String remember = browser.cookie("gatehouse_remember");

        app.gatehouse.users().deactivate(user.id());
        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);

        app.gatehouse.users().activate(user.id());
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_remember", remember);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void the_remember_cookie_expires_after_its_duration() {
        try (TestApp custom = new TestApp(c -> c.set("remember-cookie-duration", "2d"))) {
            User user = custom.newUser("expiry");
            HttpClientSession browser = rememberedOnly(custom, user);
            String remember = browser.cookie("gatehouse_remember");

            custom.t.clock.advance(Duration.ofDays(1));
            assertThat(browser.getJson("/api/me").status()).isEqualTo(200);

            custom.t.clock.advance(Duration.ofDays(1).plusMinutes(1));
            HttpClientSession replay = custom.client();
            replay.cookies.put("gatehouse_remember", remember);
            assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
        }
    }

    @Test
    void a_forged_remember_cookie_does_not_authenticate_and_is_cleared() {
        HttpClientSession browser = app.client();
        browser.cookies.put("gatehouse_remember", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        HttpClientSession.Reply me = browser.getJson("/api/me");

        assertThat(me.status()).isEqualTo(401);
        assertThat(me.setCookie("gatehouse_remember")).contains("Max-Age=0");
        assertThat(browser.cookie("gatehouse_remember")).isNull();
    }

    @Test
    void each_restore_rotates_the_remember_cookie_and_the_new_value_works_next_time() {
        User user = app.newUser("rotation");
        HttpClientSession browser = rememberedOnly(app, user);
        String first = browser.cookie("gatehouse_remember");
        app.t.clock.advance(Duration.ofHours(1));

        HttpClientSession.Reply me = browser.getJson("/api/me");

        assertThat(me.status()).isEqualTo(200);
        String second = me.setCookieValue("gatehouse_remember");
        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(me.setCookie("gatehouse_remember")).contains("Max-Age=" + (Duration.ofDays(30).minusHours(1).toSeconds()))
                .as("the grant keeps its end").contains("HttpOnly");
        browser.cookies.remove("gatehouse_session");
        app.t.clock.advance(Duration.ofHours(1));
        assertThat(browser.getJson("/api/me").status()).as("restored by the rotated value").isEqualTo(200);
        assertThat(browser.cookie("gatehouse_remember")).isNotEqualTo(second);
    }

    @Test
    void a_rotated_remember_cookie_presented_again_ends_the_sign_in_for_everyone_holding_it() {
        User user = app.newUser("reuse");
        HttpClientSession victim = rememberedOnly(app, user);
        String stolen = victim.cookie("gatehouse_remember");
        HttpClientSession thief = app.client();
        thief.cookies.put("gatehouse_remember", stolen);
        assertThat(thief.getJson("/api/me").status()).as("the thief uses the copy first").isEqualTo(200);
        app.t.clock.advance(Duration.ofMinutes(1));

        HttpClientSession.Reply victimsTurn = victim.getJson("/api/me");

        assertThat(victimsTurn.status()).isEqualTo(401);
        assertThat(victimsTurn.setCookie("gatehouse_remember")).contains("Max-Age=0");
        assertThat(thief.getJson("/api/me").status()).as("the thief's session ended with the sign-in").isEqualTo(401);
        thief.cookies.remove("gatehouse_session");
        assertThat(thief.getJson("/api/me").status()).as("and so did the thief's rotated grant").isEqualTo(401);
    }

    @Test
    void requests_sent_together_with_the_same_remember_cookie_are_all_signed_in() {
        User user = app.newUser("concurrent");
        HttpClientSession browser = rememberedOnly(app, user);
        String old = browser.cookie("gatehouse_remember");
        HttpClientSession second = app.client();
        second.cookies.put("gatehouse_remember", old);

        HttpClientSession.Reply first = browser.getJson("/api/me");
        HttpClientSession.Reply inFlight = second.getJson("/api/me");

        assertThat(first.status()).isEqualTo(200);
        assertThat(inFlight.status()).as("within the grace").isEqualTo(200);
        assertThat(inFlight.setCookies("gatehouse_remember")).as("the browser keeps the value the first answer set").isEmpty();
        browser.cookies.remove("gatehouse_session");
        assertThat(browser.getJson("/api/me").status()).as("the rotated value still works").isEqualTo(200);
    }
}
