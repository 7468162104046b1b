package dev.gatehouse.examples.extension;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A module adds an authentication mechanism ({@link ApiKeyMechanism}) and an endpoint group
 * ({@link ApiKeysFeature}) through {@link WebOptions} alone — no line of gatehouse-web knows
 * them — and a real Javalin server with a real HTTP client shows both at work beside the
 * built-in mechanisms.
 */
class ExtensionModuleTest {

    private static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** A server with the extension, {@code /whoami} open to the new mechanism and the built-in ones. */
    private TestGatehouse start(Consumer<GatehouseConfig.Builder> config, WebOptions.Builder options) {
        TestGatehouse t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
            config.accept(c);
        });
        ApiKeyMechanism keys = new ApiKeyMechanism(t.gatehouse, "a key only this test knows, 32 bytes+".getBytes(StandardCharsets.UTF_8));
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, options.mechanism(keys).feature(new ApiKeysFeature(keys)).build());
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/whoami", ctx -> ctx.result(describe(ctx)),
                    Access.authRequired(Mechanism.TOKEN, Mechanism.SESSION, ApiKeyMechanism.API_KEY));
            cfg.routes.post("/whoami", ctx -> ctx.result(describe(ctx)),
                    Access.authRequired(Mechanism.TOKEN, Mechanism.SESSION, ApiKeyMechanism.API_KEY));
            cfg.routes.get("/default", ctx -> ctx.result(describe(ctx)), Access.authenticated());
        }).start(0);
        return t;
    }

    private TestGatehouse start() {
        return start(c -> { }, WebOptions.builder());
    }

    private static String describe(io.javalin.http.Context ctx) {
        return ctx.with(GatehousePlugin.class).user().email();
    }

    @Test
    void a_key_issued_by_the_new_endpoint_authenticates_on_a_route_that_allows_the_new_mechanism() throws Exception {
        TestGatehouse t = start();
        User ann = t.user("ann@example.com", PASSWORD);
        Client browser = new Client();
        browser.signIn("ann@example.com");

        Reply issued = browser.send("POST", "/api-keys", "{}", "X-CSRFToken", browser.csrf);
        assertThat(issued.status).isEqualTo(200);
        assertThat(issued.json().path("meta").path("code").asInt()).isEqualTo(200);
        String key = issued.json().path("response").path("api_key").asText();
        assertThat(key).startsWith(ann.id() + ".");

        Client api = new Client();
        Reply viaKey = api.send("GET", "/whoami", null, "X-Api-Key", key);
        assertThat(viaKey.status).isEqualTo(200);
        assertThat(viaKey.body).isEqualTo("ann@example.com");
        Reply described = api.send("GET", "/api-keys", null, "X-Api-Key", key, "Accept", "application/json");
        assertThat(described.json().path("response").path("authenticated_by").asText()).isEqualTo("api-key");
        // Not in csrf-protect-mechanisms: an API client posts without a CSRF token.
        assertThat(api.send("POST", "/whoami", "{}", "X-Api-Key", key).status).isEqualTo(200);
    }

    @Test
    void a_forged_or_foreign_key_is_refused_and_the_route_still_answers_401() throws Exception {
        TestGatehouse t = start();
        User bob = t.user("bob@example.com", PASSWORD);
        Client api = new Client();
        for (String key : new String[] {bob.id() + ".forged", "x.y", bob.id() + ".", "", "99999." + "A".repeat(43)}) {
            Reply reply = api.send("GET", "/whoami", null, "X-Api-Key", key, "Accept", "application/json");
            assertThat(reply.status).as(key).isEqualTo(401);
            assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(401);
        }
        // A route that names only the built-in mechanisms ignores the key.
        Client browser = new Client();
        browser.signIn("bob@example.com");
        String key = browser.send("POST", "/api-keys", "{}", "X-CSRFToken", browser.csrf).json()
                .path("response").path("api_key").asText();
        assertThat(new Client().send("GET", "/default", null, "X-Api-Key", key, "Accept", "application/json").status)
                .isEqualTo(401);
        // Keys are issued to a session or token sign-in only, never to another key.
        assertThat(new Client().send("POST", "/api-keys", "{}", "X-Api-Key", key, "Accept", "application/json").status)
                .isEqualTo(401);
    }

    @Test
    void the_built_in_mechanisms_still_work_beside_the_new_one() throws Exception {
        TestGatehouse t = start();
        t.user("cat@example.com", PASSWORD);
        Client browser = new Client();
        browser.signIn("cat@example.com");
        assertThat(browser.send("GET", "/whoami", null).body).isEqualTo("cat@example.com");
        assertThat(browser.send("GET", "/api-keys", null, "Accept", "application/json").json()
                .path("response").path("authenticated_by").asText()).isEqualTo("session");

        Client signIn = new Client();
        String token = signIn.signIn("cat@example.com", Map.of("include_auth_token", true))
                .path("response").path("user").path("authentication_token").asText();
        Reply viaToken = new Client().send("GET", "/whoami", null, "Authentication-Token", token);
        assertThat(viaToken.status).isEqualTo(200);
        assertThat(viaToken.body).isEqualTo("cat@example.com");
        assertThat(new Client().send("GET", "/whoami", null, "Accept", "application/json").status).isEqualTo(401);
    }

    @Test
    void api_enabled_methods_may_name_the_new_mechanism_and_the_pages_link_the_new_endpoint() throws Exception {
        AtomicReference<Map<String, Object>> links = new AtomicReference<>();
        TestGatehouse t = start(c -> c.set("api-enabled-methods", "session, token, api-key"),
                WebOptions.builder().pages(
                        (page, model) -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> urls = (Map<String, Object>) model.get("urls");
                            links.set(urls);
                            return "<!doctype html><title>" + page + "</title>";
                        }));
        User dan = t.user("dan@example.com", PASSWORD);
        Client browser = new Client();
        browser.signIn("dan@example.com");
        String key = browser.send("POST", "/api-keys", "{}", "X-CSRFToken", browser.csrf).json()
                .path("response").path("api_key").asText();
        assertThat(new Client().send("GET", "/default", null, "X-Api-Key", key).body).isEqualTo(dan.email());

        assertThat(new Client().send("GET", "/login", null, "Accept", "text/html").status).isEqualTo(200);
        assertThat(links.get()).containsEntry("api_keys", "/api-keys").containsEntry("login", "/login");
    }

    @Test
    void the_endpoint_group_brings_its_own_setting_which_a_properties_file_sets() throws Exception {
        Properties file = new Properties();
        file.setProperty("gatehouse.api-keys-url", "/keys");
        AtomicReference<Map<String, Object>> links = new AtomicReference<>();
        TestGatehouse t = start(c -> c.fromProperties(file), WebOptions.builder().pages((page, model) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> urls = (Map<String, Object>) model.get("urls");
            links.set(urls);
            return "<!doctype html><title>" + page + "</title>";
        }));
        assertThat(t.gatehouse.config().get(ApiKeySettings.API_KEYS_URL)).isEqualTo("/keys");
        User erin = t.user("erin@example.com", PASSWORD);
        Client browser = new Client();
        browser.signIn("erin@example.com");

        Reply issued = browser.send("POST", "/keys", "{}", "X-CSRFToken", browser.csrf);
        assertThat(issued.status).as(issued.body).isEqualTo(200);
        String key = issued.json().path("response").path("api_key").asText();
        assertThat(new Client().send("GET", "/whoami", null, "X-Api-Key", key).body).isEqualTo(erin.email());
        assertThat(browser.send("POST", "/api-keys", "{}", "X-CSRFToken", browser.csrf).status)
                .as("the default path is not mounted any more").isEqualTo(404);
        assertThat(new Client().send("GET", "/login", null, "Accept", "text/html").status).isEqualTo(200);
        assertThat(links.get()).containsEntry("api_keys", "/keys");
    }

    @Test
    void a_setting_naming_an_unregistered_mechanism_stops_the_web_layer_from_starting() {
        TestGatehouse t = new TestGatehouse(c -> c.set("csrf-protect-mechanisms", "session, bearer-jwt"));
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("csrf-protect-mechanisms")
                .hasMessageContaining("bearer-jwt")
                .hasMessageContaining("token, session, basic");
    }

    /** An HTTP client with its own cookies, as one browser or API client. */
    private final class Client {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String csrf;

        JsonNode signIn(String email) throws IOException, InterruptedException {
            return signIn(email, Map.of());
        }

        /** Signs in over JSON: the login form's CSRF token first, as a browser's script would. */
        JsonNode signIn(String email, Map<String, ?> extra) throws IOException, InterruptedException {
            csrf = send("GET", "/login", null, "Accept", "application/json").json().path("response").path("csrf_token").asText();
            Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
            body.put("email", email);
            body.put("password", PASSWORD);
            Reply reply = send("POST", "/login", JSON.writeValueAsString(body), "X-CSRFToken", csrf);
            assertThat(reply.status).as(reply.body).isEqualTo(200);
            csrf = reply.json().path("response").path("csrf_token").asText();
            return reply.json();
        }

        Reply send(String method, String path, String json, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            for (int i = 0; i < headers.length; i += 2) {
                if (!headers[i + 1].isEmpty()) {
                    request.header(headers[i], headers[i + 1]);
                }
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        }
    }

    private record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }
}
