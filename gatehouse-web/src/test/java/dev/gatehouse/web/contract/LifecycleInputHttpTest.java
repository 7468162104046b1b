package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every account lifecycle endpoint against hostile or sloppy requests: without a CSRF token, with
 * bodies of the wrong shape, with odd types and garbage tokens. Each is refused with a 4xx —
 * never a 500 — and changes nothing.
 */
@HttpContract
class LifecycleInputHttpTest {

    private static TestApp app;

    /** Forms of visitors, which need the anonymous CSRF token. */
    private static final List<String> VISITOR_POSTS = List.of("/register", "/confirm", "/reset", "/reset/some-token",
            "/recover-username", "/us-signin/send-code", "/us-signin");
    /** Forms of signed-in users. */
    private static final List<String> MEMBER_POSTS = List.of("/change", "/change-email", "/change-username");
    private static final List<String> LINKS = List.of("/confirm/", "/reset/", "/change-email-confirm/", "/us-verify-link/",
            "/unlock/");

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(LOGIN_WITHOUT_CONFIRMATION, true).set(RECOVERABLE, true).set(CHANGEABLE, true).set(CHANGE_EMAIL, true)
                .set(USERNAME_ENABLE, true).set(USERNAME_RECOVERY, true).set(UNIFIED_SIGNIN, true).set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH)
                .set(EXTERNAL_URL, Inbox.SITE));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void visitor_forms_without_a_csrf_token_are_refused_before_anything_happens() {
        for (String path : VISITOR_POSTS) {
            HttpClientSession client = app.client();
            client.getJson("/login");

            HttpClientSession.Reply json = client.postJson(path, Map.of("email", "csrf@example.com", "identity",
                    "csrf@example.com", "password", "a long enough passphrase", "passcode", "123456"));
            HttpClientSession.Reply form = client.postForm(path, Map.of("email", "csrf@example.com",
                    "csrf_token", "forged"));

            assertThat(json.status()).as(path).isEqualTo(400);
            assertThat(json.fieldErrors("csrf_token")).as(path).containsExactly("The CSRF token is missing.");
            assertThat(form.status()).as(path).isEqualTo(400);
            assertThat(form.body()).as(path).contains("The CSRF token is invalid.");
        }
        assertThat(app.gatehouse.users().findUserByEmail("csrf@example.com")).isEmpty();
        assertThat(app.gatehouse.outbox().store().list(dev.gatehouse.mail.OutboxStatus.PENDING, 10)).isEmpty();
    }

    @Test
    void member_forms_need_the_sessions_csrf_token() {
        User user = app.newUser("member");
        HttpClientSession member = app.signedIn(user);
        HttpClientSession stranger = app.client();
        String strangersToken = stranger.csrfToken();

        for (String path : MEMBER_POSTS) {
            HttpClientSession.Reply missing = member.postJson(path, Map.of("password", TestApp.PASSWORD,
                    "new_password", "a brand new passphrase", "email", TestApp.email("new"), "username", "new_name"));
            HttpClientSession.Reply foreign = member.postJson(path, Map.of("password", TestApp.PASSWORD,
                    "new_password", "a brand new passphrase", "email", TestApp.email("new"), "username", "new_name"),
                    "X-CSRFToken", strangersToken);

            assertThat(missing.status()).as(path).isEqualTo(400);
            assertThat(foreign.status()).as(path).isEqualTo(400);
            assertThat(foreign.fieldErrors("csrf_token")).as(path).containsExactly("The CSRF token is invalid.");
        }
        User stored = app.gatehouse.users().findUserById(user.id()).orElseThrow();
        assertThat(stored.username()).isEmpty();
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void malformed_bodies_odd_types_and_garbage_tokens_are_4xx_never_5xx() {
        HttpClientSession visitor = app.client();
        String csrf = visitor.csrfToken();
        HttpClientSession member = app.signedIn(app.newUser("odd"));
        String memberCsrf = member.csrfToken();
        List<String> bodies = List.of("[1, 2, 3]", "{\"email\": [\"x@example.com\"], \"password\": {\"a\": 1}, "
                + "\"identity\": 42, \"passcode\": null, \"username\": [\"x\"], \"new_password\": []}", "not json at all",
                "{\"email\": \"" + "a".repeat(5000) + "@example.com\", \"password\": \"" + "p".repeat(5000) + "\"}");

        for (String body : bodies) {
            for (String path : VISITOR_POSTS) {
                HttpClientSession.Reply reply = visitor.postRaw(path, "application/json", body, "X-CSRFToken", csrf);
                assertThat(reply.status()).as("%s %s", path, body.length() > 60 ? body.substring(0, 60) : body)
                        .isBetween(400, 499);
            }
            for (String path : MEMBER_POSTS) {
                HttpClientSession.Reply reply = member.postRaw(path, "application/json", body, "X-CSRFToken", memberCsrf);
                assertThat(reply.status()).as("%s %s", path, body.length() > 60 ? body.substring(0, 60) : body)
                        .isBetween(400, 499);
            }
        }
        HttpClientSession.Reply brokenForm = visitor.postRaw("/reset", "application/x-www-form-urlencoded",
                "email=%zz&csrf_token=" + csrf);
        assertThat(brokenForm.status()).isEqualTo(200);
        assertThat(brokenForm.body()).contains("Email not provided");

        for (String link : LINKS) {
            for (String token : List.of("garbage", "v1.AAAA.BBBB.CCCC.DDDD", "%00", "x".repeat(3000))) {
                assertThat(app.client().getJson(link + token).status()).as(link + token).isBetween(400, 404);
                HttpClientSession.Reply page = app.client().get(link + token);
                assertThat(page.status()).as(link + token).isIn(302, 400, 404);
            }
        }
    }
}
