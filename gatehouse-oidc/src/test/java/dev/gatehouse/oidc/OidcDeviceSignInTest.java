package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_DEVICE_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Device-code sign-in (RFC 8628) end to end: a real Javalin server with {@link OidcFeature} and
 * {@code oauth-device-enabled}, a real in-process provider (mock-oauth2-server with the device grant
 * added by {@link TestProvider}, whose token endpoint answers what the test queues), and java.net.http
 * clients. Gatehouse's clock is moved by hand, so the interval is enforced without waiting.
 */
class OidcDeviceSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "/login/device/corp";
    private static final String POLL = "/login/device/corp/poll";
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    /** How TestProvider's device codes look: never sent to the client. */
    private static final String DEVICE_CODE = "device-[0-9a-f]{8}-";

    private TestProvider idp;
    private Javalin app;
    private int port;
    private TestGatehouse t;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (idp != null) {
            idp.close();
        }
    }

    private void start() throws IOException {
        start(c -> { }, p -> { });
    }

    private void start(Consumer<GatehouseConfig.Builder> config, Consumer<Gatehouse.Builder> parts) throws IOException {
        idp = new TestProvider();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
            c.set(REGISTERABLE, true);
            c.set(EXTERNAL_URL, "http://localhost:" + port);
            c.set(OAUTH_DEVICE_ENABLED, true);
            config.accept(c);
        }, parts);
        OidcProvider corp = OidcProvider.builder("corp").displayName("Corp ID").issuer(idp.issuer("device"))
                .clientId(TestProvider.CLIENT_ID).clientSecret("a-client-secret").roleClaim("roles")
                .mappedRoles(List.of("Admin")).build();
        OidcFeature feature = OidcFeature.builder(t.gatehouse).provider(corp).build();
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, WebOptions.builder().feature(feature).build());
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/whoami", ctx -> ctx.result(ctx.with(GatehousePlugin.class).user().email()), Access.authenticated());
        }).start(port);
    }

    private void providerAnswers(String... answers) {
        synchronized (idp.deviceAnswers) {
            idp.deviceAnswers.addAll(List.of(answers));
        }
    }

    private void signsInAs(String subject, String email, String... roles) {
        idp.deviceSubject = subject;
        idp.deviceClaims = Map.of("email", email, "email_verified", true, "roles", List.of(roles));
    }

    private String issuer() {
        return idp.issuer("device").toString();
    }

    // ------------------------------------------------------------------ start

    @Test
    void a_json_start_gives_the_user_code_where_to_enter_it_the_interval_and_an_opaque_handle() throws Exception {
        start();
        Client client = new Client();
        Reply started = client.startJson(Map.of());
        assertThat(started.status).as(started.body).isEqualTo(200);
        JsonNode response = started.json().path("response");
        assertThat(response.path("user_code").asText()).isEqualTo("WDJB-MJHT");
        assertThat(response.path("verification_uri").asText()).isEqualTo(issuer() + "/activate");
        assertThat(response.path("verification_uri_complete").asText()).isEqualTo(issuer() + "/activate?user_code=WDJB-MJHT");
        assertThat(response.path("interval").asLong()).isEqualTo(5);
        assertThat(response.path("expires_in").asLong()).isBetween(590L, 600L);
        assertThat(response.path("poll_url").asText()).isEqualTo(POLL);
        String handle = response.path("device_handle").asText();
        assertThat(handle).isNotEmpty().doesNotContainPattern(DEVICE_CODE);
        assertThat(started.body).doesNotContainPattern(DEVICE_CODE).as("the device code never leaves the server in clear");
        assertThat(idp.deviceTokenRequests).isZero();
    }

    @Test
    void a_browser_start_shows_the_code_and_the_link_with_a_continue_button_and_keeps_the_handle_in_a_sealed_cookie()
            throws Exception {
        start();
        Client browser = new Client();
        Reply page = browser.startForm(Map.of());
        assertThat(page.status).as(page.body).isEqualTo(200);
        assertThat(page.body).contains("WDJB-MJHT").contains("href=\"" + issuer() + "/activate\"")
                .contains("href=\"" + issuer() + "/activate?user_code=WDJB-MJHT\"")
                .contains("action=\"" + POLL + "\"").contains("name=\"csrf_token\"").contains("Continue")
                .contains("Sign in with Corp ID").doesNotContainPattern(DEVICE_CODE);
        String cookie = page.setCookies().stream().filter(c -> c.startsWith("gatehouse_oidc_device=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/login/device").contains("Max-Age=");
        assertThat(cookie).doesNotContainPattern(DEVICE_CODE);
    }

    @Test
    void a_start_without_or_with_a_wrong_csrf_token_is_refused_and_nothing_is_asked_of_the_provider() throws Exception {
        start();
        Client client = new Client();
        client.fetchCsrf();
        Reply none = client.send("POST", START, "{}", "Content-Type", "application/json", "Accept", "application/json");
        assertThat(none.status).isEqualTo(400);
        assertThat(none.body).doesNotContain("user_code");
        Reply wrong = client.send("POST", START, "{}", "Content-Type", "application/json", "Accept", "application/json",
                "X-CSRFToken", client.csrf + "x");
        assertThat(wrong.status).isEqualTo(400);
        assertThat(wrong.body).doesNotContain("user_code");
        Reply form = new Client().postForm(START, Map.of());
        assertThat(form.status).isEqualTo(400);
        assertThat(form.body).doesNotContain("WDJB-MJHT");
    }

    @Test
    void a_poll_without_the_csrf_token_is_refused_before_the_provider_is_asked() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        Reply poll = client.send("POST", POLL, JSON.writeValueAsString(Map.of("device_handle", handle)),
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(poll.status).isEqualTo(400);
        assertThat(poll.json().path("response").has("error")).isFalse();
        assertThat(idp.deviceTokenRequests).isZero();
    }

    // ------------------------------------------------------------------ polling

    @Test
    void a_poll_while_the_user_is_not_done_is_202_authorization_pending() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("authorization_pending");
        Reply poll = client.poll(handle);
        assertThat(poll.status).as(poll.body).isEqualTo(202);
        assertThat(poll.json().path("response").path("status").asText()).isEqualTo("authorization_pending");
        assertThat(poll.json().path("response").path("interval").asLong()).isEqualTo(5);
        assertThat(poll.setsSession()).isFalse();
        assertThat(idp.deviceTokenRequests).isEqualTo(1);
    }

    @Test
    void polling_sooner_than_the_interval_answers_slow_down_without_asking_the_provider_and_the_interval_grows()
            throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();

        Reply tooSoon = client.poll(handle);
        assertThat(tooSoon.status).as(tooSoon.body).isEqualTo(429);
        assertThat(tooSoon.json().path("response").path("error").asText()).isEqualTo("slow_down");
        assertThat(tooSoon.json().path("response").path("interval").asLong()).isEqualTo(10);
        assertThat(tooSoon.json().path("response").path("errors").get(0).asText()).contains("10 seconds");
        assertThat(tooSoon.headers.firstValue("Retry-After")).contains("10");
        assertThat(idp.deviceTokenRequests).isZero();

        // The old interval is not enough any more, whatever the client believes.
        t.clock.advance(INTERVAL);
        assertThat(client.poll(handle).status).isEqualTo(429);
        assertThat(idp.deviceTokenRequests).isZero();

        t.clock.advance(Duration.ofSeconds(15));
        providerAnswers("authorization_pending");
        Reply pending = client.poll(handle);
        assertThat(pending.status).as(pending.body).isEqualTo(202);
        assertThat(pending.json().path("response").path("interval").asLong()).isEqualTo(15);
        assertThat(idp.deviceTokenRequests).isEqualTo(1);
    }

    @Test
    void the_providers_slow_down_is_passed_on_with_the_new_interval_and_enforced_here() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("slow_down");
        Reply slow = client.poll(handle);
        assertThat(slow.status).as(slow.body).isEqualTo(429);
        assertThat(slow.json().path("response").path("error").asText()).isEqualTo("slow_down");
        assertThat(slow.json().path("response").path("interval").asLong()).isEqualTo(10);
        assertThat(idp.deviceTokenRequests).isEqualTo(1);

        t.clock.advance(INTERVAL);
        assertThat(client.poll(handle).status).isEqualTo(429);
        assertThat(idp.deviceTokenRequests).as("polled after the old interval: not passed on").isEqualTo(1);
    }

    @Test
    void a_denial_at_the_provider_is_400_access_denied_and_ends_the_handle() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("access_denied");
        Reply denied = client.poll(handle);
        assertThat(denied.status).as(denied.body).isEqualTo(400);
        assertThat(denied.json().path("response").path("error").asText()).isEqualTo("access_denied");
        assertThat(denied.json().path("response").path("errors").get(0).asText()).isEqualTo("The sign-in was refused at Corp ID.");
        assertThat(denied.setsSession()).isFalse();

        t.clock.advance(Duration.ofSeconds(30));
        Reply again = client.poll(handle);
        assertThat(again.status).isEqualTo(400);
        assertThat(again.json().path("response").path("error").asText()).isEqualTo("invalid_handle");
        assertThat(idp.deviceTokenRequests).isEqualTo(1);
    }

    @Test
    void an_expired_device_code_is_400_expired_token_from_the_provider_or_from_the_handles_own_expiry() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("expired_token");
        Reply expired = client.poll(handle);
        assertThat(expired.status).as(expired.body).isEqualTo(400);
        assertThat(expired.json().path("response").path("error").asText()).isEqualTo("expired_token");
        assertThat(expired.json().path("response").path("errors").get(0).asText()).contains("expired");

        String other = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(Duration.ofMinutes(11));
        Reply late = client.poll(other);
        assertThat(late.status).isEqualTo(400);
        assertThat(late.json().path("response").path("error").asText()).isEqualTo("expired_token");
        assertThat(idp.deviceTokenRequests).as("an expired handle is not polled").isEqualTo(1);
    }

    @Test
    void a_tampered_handle_is_refused_without_asking_the_provider() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        int middle = handle.length() / 2;
        String tampered = handle.substring(0, middle) + (handle.charAt(middle) == 'A' ? 'B' : 'A') + handle.substring(middle + 1);
        for (String forged : List.of(tampered, "not-a-handle")) {
            Reply poll = client.poll(forged);
            assertThat(poll.status).as(forged).isEqualTo(400);
            assertThat(poll.json().path("response").path("error").asText()).isEqualTo("invalid_handle");
        }
        assertThat(idp.deviceTokenRequests).isZero();
    }

    @Test
    void a_provider_that_cannot_be_reached_is_a_clear_502_not_a_500_and_the_handle_stays_usable() throws Exception {
        start();
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        idp.server.shutdown();
        t.clock.advance(INTERVAL);
        Reply down = client.poll(handle);
        assertThat(down.status).as(down.body).isEqualTo(502);
        assertThat(down.json().path("response").path("error").asText()).isEqualTo("provider_error");
        assertThat(down.json().path("response").path("errors").get(0).asText()).contains("Corp ID");
        assertThat(down.body).doesNotContainPattern(DEVICE_CODE);
        Reply startDown = new Client().startJson(Map.of());
        assertThat(startDown.status).isIn(502);
    }

    // ------------------------------------------------------------------ success

    @Test
    void success_signs_in_as_the_code_flow_does_creating_the_account_and_linking_the_identity() throws Exception {
        start();
        signsInAs("sub-ops", "ops@example.com", "Admin");
        Client client = new Client();
        String handle = client.startJson(Map.of("next", "/whoami")).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("ok");
        Reply done = client.poll(handle);
        assertThat(done.status).as(done.body).isEqualTo(200);
        assertThat(done.json().path("response").path("location").asText()).isEqualTo("/whoami");
        assertThat(done.setsSession()).isTrue();
        assertThat(client.get("/whoami").body).isEqualTo("ops@example.com");

        User ops = t.gatehouse.users().findUserByEmail("ops@example.com").orElseThrow();
        assertThat(ops.passwordHash()).isEmpty();
        assertThat(ops.roleNames()).contains("Admin");
        ExternalIdentity identity = t.gatehouse.externalIdentities().find(issuer(), "sub-ops").orElseThrow();
        assertThat(identity.userId()).isEqualTo(ops.id());
        assertThat(identity.provider()).isEqualTo("corp");
        assertThat(identity.lastSignInAt()).isPresent();
        assertThat(t.gatehouse.auditLog().forUser(ops.id(), 50, Optional.empty()).stream().map(e -> e.type()).toList())
                .contains("user_registered", "external_identity_linked", "user_authenticated");
    }

    @Test
    void a_browser_continues_with_the_cookie_and_lands_on_next_remembered() throws Exception {
        start();
        User bob = t.user("bob@example.com", "correct horse battery");
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(bob.id(), "corp", issuer(), "sub-bob",
                Optional.empty(), Instant.now()));
        signsInAs("sub-bob", "whatever@example.com");
        Client browser = new Client();
        assertThat(browser.startForm(Map.of("next", "/whoami", "remember", "y")).status).isEqualTo(200);

        providerAnswers("authorization_pending");
        t.clock.advance(INTERVAL);
        Reply notYet = browser.postForm(POLL, Map.of("csrf_token", browser.csrf));
        assertThat(notYet.status).isEqualTo(200);
        assertThat(notYet.body).contains("has not confirmed the code yet").contains("WDJB-MJHT");

        providerAnswers("ok");
        t.clock.advance(INTERVAL);
        Reply done = browser.postForm(POLL, Map.of("csrf_token", browser.csrf));
        assertThat(done.status).as(done.body).isEqualTo(302);
        assertThat(done.location()).isEqualTo("/whoami");
        assertThat(done.setsSession()).isTrue();
        assertThat(done.setCookies()).anyMatch(c -> c.startsWith("gatehouse_remember=") && !c.startsWith("gatehouse_remember=;"));
        assertThat(done.setCookies()).anyMatch(c -> c.startsWith("gatehouse_oidc_device=;") && c.contains("Max-Age=0"));
        assertThat(browser.get("/whoami").body).isEqualTo("bob@example.com");
        assertThat(t.gatehouse.users().findUserByEmail("whatever@example.com")).isEmpty();
    }

    @Test
    void a_handle_is_single_use_after_success() throws Exception {
        start();
        signsInAs("sub-ann", "ann@example.com");
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("ok", "ok");
        assertThat(client.poll(handle).status).isEqualTo(200);

        t.clock.advance(Duration.ofSeconds(30));
        Client thief = new Client();
        Reply replay = thief.poll(handle);
        assertThat(replay.status).as(replay.body).isEqualTo(400);
        assertThat(replay.json().path("response").path("error").asText()).isEqualTo("invalid_handle");
        assertThat(replay.setsSession()).isFalse();
        assertThat(idp.deviceTokenRequests).isEqualTo(1);
    }

    @Test
    void the_same_account_rules_apply_a_second_factor_is_not_bypassed() throws Exception {
        start(c -> { }, p -> p.secondFactors(user -> user.email().startsWith("two")));
        User two = t.user("two@example.com", "correct horse battery");
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(two.id(), "corp", issuer(), "sub-two",
                Optional.empty(), Instant.now()));
        signsInAs("sub-two", "two@example.com");
        Client client = new Client();
        String handle = client.startJson(Map.of()).json().path("response").path("device_handle").asText();
        t.clock.advance(INTERVAL);
        providerAnswers("ok");
        // The provider proves one factor: the poll answers with the second step, not a session.
        Reply secondStep = client.poll(handle);
        assertThat(secondStep.status).isEqualTo(200);
        assertThat(secondStep.json().path("response").path("tf_required").asBoolean()).isTrue();
        assertThat(secondStep.json().path("response").has("location")).isFalse();
        assertThat(secondStep.setsSession()).isFalse();
        assertThat(client.get("/whoami").status).isNotEqualTo(200);
    }

    @Test
    void off_by_default_the_device_endpoints_do_not_exist() throws Exception {
        start(c -> c.set(OAUTH_DEVICE_ENABLED, false), p -> { });
        Client client = new Client();
        client.fetchCsrf();
        assertThat(client.send("POST", START, "{}", "Content-Type", "application/json", "Accept", "application/json",
                "X-CSRFToken", client.csrf).status).isEqualTo(404);
    }

    // ------------------------------------------------------------------ clients

    private final class Client {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String csrf;

        void fetchCsrf() throws IOException, InterruptedException {
            csrf = get("/login/oauthstart", "Accept", "application/json").json().path("response").path("csrf_token").asText();
        }

        Reply startJson(Map<String, String> fields) throws IOException, InterruptedException {
            fetchCsrf();
            return send("POST", START, JSON.writeValueAsString(fields), "Content-Type", "application/json",
                    "Accept", "application/json", "X-CSRFToken", csrf);
        }

        Reply startForm(Map<String, String> fields) throws IOException, InterruptedException {
            fetchCsrf();
            Map<String, String> form = new LinkedHashMap<>(fields);
            form.put("csrf_token", csrf);
            return postForm(START, form);
        }

        Reply poll(String handle) throws IOException, InterruptedException {
            if (csrf == null) {
                fetchCsrf();
            }
            return send("POST", POLL, JSON.writeValueAsString(Map.of("device_handle", handle)), "Content-Type",
                    "application/json", "Accept", "application/json", "X-CSRFToken", csrf);
        }

        Reply get(String path, String... headers) throws IOException, InterruptedException {
            return send("GET", path, null, headers);
        }

        Reply postForm(String path, Map<String, String> form) throws IOException, InterruptedException {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return send("POST", path, body.toString(), "Content-Type", "application/x-www-form-urlencoded");
        }

        Reply send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers());
        }
    }

    private record Reply(int status, String body, HttpHeaders headers) {

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String location() {
            return headers.firstValue("Location").orElse("");
        }

        List<String> setCookies() {
            return headers.allValues("Set-Cookie");
        }

        boolean setsSession() {
            return setCookies().stream().anyMatch(c -> c.startsWith("gatehouse_session=") && !c.startsWith("gatehouse_session=;"));
        }
    }
}
