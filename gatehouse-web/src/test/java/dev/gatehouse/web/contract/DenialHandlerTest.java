package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.user.User;
import dev.gatehouse.web.Denial;
import dev.gatehouse.web.WebOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How refusals are answered: Flask-Security's defaults for JSON and HTML, unauthorized-view, and replaceable handlers. */
@HttpContract
class DenialHandlerTest {

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
    void an_unauthenticated_json_request_gets_exactly_the_flask_security_401_envelope() {
        HttpClientSession.Reply reply = app.client().getJson("/api/me");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.body()).isEqualTo("{\"meta\":{\"code\":401},\"response\":{\"errors\":"
                + "[\"You are not authenticated. Please supply the correct credentials.\"]}}");
        assertThat(reply.header("WWW-Authenticate")).isNull();
    }

    @Test
    void an_unauthorized_json_request_gets_a_403_envelope() {
        HttpClientSession.Reply reply = app.signedIn(app.newUser("forbidden")).getJson("/admin");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body()).isEqualTo("{\"meta\":{\"code\":403},\"response\":{\"errors\":"
                + "[\"You do not have permission to view this resource.\"]}}");
    }

    @Test
    void an_unauthenticated_html_request_is_redirected_to_login_with_next() {
        HttpClientSession.Reply reply = app.client().get("/admin?tab=users");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/login?next=%2Fadmin%3Ftab%3Dusers");
    }

    @Test
    void an_unauthorized_html_request_gets_a_403_page_by_default() {
        HttpClientSession.Reply reply = app.signedIn(app.newUser("forbidden-html")).get("/admin");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("You do not have permission to view this resource.");
    }

    @Test
    void json_is_chosen_only_when_accept_prefers_it_over_html() {
        HttpClientSession client = app.client();

        assertThat(client.get("/api/me", "Accept", "text/html,application/json;q=0.9").status()).isEqualTo(302);
        assertThat(client.get("/api/me", "Accept", "application/json, */*").status()).isEqualTo(401);
        assertThat(client.get("/api/me", "Accept", "*/*").status()).isEqualTo(302);
        assertThat(client.get("/api/me", "Accept", "application/json;q=0.5, text/html;q=0.4").status()).isEqualTo(401);
        assertThat(client.postRaw("/api/me", "application/json", "{}").status()).as("a JSON body").isEqualTo(401);
    }

    @Test
    void with_an_unauthorized_view_html_clients_are_sent_there_and_json_clients_still_get_403() {
        try (TestApp custom = new TestApp(c -> c.set("unauthorized-view", "/denied"))) {
            HttpClientSession browser = custom.signedIn(custom.newUser("view"));

            HttpClientSession.Reply html = browser.get("/admin");
            assertThat(html.status()).isEqualTo(302);
            assertThat(html.header("Location")).isEqualTo("/denied");
            assertThat(browser.get(html.header("Location")).body()).isEqualTo("denied page");

            assertThat(browser.getJson("/admin").status()).isEqualTo(403);
            assertThat(custom.client().get("/admin").header("Location")).as("unauthenticated still goes to login")
                    .startsWith("/login?next=");
        }
    }

    @Test
    void a_custom_denial_handler_answers_every_refusal_and_is_told_why() {
        List<Denial> seen = new CopyOnWriteArrayList<>();
        WebOptions options = WebOptions.builder().denialHandler((denial, request, response) -> {
            seen.add(denial);
            response.status(418);
            response.body("text/plain", "custom " + denial.reason());
        }).build();
        try (TestApp custom = new TestApp(options)) {
            User plain = custom.newUser("custom");
            HttpClientSession browser = custom.signedIn(plain);

            HttpClientSession.Reply unauthenticated = custom.client().getJson("/basic");
            assertThat(unauthenticated.status()).isEqualTo(418);
            assertThat(unauthenticated.body()).isEqualTo("custom UNAUTHENTICATED");
            assertThat(seen.get(0).wantsJson()).isTrue();
            assertThat(seen.get(0).mechanisms()).containsExactly(Mechanism.BASIC);
            assertThat(seen.get(0).identity().isAuthenticated()).isFalse();

            HttpClientSession.Reply unauthorized = browser.get("/admin");
            assertThat(unauthorized.status()).isEqualTo(418);
            assertThat(unauthorized.body()).isEqualTo("custom UNAUTHORIZED");
            assertThat(seen.get(1).wantsJson()).isFalse();
            assertThat(seen.get(1).identity()).isInstanceOf(User.class);
            assertThat(((User) seen.get(1).identity()).id()).isEqualTo(plain.id());

            custom.t.clock.advance(Duration.ofMinutes(6));
            HttpClientSession.Reply stale = browser.getJson("/fresh");
            assertThat(stale.status()).isEqualTo(418);
            assertThat(stale.body()).isEqualTo("custom REAUTHENTICATION_REQUIRED");
        }
    }

    @Test
    void a_custom_denial_handler_can_fall_back_to_the_default_response() {
        WebOptions options = WebOptions.builder().denialHandler((denial, request, response) -> {
            if (denial.reason() == Denial.Reason.UNAUTHORIZED) {
                response.status(404);
                response.body("text/plain", "no such page");
            } else {
                denial.respondWithDefault();
            }
        }).build();
        try (TestApp custom = new TestApp(options)) {
            HttpClientSession browser = custom.signedIn(custom.newUser("fallback"));

            HttpClientSession.Reply hidden = browser.getJson("/admin");
            assertThat(hidden.status()).isEqualTo(404);
            assertThat(hidden.body()).isEqualTo("no such page");

            HttpClientSession.Reply json = custom.client().getJson("/api/me");
            assertThat(json.status()).isEqualTo(401);
            assertThat(json.json().path("meta").path("code").asInt()).isEqualTo(401);
            assertThat(json.errors()).isNotEmpty();

            HttpClientSession.Reply html = custom.client().get("/api/me");
            assertThat(html.status()).isEqualTo(302);
            assertThat(html.header("Location")).isEqualTo("/login?next=%2Fapi%2Fme");

            HttpClientSession.Reply basic = custom.client().getJson("/basic");
            assertThat(basic.status()).isEqualTo(401);
            assertThat(basic.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login Required\"");
        }
    }
}
