package dev.gatehouse.passkeys;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.event.AuditEntry;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.testing.Mailbox;
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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
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

    /** Starts the server with the tests' settings, then {@code config}'s. */
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
    void aPasskeySignInWithoutUserVerification_isOneFactor_soATwoFactorUserGetsTheSecondStepAndNoSession() throws Exception {
        stop();
        start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true));
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        key.verifiesUser = false;
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
        assertThat(forBob.path("response").fieldNames()).toIterable().containsExactly("credential_options", "wan_state", "is_secondary");
        assertThat(forNobody.path("response").fieldNames()).toIterable().containsExactly("credential_options", "wan_state", "is_secondary");
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
        Reply badUsage = browser.post("/wan-register", Map.of("name", "Key", "usage", "third"));
        assertThat(badUsage.status()).isEqualTo(400);
        assertThat(badUsage.json().path("response").path("field_errors").has("usage")).isTrue();
    }

    @Test
    void rename_overHttp_checksTheNames_andIsAudited() throws Exception {
        Client browser = new Client();
        browser.signInWithPassword("alice@example.com");
        browser.register(new SoftwareAuthenticator(origin), "Laptop");
        browser.register(new SoftwareAuthenticator(origin), "Phone");

        Reply renamed = browser.post("/wan-rename", Map.of("name", "Laptop", "new_name", " Work laptop "));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().path("response").path("message").asText()).isEqualTo("Renamed passkey Laptop to Work laptop.");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).extracting(p -> p.name())
                .containsExactlyInAnyOrder("Work laptop", "Phone");

        assertThat(fieldErrors(browser.post("/wan-rename", Map.of("name", "Laptop", "new_name", "x")))).containsKey("name");
        assertThat(fieldErrors(browser.post("/wan-rename", Map.of("name", "Phone", "new_name", " ")))).containsKey("new_name");
        assertThat(fieldErrors(browser.post("/wan-rename", Map.of("name", "Phone", "new_name", "Work laptop"))))
                .containsEntry("new_name", List.of("Work laptop is already associated with a passkey."));
        // Bob cannot rename Alice's passkey: he has none of that name.
        Client bobBrowser = new Client();
        bobBrowser.signInWithPassword("bob@example.com");
        assertThat(fieldErrors(bobBrowser.post("/wan-rename", Map.of("name", "Phone", "new_name", "Mine")))).containsKey("name");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).extracting(p -> p.name()).contains("Phone");

        assertThat(auditTypes(alice)).containsSubsequence("passkey_registered", "passkey_registered", "passkey_renamed");
        AuditEntry rename = t.gatehouse.auditLog().forUser(alice.id(), 10, Optional.empty()).stream()
                .filter(e -> e.type().equals("passkey_renamed")).findFirst().orElseThrow();
        assertThat(rename.details()).containsEntry("old_name", "Laptop").containsEntry("new_name", "Work laptop");
    }

    @Test
    void registeringAndDeleting_emailTheOwner_andAreAudited_asIsARefusedRegistration() throws Exception {
        Client browser = new Client();
        browser.signInWithPassword("alice@example.com");
        Mailbox mailbox = new Mailbox(t.gatehouse);
        browser.register(new SoftwareAuthenticator(origin), "Laptop");

        Reply start = browser.post("/wan-register", Map.of("name", "Broken", "usage", "first"));
        JsonNode ceremony = start.json().path("response");
        String credential = SoftwareAuthenticator.withResponseField(
                new SoftwareAuthenticator(origin).create(ceremony.path("credential_options").asText()), "clientDataJSON", "e30");
        Reply refused = browser.post("/wan-register/" + ceremony.path("wan_state").asText(), Map.of("credential", credential));
        assertThat(refused.status()).isEqualTo(400);

        assertThat(browser.post("/wan-delete", Map.of("name", "Laptop")).status()).isEqualTo(200);

        List<Mailbox.Delivered> mail = mailbox.deliver();
        assertThat(mail).extracting(Mailbox.Delivered::template)
                .containsExactly(MailTemplates.PASSKEY_REGISTERED, MailTemplates.PASSKEY_DELETED);
        assertThat(mail).allSatisfy(m -> {
            assertThat(m.to()).isEqualTo("alice@example.com");
            assertThat(m.get("name")).isEqualTo("Laptop");
        });
        assertThat(mail.get(0).message().subject()).isEqualTo("A passkey was added to your account");
        assertThat(auditTypes(alice)).containsSubsequence("passkey_registered", "passkey_registration_failed", "passkey_deleted");
    }

    @Test
    void failedPasskeySignIns_countPerClientAddress_andTowardsThePresentedPasskeysOwner() throws Exception {
        stop();
        start(c -> c.set(RATE_LIMITS_ENABLED, true).set("rate-limit-login", "100/1m/ip")
                .set("rate-limit-login-failed", "3/1h/ip, 2/1h/key"));
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        Client owner = new Client();
        owner.signInWithPassword("alice@example.com");
        owner.register(key, "Laptop");
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator(origin);
        Client bobBrowser = new Client();
        bobBrowser.signInWithPassword("bob@example.com");
        bobBrowser.register(bobsKey, "Phone");

        Client attacker = new Client();
        for (int i = 0; i < 2; i++) {
            Reply forged = attacker.signInWithPasskey(key, Map.of(), answer -> SoftwareAuthenticator.withResponseField(answer,
                    "signature", "AAAA"));
            assertThat(forged.status()).as(forged.body()).isEqualTo(400);
        }
        List<AuditEntry> failures = t.gatehouse.auditLog().forUser(alice.id(), 10, Optional.empty()).stream()
                .filter(e -> e.type().equals("authentication_failed")).toList();
        assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e.details()).containsEntry("reason", "PASSKEY_CREDENTIAL_INVALID"));

        // Alice's account is over its limit: her own, valid passkey waits too (the client is not, yet).
        Reply limited = new Client().signInWithPasskey(key, Map.of());
        assertThat(limited.status()).as(limited.body()).isEqualTo(429);
        assertThat(limited.json().path("response").path("errors").get(0).asText()).startsWith("Too many attempts.");

        // One more failure of any kind from this address, and it is refused before any check.
        assertThat(attacker.signInWithPasskey(key, Map.of(), answer -> "{}").status()).isEqualTo(400);
        Reply refusedFirst = attacker.signInWithPasskey(bobsKey, Map.of());
        assertThat(refusedFirst.status()).as("even Bob's valid passkey, from this address").isEqualTo(429);
    }

    @Test
    void browsers_getPagesWithTheScript_formsWithoutItAreToldItIsNeeded_andFinishesAnswerWithRedirects() throws Exception {
        SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
        Client browser = new Client();
        browser.signInWithPassword("alice@example.com");
        Reply page = browser.send("GET", "/wan-register", null, "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).containsPattern("<script src=\"/gatehouse/static/gatehouse-passkeys\\.js\\?v=[0-9a-f]{12}\" defer>")
                .contains("id=\"wan-register-form\"").contains("You have no passkeys yet.").doesNotContain("onclick");
        Reply login = new Client().send("GET", "/login", null, "Accept", "text/html");
        assertThat(login.body()).contains("id=\"wan-signin-form\"").contains("Sign in with a passkey");
        assertThat(new Client().send("GET", "/login", null, "Accept", "text/html", "Accept-Language", "de").body())
                .contains("Mit einem Passkey anmelden").contains("Passkeys brauchen JavaScript");
        assertThat(browser.send("GET", "/wan-register", null, "Accept", "text/html", "Accept-Language", "fr").body())
                .contains("<h1>Clés d’accès</h1>");
        Reply script = browser.send("GET", "/gatehouse/static/gatehouse-passkeys.js", null);
        assertThat(script.body()).contains("parseCreationOptionsFromJSON").contains("toJSON");

        // The form posted without the script.
        Reply noScript = browser.form("/wan-register", Map.of("name", "Laptop", "usage", "first"));
        assertThat(noScript.status()).isEqualTo(302);
        assertThat(browser.send("GET", "/wan-register", null, "Accept", "text/html").body())
                .contains("Passkeys need JavaScript");

        // The script's way: options as JSON, the credential with the form.
        JsonNode started = browser.post("/wan-register", Map.of("name", "Laptop", "usage", "first")).json().path("response");
        Reply finished = browser.form("/wan-register/" + started.path("wan_state").asText(),
                Map.of("credential", key.create(started.path("credential_options").asText())));
        assertThat(finished.status()).isEqualTo(302);
        assertThat(finished.location()).isEqualTo("/wan-register");
        String listed = browser.send("GET", "/wan-register", null, "Accept", "text/html").body();
        assertThat(listed).contains("Successfully added passkey with name: Laptop").contains("<td class=\"wan-name\">Laptop</td>");

        Reply renamed = browser.form("/wan-rename", Map.of("name", "Laptop", "new_name", "Work"));
        assertThat(renamed.location()).isEqualTo("/wan-register");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).extracting(p -> p.name()).containsExactly("Work");

        // A stale session re-authenticates first, and comes back to the list, not to a bare POST path.
        t.clock.advance(Duration.ofMinutes(16));
        Reply stale = browser.form("/wan-delete", Map.of("name", "Work"));
        assertThat(stale.location()).isEqualTo("/verify?next=%2Fwan-delete");
        assertThat(browser.send("GET", "/wan-delete", null, "Accept", "text/html").location()).isEqualTo("/wan-register");
        assertThat(t.gatehouse.passkeys().listForUser(alice.id())).hasSize(1);

        Client visitor = new Client();
        visitor.anonymousCsrf();
        JsonNode signIn = visitor.post("/wan-signin", Map.of()).json().path("response");
        Reply refused = visitor.form("/wan-signin/" + signIn.path("wan_state").asText(), Map.of("credential", "{}",
                "next", "/whoami"));
        assertThat(refused.location()).isEqualTo("/login?next=%2Fwhoami");
        signIn = visitor.post("/wan-signin", Map.of()).json().path("response");
        Reply signedIn = visitor.form("/wan-signin/" + signIn.path("wan_state").asText(),
                Map.of("credential", key.get(signIn.path("credential_options").asText()), "next", "/whoami"));
        assertThat(signedIn.location()).isEqualTo("/whoami");
        assertThat(visitor.send("GET", "/whoami", null).body()).isEqualTo("alice@example.com");

        Reply verifyPage = visitor.send("GET", "/wan-verify?next=%2Fwhoami", null, "Accept", "text/html");
        assertThat(verifyPage.body()).contains("id=\"wan-verify-form\"").contains("name=\"next\" value=\"/whoami\"");
    }

    /**
     * Passkeys as a second factor (usage {@code secondary}, Flask-Security's tf_method
     * {@code webauthn}) and the {@code wan-allow-as-*} settings, through the same server.
     */
    @Nested
    class SecondFactor {

        private void enableTotp(User user) {
            TwoFactor twoFactor = t.gatehouse.twoFactor();
            twoFactor.enable(user, FactorMethod.AUTHENTICATOR, Optional.of(twoFactor.newTotpSecret(user).sealedSecret()),
                    Optional.empty(), EventContext.of(t.clock.instant(), user.id(), ClientInfo.UNKNOWN));
        }

        /** The first factor by password; the answer (200: a session or tf_required), its CSRF token kept. */
        private JsonNode passwordFirst(Client client, String email) throws Exception {
            client.anonymousCsrf();
            Reply reply = client.post("/login", Map.of("email", email, "password", PASSWORD));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            client.csrf = reply.json().path("response").path("csrf_token").asText();
            return reply.json().path("response");
        }

        /** The second step with {@code key}, whose authenticator sees the options as {@code options} changes them. */
        private Reply passkeyStep(Client client, SoftwareAuthenticator key, Tamper options) throws Exception {
            Reply started = client.post("/wan-signin", Map.of());
            assertThat(started.status()).as(started.body()).isEqualTo(200);
            JsonNode response = started.json().path("response");
            assertThat(response.path("is_secondary").asBoolean()).isTrue();
            String credential = key.get(options.apply(response.path("credential_options").asText()));
            Reply reply = client.post("/wan-signin/" + response.path("wan_state").asText(), Map.of("credential", credential));
            if (reply.status() == 200) {
                client.csrf = reply.json().path("response").path("csrf_token").asText();
            }
            return reply;
        }

        /** Request options whose allowed credential is {@code credentialId} only (a client that ignores the server's list). */
        private String allowOnly(String optionsJson, String credentialId) throws Exception {
            ObjectNode options = (ObjectNode) JSON.readTree(optionsJson);
            options.putArray("allowCredentials").addObject().put("type", "public-key").put("id", credentialId);
            return JSON.writeValueAsString(options);
        }

        private String whoami(Client client) throws Exception {
            Reply reply = client.send("GET", "/whoami", null, "Accept", "application/json");
            return reply.status() == 200 ? reply.body() : "status " + reply.status();
        }

        @Test
        void aSecondaryPasskey_isTheSecondStepAfterThePassword_andNoFirstFactor() throws Exception {
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            JsonNode registered = owner.register(key, "Key", "secondary");
            assertThat(registered.at("/response/registered_credentials/0/usage").asText()).isEqualTo("secondary");
            assertThat(auditTypes(alice)).containsSubsequence("passkey_registered", "tf_profile_changed");

            // It signs nobody in alone, even offered to a first-factor ceremony that did not list it.
            Client visitor = new Client();
            visitor.anonymousCsrf();
            JsonNode ceremony = visitor.post("/wan-signin", Map.of()).json().path("response");
            assertThat(ceremony.path("is_secondary").asBoolean()).isFalse();
            String answer = key.get(allowOnly(ceremony.path("credential_options").asText(),
                    registered.at("/response/registered_credentials/0/credential_id").asText()));
            Reply alone = visitor.post("/wan-signin/" + ceremony.path("wan_state").asText(), Map.of("credential", answer));
            assertThat(alone.status()).isEqualTo(400);
            assertThat(whoami(visitor)).isEqualTo("status 401");

            Client browser = new Client();
            JsonNode first = passwordFirst(browser, "alice@example.com");
            assertThat(first.path("tf_required").asBoolean()).isTrue();
            assertThat(first.path("tf_state").asText()).isEqualTo("ready");
            assertThat(first.path("tf_method").asText()).isEqualTo("webauthn");
            assertThat(first.path("tf_signin_url").asText()).isEqualTo("/wan-signin");
            assertThat(whoami(browser)).isEqualTo("status 401");

            Reply done = passkeyStep(browser, key, options -> options);
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(done.json().path("response").has("user")).isTrue();
            assertThat(whoami(browser)).isEqualTo("alice@example.com");
            assertThat(t.gatehouse.passkeys().listForUser(alice.id()).get(0).lastUsedAt()).isPresent();
        }

        @Test
        void anotherUsersPasskey_neverCompletesSomeonesPendingSignIn() throws Exception {
            SoftwareAuthenticator alicesKey = new SoftwareAuthenticator(origin);
            SoftwareAuthenticator bobsKey = new SoftwareAuthenticator(origin);
            Client aliceOwner = new Client();
            aliceOwner.signInWithPassword("alice@example.com");
            aliceOwner.register(alicesKey, "Key", "secondary");
            Client bobOwner = new Client();
            bobOwner.signInWithPassword("bob@example.com");
            String bobsId = bobOwner.register(bobsKey, "Key", "secondary")
                    .at("/response/registered_credentials/0/credential_id").asText();

            Client attacker = new Client();
            passwordFirst(attacker, "alice@example.com");
            Reply refused = passkeyStep(attacker, bobsKey, options -> allowOnly(options, bobsId));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(whoami(attacker)).isEqualTo("status 401");
            assertThat(auditTypes(alice)).contains("authentication_failed");

            // Bob's passkey as a first factor, or in Bob's own pending sign-in, is no way into Alice's either:
            // Alice's own passkey is what finishes her pending sign-in, which the refusal left waiting.
            Reply own = passkeyStep(attacker, alicesKey, options -> options);
            assertThat(own.status()).as(own.body()).isEqualTo(200);
            assertThat(whoami(attacker)).isEqualTo("alice@example.com");
        }

        @Test
        void aFirstFactorPasskeyWithUserVerification_countsAsBothFactors_withoutItTheSecondStepFollows() throws Exception {
            stop();
            start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            owner.register(key, "Laptop");
            enableTotp(alice);

            Client verified = new Client();
            Reply both = verified.signInWithPasskey(key, Map.of());
            assertThat(both.status()).as(both.body()).isEqualTo(200);
            assertThat(both.json().path("response").path("location").asText()).isEqualTo("/");
            assertThat(both.json().path("response").has("tf_required")).isFalse();
            assertThat(whoami(verified)).isEqualTo("alice@example.com");

            key.verifiesUser = false;
            Client unverified = new Client();
            Reply one = unverified.signInWithPasskey(key, Map.of());
            assertThat(one.json().path("response").path("tf_required").asBoolean()).as(one.body()).isTrue();
            assertThat(one.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
            assertThat(whoami(unverified)).isEqualTo("status 401");
        }

        @Test
        void withoutWanAllowAsMultiFactor_evenAVerifiedPasskeyIsOneFactor() throws Exception {
            stop();
            start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true).set(PasskeySettings.WAN_ALLOW_AS_MULTI_FACTOR, false));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            owner.register(key, "Laptop");
            enableTotp(alice);

            Client visitor = new Client();
            Reply one = visitor.signInWithPasskey(key, Map.of());
            assertThat(one.json().path("response").path("tf_required").asBoolean()).as(one.body()).isTrue();
            assertThat(whoami(visitor)).isEqualTo("status 401");
        }

        @Test
        void tfSelect_andTheValidatePage_offerThePasskey_besideTheAuthenticatorApp() throws Exception {
            stop();
            start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            owner.register(key, "Key", "secondary");
            enableTotp(alice);

            Client browser = new Client();
            JsonNode first = passwordFirst(browser, "alice@example.com");
            assertThat(first.path("tf_method").asText()).isEqualTo("authenticator");
            JsonNode select = browser.get("/tf-select").path("response");
            assertThat(select.path("tf_setup_methods")).extracting(JsonNode::asText).contains("authenticator", "webauthn");
            String page = browser.send("GET", "/tf-validate", null, "Accept", "text/html").body();
            assertThat(page).contains("<a href=\"/wan-signin\">Use your passkey instead</a>");

            Reply chosen = browser.post("/tf-select", Map.of("which", "webauthn"));
            assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
            assertThat(chosen.json().path("response").path("tf_method").asText()).isEqualTo("webauthn");
            assertThat(chosen.json().path("response").path("tf_signin_url").asText()).isEqualTo("/wan-signin");
            assertThat(browser.get("/tf-validate").path("response").path("tf_method").asText()).isEqualTo("webauthn");
            assertThat(browser.send("GET", "/tf-validate", null, "Accept", "text/html").location()).isEqualTo("/wan-signin");

            Reply done = passkeyStep(browser, key, options -> options);
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(whoami(browser)).isEqualTo("alice@example.com");
        }

        @Test
        void browsers_areSentToThePasskeyPage_andFinishWithARedirect() throws Exception {
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            owner.register(key, "Key", "secondary");

            Client browser = new Client();
            browser.anonymousCsrf();
            Reply login = browser.form("/login", Map.of("email", "alice@example.com", "password", PASSWORD, "next", "/whoami"));
            assertThat(login.location()).isEqualTo("/wan-signin");
            String page = browser.send("GET", "/wan-signin", null, "Accept", "text/html").body();
            assertThat(page).contains("id=\"wan-signin-form\"").contains("confirm it is you with your passkey")
                    .contains("gatehouse-passkeys.js");

            JsonNode started = browser.post("/wan-signin", Map.of()).json().path("response");
            Reply finished = browser.form("/wan-signin/" + started.path("wan_state").asText(),
                    Map.of("credential", key.get(started.path("credential_options").asText())));
            assertThat(finished.location()).isEqualTo("/whoami");
            assertThat(browser.send("GET", "/whoami", null).body()).isEqualTo("alice@example.com");
        }

        @Test
        void deletingTheLastSecondaryPasskey_needsAFreshSession_andMailsThatTwoFactorIsOff() throws Exception {
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            owner.register(key, "Key", "secondary");
            Mailbox mailbox = new Mailbox(t.gatehouse);
            mailbox.deliver();

            t.clock.advance(Duration.ofMinutes(16));
            assertThat(owner.post("/wan-delete", Map.of("name", "Key")).status()).isEqualTo(401);
            assertThat(t.gatehouse.passkeys().listForUser(alice.id())).hasSize(1);
            assertThat(owner.post("/verify", Map.of("password", PASSWORD)).status()).isEqualTo(200);

            Reply deleted = owner.post("/wan-delete", Map.of("name", "Key"));
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(mailbox.deliver()).extracting(Mailbox.Delivered::template)
                    .containsExactly(MailTemplates.PASSKEY_DELETED, MailTemplates.TWO_FACTOR_CHANGED);
            assertThat(auditTypes(alice)).containsSubsequence("passkey_deleted", "tf_disabled");

            Client again = new Client();
            assertThat(passwordFirst(again, "alice@example.com").has("tf_required")).isFalse();
            assertThat(whoami(again)).isEqualTo("alice@example.com");
        }

        @Test
        void deletingTheOnlySecondFactor_isRefused_whereTwoFactorIsRequired() throws Exception {
            stop();
            start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true).set(TwoFactorSettings.TWO_FACTOR_REQUIRED, true));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Passkeys passkeys = Passkeys.create(t.gatehouse);
            var ceremony = passkeys.startRegistration(alice, "Key", dev.gatehouse.user.PasskeyUsage.SECONDARY);
            passkeys.finishRegistration(alice, ceremony.state(), key.create(ceremony.optionsJson()));

            Client owner = new Client();
            assertThat(passwordFirst(owner, "alice@example.com").path("tf_method").asText()).isEqualTo("webauthn");
            assertThat(passkeyStep(owner, key, options -> options).status()).isEqualTo(200);
            Reply refused = owner.post("/wan-delete", Map.of("name", "Key"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("response").path("errors").get(0).asText()).contains("only second factor");
            assertThat(t.gatehouse.passkeys().listForUser(alice.id())).hasSize(1);
        }

        @Test
        void withoutWanAllowAsFirstFactor_everyPasskeyIsASecondFactor() throws Exception {
            stop();
            start(c -> c.set(PasskeySettings.WAN_ALLOW_AS_FIRST_FACTOR, false));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            assertThat(owner.register(key, "Key", "first").at("/response/registered_credentials/0/usage").asText())
                    .isEqualTo("secondary");

            Client visitor = new Client();
            visitor.anonymousCsrf();
            assertThat(visitor.post("/wan-signin", Map.of()).status()).isEqualTo(404);
            assertThat(visitor.send("GET", "/login", null, "Accept", "text/html").body()).doesNotContain("wan-signin-form");

            assertThat(passwordFirst(visitor, "alice@example.com").path("tf_method").asText()).isEqualTo("webauthn");
            assertThat(passkeyStep(visitor, key, options -> options).status()).isEqualTo(200);
            assertThat(whoami(visitor)).isEqualTo("alice@example.com");
        }

        @Test
        void wanAllowAsVerify_limitsWhichPasskeysReauthenticate() throws Exception {
            stop();
            start(c -> c.set(PasskeySettings.WAN_ALLOW_AS_VERIFY, List.of("first")));
            SoftwareAuthenticator key = new SoftwareAuthenticator(origin);
            Client owner = new Client();
            owner.signInWithPassword("alice@example.com");
            String id = owner.register(key, "Key", "secondary").at("/response/registered_credentials/0/credential_id").asText();

            JsonNode verify = owner.post("/wan-verify", Map.of()).json().path("response");
            assertThat(JSON.readTree(verify.path("credential_options").asText()).path("allowCredentials")).isEmpty();
            String answer = key.get(allowOnly(verify.path("credential_options").asText(), id));
            Reply refused = owner.post("/wan-verify/" + verify.path("wan_state").asText(), Map.of("credential", answer));
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    private static Map<String, List<String>> fieldErrors(Reply reply) throws IOException {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        reply.json().path("response").path("field_errors").fields().forEachRemaining(e -> {
            List<String> messages = new java.util.ArrayList<>();
            e.getValue().forEach(m -> messages.add(m.asText()));
            errors.put(e.getKey(), messages);
        });
        return errors;
    }

    /** The user's audit entries' types, oldest first. */
    private List<String> auditTypes(User user) {
        List<String> types = new java.util.ArrayList<>(t.gatehouse.auditLog().forUser(user.id(), 100, Optional.empty()).stream()
                .map(AuditEntry::type).toList());
        java.util.Collections.reverse(types);
        return types;
    }

    /** One HTTP answer. */
    record Reply(int status, String body, Optional<String> locationHeader) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String location() {
            return locationHeader.orElseThrow(() -> new AssertionError("no Location in " + status + " " + body));
        }
    }

    /** Changes a credential JSON. */
    @FunctionalInterface
    interface Tamper {
        String apply(String credentialJson) throws Exception;
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
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("Location"));
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

        /** A form as a browser posts it, with the CSRF token as a field. */
        Reply form(String path, Map<String, String> fields) throws IOException, InterruptedException {
            Map<String, String> all = new LinkedHashMap<>(fields);
            all.put("csrf_token", csrf);
            String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return send("POST", path, body, "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html");
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
            return register(key, name, "first");
        }

        JsonNode register(SoftwareAuthenticator key, String name, String usage) throws Exception {
            Reply start = post("/wan-register", Map.of("name", name, "usage", usage));
            assertThat(start.status()).as(start.body()).isEqualTo(200);
            JsonNode response = start.json().path("response");
            String credential = key.create(response.path("credential_options").asText());
            Reply finish = post("/wan-register/" + response.path("wan_state").asText(), Map.of("credential", credential));
            assertThat(finish.status()).as(finish.body()).isEqualTo(200);
            return finish.json();
        }

        Reply signInWithPasskey(SoftwareAuthenticator key, Map<String, String> fields) throws Exception {
            return signInWithPasskey(key, fields, answer -> answer);
        }

        /** A passkey sign-in whose answer {@code tamper} changes before it is posted. */
        Reply signInWithPasskey(SoftwareAuthenticator key, Map<String, String> fields, Tamper tamper) throws Exception {
            anonymousCsrf();
            JsonNode start = post("/wan-signin", fields).json().path("response");
            String credential = tamper.apply(key.get(start.path("credential_options").asText()));
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
