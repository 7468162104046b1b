package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.SESSION_MANAGEMENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a user is signed in (ASVS 7.5.2) through a real server: {@code GET /sessions} lists the
 * sign-ins with the request's own marked, {@code POST /sessions/end} ends one, every other one or
 * all — after a fresh authentication, with the session's CSRF token, and only the user's own.
 */
@HttpContract
class SessionsHttpTest {

    private static final String SESSION_COOKIE = "gatehouse_session";
    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(FRESHNESS, Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpClientSession signedIn(User user, String userAgent) {
        HttpClientSession client = app.client();
        HttpClientSession.Reply reply = client.login(user.email(), TestApp.PASSWORD, Map.of(), "User-Agent", userAgent);
        assertThat(reply.status()).isEqualTo(200);
        return client;
    }

    private static JsonNode sessions(HttpClientSession client) {
        HttpClientSession.Reply reply = client.getJson("/sessions");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("response").path("sessions");
    }

    private static String handleOf(HttpClientSession client, String userAgent) {
        for (JsonNode entry : sessions(client)) {
            if (entry.path("user_agent").asText().equals(userAgent)) {
                return entry.path("id").asText();
            }
        }
        throw new AssertionError("no session from " + userAgent);
    }

    private static HttpClientSession.Reply end(HttpClientSession client, String id) {
        return client.postJson("/sessions/end", Map.of("id", id), "X-CSRFToken", client.csrfToken());
    }

    private static int status(HttpClientSession client) {
        return client.getJson("/api/me").status();
    }

    @Test
    void both_sign_ins_are_listed_with_the_requests_own_marked_current_and_no_secret_in_them() {
        User alice = app.newUser("alice");
        HttpClientSession phone = signedIn(alice, "Phone/1.0");
        HttpClientSession laptop = signedIn(alice, "Laptop/2.0");

        JsonNode listed = sessions(phone);

        assertThat(listed).hasSize(2);
        List<String> current = new ArrayList<>();
        listed.forEach(e -> {
            assertThat(e.path("ip").asText()).isNotEmpty();
            assertThat(e.path("kind").asText()).isEqualTo("session");
            assertThat(e.path("created_at").asText()).isNotEmpty();
            assertThat(e.path("last_used_at").asText()).isNotEmpty();
            if (e.path("current").asBoolean()) {
                current.add(e.path("user_agent").asText());
            }
        });
        assertThat(current).containsExactly("Phone/1.0");
        String body = phone.getJson("/sessions").body();
        for (HttpClientSession client : List.of(phone, laptop)) {
            String cookie = client.cookie(SESSION_COOKIE);
            assertThat(body).doesNotContain(cookie).doesNotContain(OneTimeSecret.digestOf(cookie));
        }
        assertThat(sessions(laptop)).filteredOn(e -> e.path("current").asBoolean())
                .extracting(e -> e.path("user_agent").asText()).containsExactly("Laptop/2.0");
    }

    @Test
    void ending_the_other_sign_in_signs_that_client_out_and_leaves_this_one() {
        User alice = app.newUser("alice");
        HttpClientSession phone = signedIn(alice, "Phone/1.0");
        HttpClientSession laptop = signedIn(alice, "Laptop/2.0");

        HttpClientSession.Reply ended = end(phone, handleOf(phone, "Laptop/2.0"));

        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(ended.json().path("response").path("ended").asInt()).isEqualTo(1);
        assertThat(ended.json().path("response").path("sessions")).hasSize(1);
        assertThat(status(laptop)).isEqualTo(401);
        assertThat(status(phone)).isEqualTo(200);
    }

    @Test
    void all_others_ends_every_other_sign_in_remembered_ones_included_and_all_ends_this_one_too() {
        User alice = app.newUser("alice");
        HttpClientSession phone = signedIn(alice, "Phone/1.0");
        HttpClientSession laptop = signedIn(alice, "Laptop/2.0");
        HttpClientSession remembered = app.client();
        remembered.login(alice.email(), TestApp.PASSWORD, Map.of("remember", true), "User-Agent", "Tablet/3.0");

        HttpClientSession.Reply others = end(phone, "all_others");

        assertThat(others.json().path("response").path("ended").asInt()).isEqualTo(2);
        assertThat(status(laptop)).isEqualTo(401);
        assertThat(status(remembered)).as("the remember-me grant ended with its session").isEqualTo(401);
        assertThat(status(phone)).isEqualTo(200);
        assertThat(sessions(phone)).hasSize(1);

        HttpClientSession.Reply all = end(phone, "all");

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("response").path("ended").asInt()).isEqualTo(1);
        assertThat(all.setCookie(SESSION_COOKIE)).contains("Max-Age=0");
        assertThat(status(phone)).isEqualTo(401);
    }

    @Test
    void a_stale_session_must_re_authenticate_first() {
        User alice = app.newUser("alice");
        HttpClientSession phone = signedIn(alice, "Phone/1.0");
        HttpClientSession laptop = signedIn(alice, "Laptop/2.0");
        String handle = handleOf(phone, "Laptop/2.0");
        String csrf = phone.csrfToken();
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply list = phone.getJson("/sessions");
        HttpClientSession.Reply end = phone.postJson("/sessions/end", Map.of("id", handle), "X-CSRFToken", csrf);

        assertThat(list.status()).isEqualTo(401);
        assertThat(list.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(end.status()).isEqualTo(401);
        assertThat(end.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(status(laptop)).isEqualTo(200);
        assertThat(phone.postJson("/verify", Map.of("password", TestApp.PASSWORD), "X-CSRFToken", csrf).status())
                .isEqualTo(200);
        assertThat(end(phone, handle).status()).isEqualTo(200);
        assertThat(status(laptop)).isEqualTo(401);
    }

    @Test
    void ending_needs_the_sessions_csrf_token() {
        User alice = app.newUser("alice");
        HttpClientSession phone = signedIn(alice, "Phone/1.0");
        HttpClientSession laptop = signedIn(alice, "Laptop/2.0");
        String handle = handleOf(phone, "Laptop/2.0");

        HttpClientSession.Reply missing = phone.postJson("/sessions/end", Map.of("id", handle));
        HttpClientSession.Reply wrong = phone.postJson("/sessions/end", Map.of("id", handle), "X-CSRFToken", laptop.csrfToken());

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(status(laptop)).isEqualTo(200);
    }

    @Test
    void a_handle_of_another_users_session_ends_nothing() {
        User alice = app.newUser("alice");
        User bob = app.newUser("bob");
        HttpClientSession alicePhone = signedIn(alice, "Phone/1.0");
        HttpClientSession bobPhone = signedIn(bob, "Phone/1.0");
        String bobsHandle = handleOf(bobPhone, "Phone/1.0");

        HttpClientSession.Reply foreign = end(alicePhone, bobsHandle);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.fieldErrors("id")).isNotEmpty();
        assertThat(end(alicePhone, "not-a-handle").status()).isEqualTo(404);
        assertThat(alicePhone.postJson("/sessions/end", Map.of(), "X-CSRFToken", alicePhone.csrfToken()).status())
                .isEqualTo(400);
        assertThat(status(bobPhone)).isEqualTo(200);
        assertThat(status(alicePhone)).isEqualTo(200);
    }

    @Test
    void the_page_lists_the_sign_ins_escaped_and_its_buttons_end_them() {
        User alice = app.newUser("alice");
        HttpClientSession other = signedIn(alice, "<script>alert(1)</script>");
        HttpClientSession browser = app.client();
        String loginCsrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        browser.postForm("/login", Map.of("email", alice.email(), "password", TestApp.PASSWORD, "csrf_token", loginCsrf),
                "User-Agent", "Browser/4.0");

        HttpClientSession.Reply page = browser.get("/sessions", "User-Agent", "Browser/4.0");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Browser/4.0", "This device", "&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)</script>");
        String csrf = LoginApiTest.hiddenCsrfToken(page.body());
        HttpClientSession.Reply ended = browser.postForm("/sessions/end", Map.of("id", "all_others", "csrf_token", csrf));
        assertThat(ended.status()).isEqualTo(302);
        assertThat(ended.header("Location")).isEqualTo("/sessions");
        assertThat(status(other)).isEqualTo(401);
        assertThat(browser.follow(ended).body()).contains("Signed out of 1 session(s).");
    }

    @Test
    void a_browser_whose_page_went_stale_re_authenticates_and_comes_back_to_the_list() {
        User alice = app.newUser("alice");
        HttpClientSession browser = app.client();
        String loginCsrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        browser.postForm("/login", Map.of("email", alice.email(), "password", TestApp.PASSWORD, "csrf_token", loginCsrf));
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/sessions").body());
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply stale = browser.postForm("/sessions/end", Map.of("id", "all_others", "csrf_token", csrf));

        assertThat(stale.status()).isEqualTo(302);
        assertThat(stale.header("Location")).isEqualTo("/verify?next=%2Fsessions%2Fend");
        String verifyCsrf = LoginApiTest.hiddenCsrfToken(browser.follow(stale).body());
        HttpClientSession.Reply verified = browser.postForm("/verify?next=%2Fsessions%2Fend",
                Map.of("password", TestApp.PASSWORD, "csrf_token", verifyCsrf));
        HttpClientSession.Reply back = browser.follow(verified);
        assertThat(back.status()).isEqualTo(302);
        assertThat(back.header("Location")).isEqualTo("/sessions");
        assertThat(browser.follow(back).status()).isEqualTo(200);
    }

    @Test
    void the_layout_links_the_page_and_the_setting_turns_it_off() {
        User alice = app.newUser("alice");
        HttpClientSession browser = app.client();
        String loginCsrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        browser.postForm("/login", Map.of("email", alice.email(), "password", TestApp.PASSWORD, "csrf_token", loginCsrf));
        assertThat(browser.get("/app-page").body()).contains("href=\"/sessions\"");

        try (TestApp off = new TestApp(c -> c.set(SESSION_MANAGEMENT, false))) {
            HttpClientSession client = off.client();
            client.login(off.newUser("carol").email(), TestApp.PASSWORD);
            assertThat(client.getJson("/sessions").status()).isEqualTo(404);
            assertThat(client.postJson("/sessions/end", Map.of("id", "all"), "X-CSRFToken", client.csrfToken()).status())
                    .isEqualTo(404);
        }
    }
}
