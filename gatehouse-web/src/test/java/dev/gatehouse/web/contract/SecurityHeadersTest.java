package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.HSTS_INCLUDE_SUBDOMAINS;
import static dev.gatehouse.config.Settings.HSTS_MAX_AGE;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.GatehouseConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 6: every response Gatehouse answers or guards — its own endpoints, JSON and
 * HTML, and the application's protected routes, including 401, 403 and redirects — is
 * {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}, as Spring Security
 * sends by default; a handler's own {@code Cache-Control} wins. HSTS goes only over HTTPS.
 */
@HttpContract
class SecurityHeadersTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static void assertProtected(HttpClientSession.Reply reply) {
        assertThat(reply.header("Cache-Control")).as(reply.toString()).isEqualTo("no-store");
        assertThat(reply.header("X-Content-Type-Options")).as(reply.toString()).isEqualTo("nosniff");
    }

    @Test
    void an_application_route_gets_no_store_and_nosniff_when_allowed_and_when_denied() {
        HttpClientSession writer = app.signedIn(app.newUser("headers-writer"));
        HttpClientSession anonymous = app.client();

        HttpClientSession.Reply allowed = writer.getJson("/api/me");
        HttpClientSession.Reply unauthenticated = anonymous.getJson("/api/me");
        HttpClientSession.Reply redirected = anonymous.get("/session-only");
        HttpClientSession.Reply forbidden = writer.getJson("/admin");
        HttpClientSession.Reply forbiddenPage = writer.get("/admin");

        assertThat(List.of(allowed.status(), unauthenticated.status(), redirected.status(), forbidden.status(),
                forbiddenPage.status())).containsExactly(200, 401, 302, 403, 403);
        for (HttpClientSession.Reply reply : List.of(allowed, unauthenticated, redirected, forbidden, forbiddenPage)) {
            assertProtected(reply);
        }
    }

    @Test
    void gatehouses_own_json_and_pages_get_no_store_and_nosniff() {
        HttpClientSession client = app.client();

        HttpClientSession.Reply loginJson = client.getJson("/login");
        HttpClientSession.Reply loginPage = client.get("/login");
        HttpClientSession.Reply refused = client.postJson("/login", Map.of("email", "nobody@example.com", "password", "x"),
                "X-CSRF-Token", client.csrfToken());
        HttpClientSession.Reply refresh = client.postJson("/refresh-token", Map.of("refresh_token", "nonsense"));

        for (HttpClientSession.Reply reply : List.of(loginJson, loginPage, refused, refresh)) {
            assertProtected(reply);
        }
    }

    @Test
    void head_of_a_gatehouse_page_is_its_get_without_a_body() {
        HttpClientSession client = app.client();

        for (String accept : List.of("text/html", "application/json")) {
            HttpClientSession.Reply get = client.request("GET", "/login", "Accept", accept);
            HttpClientSession.Reply head = client.request("HEAD", "/login", "Accept", accept);

            assertThat(head.status()).as(head.toString()).isEqualTo(get.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertProtected(head);
            for (String header : List.of("Content-Type", "Content-Security-Policy", "Referrer-Policy", "Vary")) {
                assertThat(head.header(header)).as(header + " of HEAD " + accept).isEqualTo(get.header(header));
            }
        }
        assertThat(client.request("HEAD", "/login", "Accept", "text/html").header("Content-Security-Policy"))
                .as("the page's CSP").isNotNull();
    }

    @Test
    void an_application_handler_that_sets_its_own_cache_control_wins() {
        HttpClientSession.Reply reply = app.signedIn(app.newUser("headers-cacheable")).get("/cacheable");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Cache-Control")).isEqualTo("private, max-age=60");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void hsts_is_sent_with_secure_cookies_only_over_https_as_a_trusted_proxy_reports_it() {
        try (OwnApp proxied = new OwnApp(c -> c.set(COOKIE_SECURE, true).set(TRUSTED_PROXY_COUNT, 1))) {
            HttpClientSession client = proxied.app.client();

            HttpClientSession.Reply https = client.getJson("/login", "X-Forwarded-Proto", "https");
            HttpClientSession.Reply http = client.getJson("/login", "X-Forwarded-Proto", "http");
            HttpClientSession.Reply direct = client.getJson("/login");
            HttpClientSession.Reply guarded = client.getJson("/cacheable", "X-Forwarded-Proto", "https");

            assertThat(https.header("Strict-Transport-Security")).isEqualTo("max-age=31536000");
            assertThat(guarded.status()).isEqualTo(401);
            assertThat(guarded.header("Strict-Transport-Security")).isEqualTo("max-age=31536000");
            assertThat(http.header("Strict-Transport-Security")).isNull();
            assertThat(direct.header("Strict-Transport-Security")).isNull();
        }
    }

    @Test
    void a_client_cannot_claim_https_without_a_trusted_proxy_and_plain_http_cookies_or_max_age_zero_turn_hsts_off() {
        List<Consumer<GatehouseConfig.Builder>> configs = List.of(
                c -> c.set(COOKIE_SECURE, true),
                c -> c.set(COOKIE_SECURE, false).set(TRUSTED_PROXY_COUNT, 1),
                c -> c.set(COOKIE_SECURE, true).set(TRUSTED_PROXY_COUNT, 1).set(HSTS_MAX_AGE, Duration.ZERO));
        for (Consumer<GatehouseConfig.Builder> config : configs) {
            try (OwnApp own = new OwnApp(config)) {
                HttpClientSession.Reply reply = own.app.client().getJson("/login", "X-Forwarded-Proto", "https");

                assertThat(reply.header("Strict-Transport-Security")).isNull();
            }
        }
    }

    @Test
    void hsts_can_include_subdomains() {
        try (OwnApp own = new OwnApp(c -> c.set(COOKIE_SECURE, true).set(TRUSTED_PROXY_COUNT, 2)
                .set(HSTS_MAX_AGE, Duration.ofDays(2)).set(HSTS_INCLUDE_SUBDOMAINS, true))) {
            // Two proxies: the outer one saw HTTPS, the inner one (plain HTTP between them) appended http.
            HttpClientSession.Reply reply = own.app.client().getJson("/login", "X-Forwarded-Proto", "https, http");

            assertThat(reply.header("Strict-Transport-Security")).isEqualTo("max-age=172800; includeSubDomains");
        }
    }

    @Test
    void with_fewer_forwarded_schemes_than_trusted_proxies_the_client_cannot_claim_https() {
        try (OwnApp own = new OwnApp(c -> c.set(COOKIE_SECURE, true).set(TRUSTED_PROXY_COUNT, 2))) {
            // One value for two proxies: it may be the client's own, so it proves nothing.
            HttpClientSession.Reply reply = own.app.client().getJson("/login", "X-Forwarded-Proto", "https");

            assertThat(reply.header("Strict-Transport-Security")).isNull();
        }
    }

    /** A server of its own, for settings the shared one does not have. */
    private static final class OwnApp implements AutoCloseable {
        final TestApp app;

        OwnApp(Consumer<GatehouseConfig.Builder> config) {
            this.app = new TestApp(config);
        }

        @Override
        public void close() {
            app.close();
        }
    }
}
