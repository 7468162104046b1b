package dev.gatehouse.passkeys;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The passkey endpoints through a real Javalin server and the JDK HTTP client, JSON as a
 * single-page app speaks it, with webauthn4j-test's software authenticator playing the browser's
 * {@code navigator.credentials}.
 */
class PasskeysHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";

    private TestGatehouse t;
    private Javalin app;
    private int port;
    private String origin;
    private User alice;
    private User bob;

    @BeforeEach
    void start() throws IOException {
        start(c -> { });
    }

    private void start(Consumer<GatehouseConfig.Builder> config) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        origin = "http://localhost:" + port;
        t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false)
                    .set(MAIL_BACKEND, MailBackend.NONE).set(EXTERNAL_URL, origin).set(PasskeySettings.WEBAUTHN, true);
            config.accept(c);
        });
        alice = t.user("alice@example.com", PASSWORD);
        bob = t.user("bob@example.com", PASSWORD);
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, WebOptions.builder().feature(new PasskeysFeature()).build());
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/whoami", ctx -> ctx.result(ctx.with(GatehousePlugin.class).user().email()), Access.authenticated());
        }).start(port);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void registerAPasskey_thenSignInWithIt_withoutIdentity() throws Exception {
        Client browser = new Client();
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        browser.signInWithPassword("alice@example.com");
        assertThat(browser.get("/wan-register").path("response").path("registered_credentials")).isEmpty();

        JsonNode registered = browser.register(key, "Laptop");
        assertThat(registered.path("meta").path("code").asInt()).isEqualTo(200);
        JsonNode listed = registered.path("response").path("registered_credentials");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("Laptop");
        assertThat(listed.get(0).path("usage").asText()).isEqualTo("first");
        assertThat(registered.path("response").path("message").asText()).contains("Laptop");

        Client other = new Client();
        Reply signedIn = other.signInWithPasskey(key, Map.of());
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.json().path("response").path("location").asText()).isEqualTo("/");
        assertThat(other.send("GET", "/whoami", null).body()).isEqualTo("alice@example.com");
    }

    @Test
    void aPasskeySignIn_isOneFactor_soATwoFactorUserGetsTheSecondStepAndNoSession() throws Exception {
        stop();
        start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true));
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        Client owner = new Client();
        owner.signInWithPassword("alice@example.com");
        owner.register(key, "Laptop");
        TwoFactor twoFactor = t.gatehouse.twoFactor();
        twoFactor.enable(alice, FactorMethod.AUTHENTICATOR, Optional.of(twoFactor.newTotpSecret(alice).sealedSecret()),
                Optional.empty(), EventContext.of(t.clock.instant(), alice.id(), ClientInfo.UNKNOWN));

        Client other = new Client();
        Reply first = other.signInWithPasskey(key, Map.of());
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("response").path("tf_required").asBoolean()).isTrue();
        assertThat(first.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(first.json().path("response").has("location")).isFalse();
        assertThat(other.send("GET", "/whoami", null, "Accept", "application/json").status()).isEqualTo(401);
        assertThat(other.get("/tf-validate").path("meta").path("code").asInt()).as("the pending sign-in is alice's")
                .isEqualTo(200);
    }

    @Test
    void signInWithIdentity_refusesAnotherUsersPasskey_andAnUnknownIdentityLooksLikeAKnownOne() throws Exception {
        SoftwareAuthenticator alicesKey = new SoftwareAuthenticator(origin);
        Client aliceBrowser = new Client();
        aliceBrowser.signInWithPassword("alice@example.com");
        aliceBrowser.register(alicesKey, "Laptop");

        Client attacker = new Client();
        attacker.anonymousCsrf();
        JsonNode forBob = attacker.post("/wan-signin", Map.of("identity", "bob@example.com")).json();
        JsonNode forNobody = attacker.post("/wan-signin", Map.of("identity", "nobody@example.com")).json();
        assertThat(forBob.path("response").fieldNames()).toIterable().containsExactly("credential_options", "wan_state");
        assertThat(forNobody.path("response").fieldNames()).toIterable().containsExactly("credential_options", "wan_state");
        assertThat(JSON.readTree(forNobody.path("response").path("credential_options").asText()).path("allowCredentials")).isEmpty();

        // Alice's authenticator answers the ceremony begun for Bob.
        String options = JSON.readTree(forBob.path("response").path("credential_options").asText()).toString();
        String answer = alicesKey.get(options);
        Reply refused = attacker.post("/wan-signin/" + forBob.path("response").path("wan_state").asText(),
                Map.of("credential", answer));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("response").path("errors").get(0).asText()).contains("could not be verified");
        assertThat(attacker.send("GET", "/whoami", null, "Accept", "application/json").status()).isEqualTo(401);
    }

    @Test
    void aReplayedSignIn_isRefused_andSignsNobodyIn() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        Client owner = new Client();
        owner.signInWithPassword("alice@example.com");
        owner.register(key, "Laptop");

        Client first = new Client();
        first.anonymousCsrf();
        JsonNode start = first.post("/wan-signin", Map.of()).json().path("response");
        String answer = key.get(start.path("credential_options").asText());
        String finish = "/wan-signin/" + start.path("wan_state").asText();
        assertThat(first.post(finish, Map.of("credential", answer)).status()).isEqualTo(200);

        Client replayer = new Client();
        replayer.anonymousCsrf();
        Reply replayed = replayer.post(finish, Map.of("credential", answer));
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayer.send("GET", "/whoami", null, "Accept", "application/json").status()).isEqualTo(401);
    }

    @Test
    void registering_needsAFreshSession_andWanVerifyRefreshesIt() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        Client browser = new Client();
        browser.signInWithPassword("alice@example.com");
        browser.register(key, "Laptop");

        t.clock.advance(Duration.ofMinutes(16));
        Reply stale = browser.post("/wan-register", Map.of("name", "Second", "usage", "first"));
        assertThat(stale.status()).as(stale.body()).isEqualTo(401);

        JsonNode verify = browser.post("/wan-verify", Map.of()).json().path("response");
        String answer = key.get(verify.path("credential_options").asText());
        Reply verified = browser.post("/wan-verify/" + verify.path("wan_state").asText(), Map.of("credential", answer));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        browser.csrf = verified.json().path("response").path("csrf_token").asText();

        Reply fresh = browser.post("/wan-register", Map.of("name", "Second", "usage", "first"));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
    }

    @Test
    void wanVerify_refusesAnotherUsersPasskey() throws Exception {
        SoftwareAuthenticator alicesKey = new SoftwareAuthenticator(origin);
        Client aliceBrowser = new Client();
        aliceBrowser.signInWithPassword("alice@example.com");
        aliceBrowser.register(alicesKey, "Laptop");

        Client bobBrowser = new Client();
        bobBrowser.signInWithPassword("bob@example.com");
        t.clock.advance(Duration.ofMinutes(16));
        JsonNode verify = bobBrowser.post("/wan-verify", Map.of()).json().path("response");
        JsonNode options = JSON.readTree(verify.path("credential_options").asText());
        ((com.fasterxml.jackson.databind.node.ObjectNode) options).putArray("allowCredentials");
        String answer = alicesKey.get(options.toString());

        Reply refused = bobBrowser.post("/wan-verify/" + verify.path("wan_state").asText(), Map.of("credential", answer));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(bobBrowser.post("/wan-register", Map.of("name", "x", "usage", "first")).status()).isEqualTo(401);
    }

    @Test
    void delete_byName_refusesTheLastWayIn_ofAnAccountWithoutPassword() throws Exception {
        User carol = t.gatehouse.users().createUser(NewUser.builder("carol@example.com").build());
        SoftwareAuthenticator first = new SoftwareAuthenticator(origin);
        SoftwareAuthenticator second = new SoftwareAuthenticator(origin);
        // Carol has no password: her first passkey is registered out of band, then she signs in with it.
        Passkeys passkeys = Passkeys.create(t.gatehouse);
        var ceremony = passkeys.startRegistration(carol, "One", dev.gatehouse.user.PasskeyUsage.FIRST);
        passkeys.finishRegistration(carol, ceremony.state(), first.create(ceremony.optionsJson()));
        Client browser = new Client();
        assertThat(browser.signInWithPasskey(first, Map.of()).status()).isEqualTo(200);

        Reply unknown = browser.post("/wan-delete", Map.of("name", "Nope"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("response").path("field_errors").path("name").get(0).asText()).contains("Nope");

        Reply last = browser.post("/wan-delete", Map.of("name", "One"));
        assertThat(last.status()).isEqualTo(400);
        assertThat(last.json().path("response").path("errors").get(0).asText()).contains("only way to sign in");
        assertThat(t.gatehouse.passkeys().listForUser(carol.id())).hasSize(1);

        browser.register(second, "Two");
        Reply deleted = browser.post("/wan-delete", Map.of("name", "One"));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("response").path("registered_credentials")).hasSize(1);
        assertThat(t.gatehouse.passkeys().listForUser(carol.id())).extracting(p -> p.name()).containsExactly("Two");
    }

    @Test
    void theEndpoints_needTheRightCaller() throws Exception {
        Client anonymous = new Client();
        anonymous.anonymousCsrf();
        assertThat(anonymous.send("GET", "/wan-register", null, "Accept", "application/json").status()).isEqualTo(401);
        assertThat(anonymous.post("/wan-register", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(anonymous.post("/wan-delete", Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(anonymous.post("/wan-verify", Map.of()).status()).isEqualTo(401);

        Client noCsrf = new Client();
        Reply refused = noCsrf.send("POST", "/wan-signin", "{}", "Content-Type", "application/json", "Accept", "application/json");
        assertThat(refused.status()).isEqualTo(400);

        Client browser = new Client();
        browser.signInWithPassword("alice@example.com");
        Reply badName = browser.post("/wan-register", Map.of("name", " ", "usage", "first"));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().path("response").path("field_errors").has("name")).isTrue();
        Reply secondFactor = browser.post("/wan-register", Map.of("name", "Key", "usage", "secondary"));
        assertThat(secondFactor.status()).isEqualTo(400);
        assertThat(secondFactor.json().path("response").path("field_errors").has("usage")).isTrue();
    }

    /** One HTTP answer. */
    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** A JSON client with its own cookies and CSRF token. */
    final class Client {
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String csrf = "";

        Reply send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            JsonNode json = send("GET", path, null, "Accept", "application/json").json();
            if (json.path("response").has("csrf_token")) {
                csrf = json.path("response").path("csrf_token").asText();
            }
            return json;
        }

        Reply post(String path, Map<String, ?> body) throws IOException, InterruptedException {
            return send("POST", path, JSON.writeValueAsString(body), "Content-Type", "application/json",
                    "Accept", "application/json", "X-CSRFToken", csrf);
        }

        void anonymousCsrf() throws IOException, InterruptedException {
            get("/login");
        }

        void signInWithPassword(String email) throws IOException, InterruptedException {
            anonymousCsrf();
            Reply reply = post("/login", Map.of("email", email, "password", PASSWORD));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            csrf = reply.json().path("response").path("csrf_token").asText();
        }

        JsonNode register(SoftwareAuthenticator key, String name) throws Exception {
            Reply start = post("/wan-register", Map.of("name", name, "usage", "first"));
            assertThat(start.status()).as(start.body()).isEqualTo(200);
            JsonNode response = start.json().path("response");
            String credential = key.create(response.path("credential_options").asText());
            Reply finish = post("/wan-register/" + response.path("wan_state").asText(), Map.of("credential", credential));
            assertThat(finish.status()).as(finish.body()).isEqualTo(200);
            return finish.json();
        }

        Reply signInWithPasskey(SoftwareAuthenticator key, Map<String, String> fields) throws Exception {
            anonymousCsrf();
            JsonNode start = post("/wan-signin", fields).json().path("response");
            String credential = key.get(start.path("credential_options").asText());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("credential", credential);
            body.put("remember", false);
            Reply reply = post("/wan-signin/" + start.path("wan_state").asText(), body);
            if (reply.status() == 200) {
                csrf = reply.json().path("response").path("csrf_token").asText();
            }
            return reply;
        }
    }
}
