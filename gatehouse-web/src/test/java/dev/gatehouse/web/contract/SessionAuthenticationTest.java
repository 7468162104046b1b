package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session cookie: what it holds, how it is sent, when it is replaced and when it stops working. */
@HttpContract
class SessionAuthenticationTest {

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
    void the_session_cookie_holds_at_least_256_random_bits_and_the_store_keeps_only_its_digest() {
        User user = app.newUser("digest");
        HttpClientSession browser = app.signedIn(user);
        String cookie = browser.cookie("gatehouse_session");

        assertThat(cookie).matches("[A-Za-z0-9_-]{43,}");
        List<SessionRecord> records = app.gatehouse.sessions().store().listForUser(user.id());
        assertThat(records).isNotEmpty();
        assertThat(records).extracting(SessionRecord::id).doesNotContain(cookie);
        assertThat(app.gatehouse.sessions().store().find(cookie)).isEmpty();
        assertThat(app.gatehouse.sessions().store().find(OneTimeSecret.digestOf(cookie))).isPresent();
    }

    @Test
    void two_sign_ins_get_different_session_cookies() {
        User user = app.newUser("distinct");
        assertThat(app.signedIn(user).cookie("gatehouse_session"))
                .isNotEqualTo(app.signedIn(user).cookie("gatehouse_session"));
    }

    @Test
    void the_session_cookie_is_http_only_and_same_site_lax() {
        User user = app.newUser("attrs");
        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        String setCookie = login.setCookie("gatehouse_session");
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(setCookie).doesNotContain("Max-Age").doesNotContain("Expires");
    }

    @Test
    void with_cookie_secure_on_the_session_cookie_is_secure_and_carries_the_host_prefix() {
        try (TestApp secure = new TestApp(c -> c.set("cookie-secure", "true"))) {
            User user = secure.newUser("secure");
            HttpClientSession browser = secure.client();
            HttpClientSession.Reply login = browser.login(user.email(), TestApp.PASSWORD, java.util.Map.of("remember", true));

            assertThat(login.status()).as(login.body()).isEqualTo(200);
            assertThat(login.setCookie("gatehouse_session")).isNull();
            String session = login.setCookie("__Host-gatehouse_session");
            assertThat(session).isNotNull().contains("; Secure").contains("Path=/").contains("HttpOnly")
                    .contains("SameSite=Lax");
            assertThat(session.toLowerCase()).doesNotContain("domain=");
            String remember = login.setCookie("__Host-gatehouse_remember");
            assertThat(remember).isNotNull().contains("; Secure").contains("Path=/").contains("HttpOnly");
            assertThat(remember.toLowerCase()).doesNotContain("domain=");
            assertThat(browser.cookies).containsKey("__Host-gatehouse_csrf");
            assertThat(browser.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
        }
    }

    @Test
    void a_session_cookie_planted_before_login_is_not_the_one_after_it() {
        User user = app.newUser("fixation");
        HttpClientSession browser = app.client();
        String planted = OneTimeSecret.generate().value();
        browser.cookies.put("gatehouse_session", planted);

        assertThat(browser.login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);

        assertThat(browser.cookie("gatehouse_session")).isNotNull().isNotEqualTo(planted);
        HttpClientSession attacker = app.client();
        attacker.cookies.put("gatehouse_session", planted);
        assertThat(attacker.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void signing_in_again_replaces_the_session_and_ends_the_old_one() {
        User user = app.newUser("relogin");
        HttpClientSession browser = app.client();
        assertThat(browser.request("POST", "/programmatic-login/" + user.id()).status()).isEqualTo(200);
        String first = browser.cookie("gatehouse_session");

        assertThat(browser.request("POST", "/programmatic-login/" + user.id()).status()).isEqualTo(200);
        String second = browser.cookie("gatehouse_session");

        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_session", first);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void an_unknown_session_cookie_does_not_authenticate() {
        HttpClientSession browser = app.client();
        browser.cookies.put("gatehouse_session", OneTimeSecret.generate().value());

        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
        assertThat(browser.get("/public").body()).isEqualTo("anonymous");
    }

    @Test
    void a_session_ends_after_the_idle_timeout() {
        try (TestApp custom = new TestApp(c -> c.set("session-idle-timeout", "10m"))) {
            HttpClientSession browser = custom.signedIn(custom.newUser("idle"));

            custom.t.clock.advance(Duration.ofMinutes(9));
            assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
            custom.t.clock.advance(Duration.ofMinutes(9));
            assertThat(browser.getJson("/api/me").status()).as("used 9 minutes ago").isEqualTo(200);
            custom.t.clock.advance(Duration.ofMinutes(10));
            assertThat(browser.getJson("/api/me").status()).as("idle for 10 minutes").isEqualTo(401);
        }
    }

    @Test
    void a_session_ends_after_its_absolute_lifetime_however_active() {
        try (TestApp custom = new TestApp(c -> c.set("session-idle-timeout", "30m").set("session-absolute-timeout", "1h"))) {
            HttpClientSession browser = custom.signedIn(custom.newUser("absolute"));

            for (int i = 0; i < 3; i++) {
                custom.t.clock.advance(Duration.ofMinutes(19));
                assertThat(browser.getJson("/api/me").status()).as("after %d minutes", 19 * (i + 1)).isEqualTo(200);
            }
            custom.t.clock.advance(Duration.ofMinutes(4));
            assertThat(browser.getJson("/api/me").status()).as("61 minutes after sign-in").isEqualTo(401);
        }
    }

    @Test
    void the_default_idle_timeout_is_30_minutes() {
        HttpClientSession browser = app.signedIn(app.newUser("default-idle"));

        app.t.clock.advance(Duration.ofMinutes(29));
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
        app.t.clock.advance(Duration.ofMinutes(30));
        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void deactivating_a_user_ends_their_session_on_the_next_request() {
        User user = app.newUser("deactivated");
        HttpClientSession browser = app.signedIn(user);
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);

        app.gatehouse.users().deactivate(user.id());

        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
        assertThat(browser.get("/public").body()).isEqualTo("anonymous");
    }

    @Test
    void rotating_the_security_stamp_ends_every_session_of_the_user() {
        User user = app.newUser("stamp");
        HttpClientSession laptop = app.signedIn(user);
        HttpClientSession phone = app.signedIn(user);

        app.gatehouse.users().rotateSecurityStamp(user.id());

        assertThat(laptop.getJson("/api/me").status()).isEqualTo(401);
        assertThat(phone.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void current_user_is_the_anonymous_user_without_a_session_and_the_user_with_one() {
        User user = app.newUser("current");
        assertThat(app.client().get("/public").body()).isEqualTo("anonymous");
        assertThat(app.signedIn(user).get("/public").body()).isEqualTo("user " + user.email());
    }

    @Test
    void a_programmatic_login_signs_the_client_in_with_a_session_that_is_not_fresh() {
        User user = app.newUser("programmatic");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply reply = browser.request("POST", "/programmatic-login/" + user.id());

        assertThat(reply.setCookie("gatehouse_session")).isNotNull().contains("HttpOnly");
        assertThat(reply.setCookie("gatehouse_remember")).isNull();
        assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
        HttpClientSession.Reply fresh = browser.getJson("/fresh");
        assertThat(fresh.status()).isEqualTo(401);
        assertThat(fresh.json().path("response").path("reauth_required").asBoolean()).isTrue();
    }

    @Test
    void a_programmatic_login_with_remember_sets_a_remember_cookie_for_the_given_duration() {
        User user = app.newUser("programmatic-remember");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply reply = browser.request("POST", "/programmatic-login-remember/" + user.id());

        assertThat(reply.setCookie("gatehouse_remember")).contains("Max-Age=" + Duration.ofDays(2).toSeconds());
        assertThat(browser.getJson("/fresh").status()).as("fresh=true").isEqualTo(200);
    }

    @Test
    void a_programmatic_logout_ends_the_server_side_session() {
        User user = app.newUser("programmatic-logout");
        HttpClientSession browser = app.signedIn(user);
        String old = browser.cookie("gatehouse_session");

        HttpClientSession.Reply reply = browser.request("POST", "/programmatic-logout");

        assertThat(reply.body()).isEqualTo("logged out");
        assertThat(reply.setCookie("gatehouse_session")).contains("Max-Age=0");
        assertThat(browser.get("/public").body()).isEqualTo("anonymous");
        HttpClientSession replay = app.client();
        replay.cookies.put("gatehouse_session", old);
        assertThat(replay.getJson("/api/me").status()).isEqualTo(401);
    }
}
