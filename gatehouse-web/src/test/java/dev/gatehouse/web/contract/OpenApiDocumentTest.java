package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.password.HashingGate;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.User;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebRoute;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Keeps the shipped OpenAPI document honest: it lists exactly the endpoints the web layer mounts,
 * and real responses of a real server validate against the schemas it documents for their status.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@HttpContract
class OpenApiDocumentTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static JsonNode document;
    private static TestApp app;
    private static Inbox inbox;
    /** The password hasher, whose only slot a test can hold for the 503s. */
    private static final HashingGate GATE = new HashingGate(Duration.ofMillis(200));

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = GatehouseWeb.class.getResourceAsStream("openapi.yaml")) {
            assertThat(in).as("openapi.yaml ships in gatehouse-web").isNotNull();
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        // Every feature on, so that every documented endpoint is mounted; rate limits on for the 429s.
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(LOGIN_WITHOUT_CONFIRMATION, true)
                .set(RECOVERABLE, true).set(CHANGEABLE, true).set(CHANGE_EMAIL, true).set(USERNAME_ENABLE, true).set(USERNAME_RECOVERY, true)
                .set(UNIFIED_SIGNIN, true).set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH).set(LOCKOUT_MAX_ATTEMPTS, 3).set(RATE_LIMITS_ENABLED, true)
                .set("rate-limit-register", "3/1m/ip").set(TwoFactorSettings.TWO_FACTOR, true)
                .set(TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES, true), options -> { }, parts -> parts.passwordHasher(GATE.hasher()));
        app.user("alice@example.com", "correct horse battery");
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    /** Fixed rate-limit windows: each test starts in a fresh one. */
    @BeforeEach
    void freshWindows() {
        app.t.clock.advance(java.time.Duration.ofMinutes(10));
    }

    @Test
    @Order(1)
    void the_document_lists_exactly_the_mounted_endpoints() {
        Set<String> mounted = new HashSet<>();
        for (WebRoute route : new GatehouseWeb(app.gatehouse).routes()) {
            mounted.add(route.method() + " " + route.path());
        }
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        assertThat(documented).isEqualTo(mounted);
    }

    @Test
    @Order(2)
    void real_responses_match_their_documented_schemas() {
        HttpClientSession client = app.client();
        expect("get", "/login", client.getJson("/login"));
        expect("post", "/login", client.postJson("/login", Map.of("email", "alice@example.com", "password", "wrong password"),
                "X-CSRFToken", client.csrfToken()));
        expect("post", "/login", client.postJson("/login", Map.of("email", "alice@example.com", "password", "correct horse battery"),
                "X-CSRFToken", client.csrfToken()));
        // A signed-in client may not sign in again (400): tokens are asked for by a new one.
        expect("post", "/login", client.postJson("/login", Map.of("email", "alice@example.com",
                "password", "correct horse battery"), "X-CSRFToken", client.csrfToken()));
        client = app.client();
        HttpClientSession.Reply withTokens = client.postJson("/login?include_auth_token&include_refresh_token",
                Map.of("email", "alice@example.com", "password", "correct horse battery"), "X-CSRFToken", client.csrfToken());
        expect("post", "/login", withTokens);
        String refresh = withTokens.json().path("response").path("user").path("refresh_token").asText();
        expect("get", "/login", client.getJson("/login"));
        expect("get", "/verify", client.getJson("/verify"));
        String csrf = client.getJson("/verify").json().path("response").path("csrf_token").asText();
        expect("post", "/verify", client.postJson("/verify", Map.of("password", "wrong password"), "X-CSRFToken", csrf));
        expect("post", "/verify", client.postJson("/verify", Map.of("password", "correct horse battery"), "X-CSRFToken", csrf));
        expect("post", "/refresh-token", client.postJson("/refresh-token", Map.of("refresh_token", refresh)));
        expect("post", "/refresh-token", client.postJson("/refresh-token", Map.of("refresh_token", "nope")));
        expect("post", "/logout", client.postJson("/logout", Map.of(), "X-CSRFToken", "not the token"));
        expect("post", "/logout", client.postJson("/logout", Map.of(), "X-CSRFToken", client.csrfToken()));
        expect("post", "/verify", client.postJson("/verify", Map.of("password", "correct horse battery")));
        expect("get", "/verify", client.getJson("/verify"));
        expect("post", "/logout", client.postJson("/logout", Map.of()));
        expect("get", "/logout", client.getJson("/logout"));
        HttpClientSession visitor = app.client();
        expect("get", "/register", visitor.getJson("/register"));
        String registerCsrf = visitor.getJson("/register").json().path("response").path("csrf_token").asText();
        expect("post", "/register", visitor.postJson("/register", Map.of("email", "not an address", "password", "x"),
                "X-CSRFToken", registerCsrf));
        expect("post", "/register", visitor.postJson("/register?include_auth_token",
                Map.of("email", "openapi-new@example.com", "password", "a long enough passphrase"), "X-CSRFToken", registerCsrf));
        expect("post", "/register", visitor.postJson("/register", Map.of("email", "openapi-2@example.com",
                "password", "a long enough passphrase"), "X-CSRFToken", registerCsrf));
        expect("post", "/register", visitor.postJson("/register", Map.of("email", "openapi-3@example.com",
                "password", "a long enough passphrase"), "X-CSRFToken", registerCsrf));
    }

    @Test
    @Order(3)
    void real_responses_of_the_account_lifecycle_match_their_documented_schemas() {
        HttpClientSession visitor = app.client();
        String csrf = visitor.getJson("/login").json().path("response").path("csrf_token").asText();

        // Confirmation: the welcome mail of a registration carries the link.
        expect("get", "/confirm", visitor.getJson("/confirm"));
        visitor.postJson("/register", Map.of("email", "confirm-me@example.com", "password", "a long enough passphrase"),
                "X-CSRFToken", csrf);
        String confirmLink = inbox.next("confirm-me@example.com").link("/confirm");
        expect("get", "/confirm/{token}", visitor.getJson(confirmLink));
        expect("get", "/confirm/{token}", visitor.getJson(confirmLink));
        visitor.postJson("/register", Map.of("email", "confirm-by-post@example.com", "password", "a long enough passphrase"),
                "X-CSRFToken", csrf);
        String postLink = inbox.next("confirm-by-post@example.com").link("/confirm");
        expect("post", "/confirm/{token}", visitor.postJson(postLink, Map.of(), "X-CSRFToken", csrf));
        expect("post", "/confirm/{token}", visitor.postJson(postLink, Map.of(), "X-CSRFToken", csrf));
        expect("post", "/confirm", visitor.postJson("/confirm", Map.of("email", "resend@example.com"), "X-CSRFToken", csrf));
        expect("post", "/confirm", visitor.postJson("/confirm", Map.of("email", "resend@example.com"), "X-CSRFToken", csrf));
        expect("post", "/confirm", visitor.postJson("/confirm", Map.of("email", "not an address"), "X-CSRFToken", csrf));

        // Reset.
        User bob = app.user("bob@example.com", "correct horse battery");
        expect("get", "/reset", visitor.getJson("/reset"));
        expect("post", "/reset", visitor.postJson("/reset", Map.of("email", bob.email()), "X-CSRFToken", csrf));
        expect("post", "/reset", visitor.postJson("/reset", Map.of("email", "@"), "X-CSRFToken", csrf));
        String resetLink = inbox.next(bob.email()).link("/reset");
        expect("get", "/reset/{token}", visitor.getJson(resetLink));
        expect("get", "/reset/{token}", visitor.getJson("/reset/garbage"));
        expect("post", "/reset/{token}", visitor.postJson(resetLink, Map.of("password", "short"), "X-CSRFToken", csrf));
        expect("post", "/reset/{token}", visitor.postJson(resetLink, Map.of("password", "a brand new passphrase"),
                "X-CSRFToken", csrf));
        for (int i = 0; i < 5; i++) {
            visitor.postJson("/reset", Map.of("email", "flood@example.com"), "X-CSRFToken", csrf);
        }
        expect("post", "/reset", visitor.postJson("/reset", Map.of("email", "flood@example.com"), "X-CSRFToken", csrf));

        // Username recovery.
        expect("get", "/recover-username", visitor.getJson("/recover-username"));
        expect("post", "/recover-username", visitor.postJson("/recover-username", Map.of("email", "x@example.com"),
                "X-CSRFToken", csrf));
        expect("post", "/recover-username", visitor.postJson("/recover-username", Map.of("email", "x"), "X-CSRFToken", csrf));
        for (int i = 0; i < 4; i++) {
            visitor.postJson("/recover-username", Map.of("email", "x@example.com"), "X-CSRFToken", csrf);
        }
        expect("post", "/recover-username", visitor.postJson("/recover-username", Map.of("email", "x@example.com"),
                "X-CSRFToken", csrf));

        // Passwordless sign-in.
        User carol = app.user("carol@example.com", "correct horse battery");
        HttpClientSession codeClient = app.client();
        String codeCsrf = codeClient.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        expect("get", "/us-signin", codeClient.getJson("/us-signin"));
        expect("post", "/us-signin/send-code", codeClient.postJson("/us-signin/send-code",
                Map.of("identity", carol.email()), "X-CSRFToken", codeCsrf));
        expect("post", "/us-signin/send-code", codeClient.postJson("/us-signin/send-code",
                Map.of("identity", "nope"), "X-CSRFToken", codeCsrf));
        Inbox.Mail codeMail = inbox.next(carol.email());
        expect("post", "/us-signin", codeClient.postJson("/us-signin", Map.of("passcode", "not a code"), "X-CSRFToken", codeCsrf));
        expect("post", "/us-signin", codeClient.postJson("/us-signin?include_auth_token", Map.of("passcode", codeMail.code()),
                "X-CSRFToken", codeCsrf));
        expect("get", "/us-verify-link/{token}", app.client().getJson(codeMail.link("/us-verify-link")));
        expect("get", "/us-verify-link/{token}", app.client().getJson("/us-verify-link/forged"));
        HttpClientSession usedLink = app.client();
        expect("post", "/us-verify-link/{token}", usedLink.postJson(codeMail.link("/us-verify-link"), Map.of(),
                "X-CSRFToken", usedLink.csrfToken()));
        HttpClientSession linkClient = app.client();
        String linkCsrf = linkClient.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        linkClient.postJson("/us-signin/send-code", Map.of("identity", carol.email()), "X-CSRFToken", linkCsrf);
        String freshLink = inbox.next(carol.email()).link("/us-verify-link");
        expect("get", "/us-verify-link/{token}", app.client().getJson(freshLink));
        HttpClientSession linkUser = app.client();
        expect("post", "/us-verify-link/{token}", linkUser.postJson(freshLink, Map.of(), "X-CSRFToken", linkUser.csrfToken()));
        linkClient.postJson("/us-signin/send-code", Map.of("identity", carol.email()), "X-CSRFToken", linkCsrf);
        expect("post", "/us-signin/send-code", linkClient.postJson("/us-signin/send-code",
                Map.of("identity", carol.email()), "X-CSRFToken", linkCsrf));
        HttpClientSession guesser = app.client();
        String guesserCsrf = guesser.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        for (int i = 0; i < 10; i++) {
            guesser.postJson("/us-signin", Map.of("passcode", "000000"), "X-CSRFToken", guesserCsrf);
        }
        expect("post", "/us-signin", guesser.postJson("/us-signin", Map.of("passcode", "000000"), "X-CSRFToken", guesserCsrf));

        // Unlock: three failures lock the account and mail the link (in a new rate-limit window).
        app.t.clock.advance(java.time.Duration.ofMinutes(2));
        User dave = app.user("dave@example.com", "correct horse battery");
        for (int i = 0; i < 3; i++) {
            app.client().login(dave.email(), "wrong password");
        }
        expect("get", "/unlock/{token}", app.client().getJson("/unlock/garbage"));
        expect("get", "/unlock/{token}", app.client().getJson(inbox.next(dave.email()).link("/unlock")));

        // Where a user is signed in.
        User frank = app.user("frank@example.com", "correct horse battery");
        HttpClientSession phone = app.signedIn(frank);
        HttpClientSession laptop = app.signedIn(frank);
        expect("get", "/sessions", phone.getJson("/sessions"));
        expect("get", "/sessions", app.client().getJson("/sessions"));
        String laptopHandle = null;
        for (JsonNode entry : laptop.getJson("/sessions").json().path("response").path("sessions")) {
            if (entry.path("current").asBoolean()) {
                laptopHandle = entry.path("id").asText();
            }
        }
        expect("post", "/sessions/end", phone.postJson("/sessions/end", Map.of("id", "nope"), "X-CSRFToken", phone.csrfToken()));
        expect("post", "/sessions/end", phone.postJson("/sessions/end", Map.of(), "X-CSRFToken", phone.csrfToken()));
        expect("post", "/sessions/end", phone.postJson("/sessions/end", Map.of("id", laptopHandle),
                "X-CSRFToken", phone.csrfToken()));
        expect("post", "/sessions/end", laptop.postJson("/sessions/end", Map.of("id", "all")));
        expect("post", "/sessions/end", phone.postJson("/sessions/end", Map.of("id", "all"), "X-CSRFToken", phone.csrfToken()));

        // Signed in: password, email and username change.
        expect("get", "/change", app.client().getJson("/change"));
        User erin = app.user("erin@example.com", "correct horse battery");
        HttpClientSession member = app.signedIn(erin);
        expect("get", "/change", member.getJson("/change"));
        expect("get", "/change-email", member.getJson("/change-email"));
        expect("get", "/change-username", member.getJson("/change-username"));
        expect("post", "/change-username", member.postJson("/change-username", Map.of("username", "no spaces please"),
                "X-CSRFToken", member.csrfToken()));
        expect("post", "/change-username", member.postJson("/change-username", Map.of("username", "erin_e"),
                "X-CSRFToken", member.csrfToken()));
        expect("get", "/change-username", member.getJson("/change-username"));
        expect("post", "/change-email", member.postJson("/change-email", Map.of("email", "not an address"),
                "X-CSRFToken", member.csrfToken()));
        expect("post", "/change-email", member.postJson("/change-email", Map.of("email", "erin.new@example.com",
                "password", "wrong"), "X-CSRFToken", member.csrfToken()));
        expect("post", "/change-email", member.postJson("/change-email", Map.of("email", "erin.new@example.com",
                "password", "correct horse battery"), "X-CSRFToken", member.csrfToken()));
        String changeLink = inbox.next("erin.new@example.com").link("/change-email-confirm");
        expect("get", "/change-email-confirm/{token}", app.client().getJson(changeLink));
        expect("get", "/change-email-confirm/{token}", app.client().getJson(changeLink));
        for (int i = 0; i < 9; i++) {
            member.postJson("/change-email", Map.of("email", "erin" + i + "@example.com", "password", "correct horse battery"),
                    "X-CSRFToken", member.csrfToken());
        }
        expect("post", "/change-email", member.postJson("/change-email", Map.of("email", "erin.more@example.com",
                "password", "correct horse battery"), "X-CSRFToken", member.csrfToken()));
        expect("post", "/change", member.postJson("/change", Map.of("password", "wrong", "new_password", "a new passphrase here"),
                "X-CSRFToken", member.csrfToken()));
        expect("post", "/change", member.postJson("/change?include_auth_token", Map.of("password", "correct horse battery",
                "new_password", "a new passphrase here"), "X-CSRFToken", member.csrfToken()));
        for (int i = 0; i < 4; i++) {
            member.postJson("/change", Map.of("password", "wrong", "new_password", "another passphrase"),
                    "X-CSRFToken", member.csrfToken());
        }
        expect("post", "/change", member.postJson("/change", Map.of("password", "wrong", "new_password", "another passphrase"),
                "X-CSRFToken", member.csrfToken()));
        // Wrong passwords at re-authentication meet the sign-in limit.
        HttpClientSession.Reply verifyLimited = null;
        for (int i = 0; i < 6; i++) {
            verifyLimited = member.postJson("/verify", Map.of("password", "wrong"), "X-CSRFToken", member.csrfToken());
        }
        expect("post", "/verify", verifyLimited);
        // The notice to the old address carries the link that undoes the change (last: it signs erin out).
        String revertLink = inbox.next("erin@example.com").link("/change-email-revert");
        HttpClientSession owner = app.client();
        expect("get", "/change-email-revert/{token}", owner.getJson(revertLink + "x"));
        HttpClientSession.Reply revertInfo = owner.getJson(revertLink);
        expect("get", "/change-email-revert/{token}", revertInfo);
        expect("post", "/change-email-revert/{token}", owner.postJson(revertLink, Map.of(),
                "X-CSRFToken", revertInfo.json().path("response").path("csrf_token").asText()));
        expect("post", "/change-email-revert/{token}", owner.postJson(revertLink, Map.of(),
                "X-CSRFToken", revertInfo.json().path("response").path("csrf_token").asText()));
        HttpClientSession anonymous = app.client();
        expect("post", "/change-email", anonymous.postJson("/change-email", Map.of("email", "a@example.com")));
        expect("get", "/change-email", anonymous.getJson("/change-email"));
        expect("get", "/change-username", anonymous.getJson("/change-username"));
        expect("post", "/change-username", anonymous.postJson("/change-username", Map.of("username", "anyone")));
        expect("post", "/change", anonymous.postJson("/change", Map.of("password", "x", "new_password", "y")));

        // Registration and sign-in limits.
        for (int i = 0; i < 3; i++) {
            visitor.postJson("/register", Map.of("email", "many" + i + "@example.com", "password", "a long enough passphrase"),
                    "X-CSRFToken", csrf);
        }
        expect("post", "/register", visitor.postJson("/register", Map.of("email", "one-more@example.com",
                "password", "a long enough passphrase"), "X-CSRFToken", csrf));
        HttpClientSession.Reply limited = null;
        for (int i = 0; i < 11; i++) {
            limited = app.client().login("nobody" + i + "@example.com", "guess");
        }
        expect("post", "/login", limited);
    }

    @Test
    @Order(3)
    void real_responses_of_factor_setup_match_their_documented_schemas() {
        HttpClientSession anonymous = app.client();
        String anonymousCsrf = anonymous.csrfToken();

        // Two-factor setup.
        HttpClientSession tf = app.signedIn(app.user("tf-setup@example.com", "correct horse battery"));
        expect("get", "/tf-setup", tf.getJson("/tf-setup"));
        expect("get", "/tf-setup", anonymous.getJson("/tf-setup"));
        expect("post", "/tf-setup", tf.postJson("/tf-setup", Map.of("setup", "pigeon"), "X-CSRFToken", tf.csrfToken()));
        expect("post", "/tf-setup", anonymous.postJson("/tf-setup", Map.of("setup", "email"), "X-CSRFToken", anonymousCsrf));
        HttpClientSession.Reply started = tf.postJson("/tf-setup", Map.of("setup", "authenticator"), "X-CSRFToken", tf.csrfToken());
        expect("post", "/tf-setup", started);
        String key = started.json().path("response").path("tf_authr_key").asText();
        String state = "/tf-setup/" + started.json().path("response").path("tf_state_token").asText();
        String code = AuthenticatorApp.code(key, app.t.clock.instant());
        UsedSecrets.add(key);
        expect("post", "/tf-setup/{token}", tf.postJson(state, Map.of("code", code.equals("000000") ? "111111" : "000000"),
                "X-CSRFToken", tf.csrfToken()));
        expect("post", "/tf-setup/{token}", anonymous.postJson(state, Map.of("code", code), "X-CSRFToken", anonymousCsrf));
        expect("post", "/tf-setup/{token}", tf.postJson(state, Map.of("code", code), "X-CSRFToken", tf.csrfToken()));
        expect("post", "/tf-setup", tf.postJson("/tf-setup", Map.of("setup", "disable"), "X-CSRFToken", tf.csrfToken()));

        // Recovery codes.
        expect("get", "/mf-recovery-codes", tf.getJson("/mf-recovery-codes"));
        expect("get", "/mf-recovery-codes", anonymous.getJson("/mf-recovery-codes"));
        HttpClientSession.Reply codes = tf.postJson("/mf-recovery-codes", Map.of(), "X-CSRFToken", tf.csrfToken());
        codes.json().path("response").path("recovery_codes").forEach(c -> UsedSecrets.add(c.asText()));
        expect("post", "/mf-recovery-codes", codes);
        expect("post", "/mf-recovery-codes", anonymous.postJson("/mf-recovery-codes", Map.of(), "X-CSRFToken", anonymousCsrf));

        // Unified sign-in setup.
        HttpClientSession us = app.signedIn(app.user("us-setup@example.com", "correct horse battery"));
        expect("get", "/us-setup", us.getJson("/us-setup"));
        expect("get", "/us-setup", anonymous.getJson("/us-setup"));
        expect("post", "/us-setup", us.postJson("/us-setup", Map.of("chosen_method", "pigeon"), "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-setup", anonymous.postJson("/us-setup", Map.of("chosen_method", "authenticator"),
                "X-CSRFToken", anonymousCsrf));
        HttpClientSession.Reply adding = us.postJson("/us-setup", Map.of("chosen_method", "authenticator"), "X-CSRFToken", us.csrfToken());
        expect("post", "/us-setup", adding);
        String usKey = adding.json().path("response").path("authr_key").asText();
        UsedSecrets.add(usKey);
        String usState = "/us-setup/" + adding.json().path("response").path("state").asText();
        String usCode = AuthenticatorApp.code(usKey, app.t.clock.instant());
        expect("post", "/us-setup/{token}", us.postJson(usState, Map.of("passcode", usCode.equals("000000") ? "111111" : "000000"),
                "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-setup/{token}", anonymous.postJson(usState, Map.of("passcode", usCode), "X-CSRFToken", anonymousCsrf));
        expect("post", "/us-setup/{token}", us.postJson(usState, Map.of("passcode", usCode), "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-setup", us.postJson("/us-setup", Map.of("delete_method", java.util.List.of("authenticator")),
                "X-CSRFToken", us.csrfToken()));

        // Re-authentication with a code.
        expect("get", "/us-verify", us.getJson("/us-verify"));
        expect("get", "/us-verify", anonymous.getJson("/us-verify"));
        expect("post", "/us-verify/send-code", us.postJson("/us-verify/send-code", Map.of("chosen_method", "sms"),
                "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-verify/send-code", anonymous.postJson("/us-verify/send-code", Map.of("chosen_method", "email"),
                "X-CSRFToken", anonymousCsrf));
        expect("post", "/us-verify/send-code", us.postJson("/us-verify/send-code", Map.of("chosen_method", "email"),
                "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-verify", us.postJson("/us-verify", Map.of("passcode", "wrong password"), "X-CSRFToken", us.csrfToken()));
        expect("post", "/us-verify", anonymous.postJson("/us-verify", Map.of("passcode", "correct horse battery"),
                "X-CSRFToken", anonymousCsrf));
        expect("post", "/us-verify", us.postJson("/us-verify", Map.of("passcode", "correct horse battery"),
                "X-CSRFToken", us.csrfToken()));
    }

    @Test
    @Order(4)
    void every_endpoint_that_hashes_a_password_answers_503_when_no_hashing_slot_frees() throws Exception {
        User gina = app.user("gina@example.com", "correct horse battery");
        HttpClientSession member = app.signedIn(gina);
        String memberCsrf = member.csrfToken();
        HttpClientSession visitor = app.client();
        String csrf = visitor.csrfToken();
        visitor.postJson("/reset", Map.of("email", gina.email()), "X-CSRFToken", csrf);
        String resetLink = inbox.next(gina.email()).link("/reset");
        GATE.close();
        CompletableFuture<HttpClientSession.Reply> held = CompletableFuture.supplyAsync(
                () -> app.client().login("alice@example.com", "correct horse battery"));
        GATE.awaitHeld();
        Map<String, HttpClientSession.Reply> busy = new java.util.LinkedHashMap<>();
        try {
            busy.put("/login", visitor.postJson("/login", Map.of("email", "alice@example.com", "password", "correct horse battery"),
                    "X-CSRFToken", csrf));
            busy.put("/register", visitor.postJson("/register", Map.of("email", "busy@example.com",
                    "password", "a long enough passphrase"), "X-CSRFToken", csrf));
            busy.put("/reset/{token}", visitor.postJson(resetLink, Map.of("password", "a brand new passphrase"), "X-CSRFToken", csrf));
            busy.put("/verify", member.postJson("/verify", Map.of("password", "correct horse battery"), "X-CSRFToken", memberCsrf));
            busy.put("/change", member.postJson("/change", Map.of("password", "correct horse battery",
                    "new_password", "a new passphrase here"), "X-CSRFToken", memberCsrf));
            busy.put("/change-email", member.postJson("/change-email", Map.of("email", "gina.new@example.com",
                    "password", "correct horse battery"), "X-CSRFToken", memberCsrf));
        } finally {
            GATE.open();
            held.get(30, TimeUnit.SECONDS);
        }
        busy.forEach((path, reply) -> {
            assertThat(reply.status()).as("%s: %s", path, reply).isEqualTo(503);
            expect("post", path, reply);
        });
    }

    @Test
    @Order(5)
    void real_responses_of_the_two_step_sign_in_match_their_documented_schemas() {
        User tf = app.user("two-step@example.com", "correct horse battery");
        TwoFactor twoFactor = app.gatehouse.twoFactor();
        TotpSetup setup = twoFactor.newTotpSecret(tf);
        EventContext context = EventContext.of(app.t.clock.instant(), tf.id(), ClientInfo.UNKNOWN);
        twoFactor.enable(tf, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(), context);
        List<String> recoveryCodes = twoFactor.newRecoveryCodes(tf, context);

        HttpClientSession nobody = app.client();
        String csrf = nobody.csrfToken();
        for (String path : List.of("/tf-validate", "/tf-select", "/tf-rescue", "/mf-recovery")) {
            expect("get", path, nobody.getJson(path));
        }
        expect("post", "/tf-validate", nobody.postJson("/tf-validate", Map.of("code", "123456"), "X-CSRFToken", csrf));

        HttpClientSession client = app.client();
        expect("post", "/login", client.login(tf.email(), "correct horse battery"));
        for (String path : List.of("/tf-validate", "/tf-select", "/tf-rescue", "/mf-recovery")) {
            expect("get", path, client.getJson(path));
        }
        String pending = client.csrfToken();
        expect("post", "/tf-select", client.postJson("/tf-select", Map.of("which", "carrier pigeon"), "X-CSRFToken", pending));
        expect("post", "/tf-select", client.postJson("/tf-select", Map.of("which", "authenticator"), "X-CSRFToken", pending));
        expect("post", "/tf-validate", client.postJson("/tf-validate?include_auth_token",
                Map.of("code", TotpCodes.code(setup.base32Key(), app.t.clock.instant())), "X-CSRFToken", pending));

        HttpClientSession recovering = app.client();
        recovering.login(tf.email(), "correct horse battery");
        String recoveryCsrf = recovering.csrfToken();
        expect("post", "/tf-rescue", recovering.postJson("/tf-rescue", Map.of("help_setup", "shout"), "X-CSRFToken", recoveryCsrf));
        expect("post", "/tf-rescue", recovering.postJson("/tf-rescue", Map.of("help_setup", "email"), "X-CSRFToken", recoveryCsrf));
        expect("post", "/mf-recovery", recovering.postJson("/mf-recovery", Map.of("code", "nope"), "X-CSRFToken", recoveryCsrf));
        expect("post", "/mf-recovery", recovering.postJson("/mf-recovery", Map.of("code", recoveryCodes.get(0)),
                "X-CSRFToken", recoveryCsrf));

        // The limits: codes sent (rescue, select) and wrong codes (validate, recovery codes).
        HttpClientSession flooding = app.client();
        flooding.login(tf.email(), "correct horse battery");
        String floodCsrf = flooding.csrfToken();
        HttpClientSession.Reply sent = null;
        for (int i = 0; i < 30 && (sent == null || sent.status() != 429); i++) {
            sent = flooding.postJson("/tf-rescue", Map.of("help_setup", "email"), "X-CSRFToken", floodCsrf);
        }
        expect("post", "/tf-rescue", sent);
        expect("post", "/tf-select", flooding.postJson("/tf-select", Map.of("which", "email"), "X-CSRFToken", floodCsrf));
        HttpClientSession.Reply wrong = null;
        for (int i = 0; i < 30 && (wrong == null || wrong.status() != 429); i++) {
            wrong = flooding.postJson("/tf-validate", Map.of("code", "000000"), "X-CSRFToken", floodCsrf);
        }
        expect("post", "/tf-validate", wrong);
        expect("post", "/mf-recovery", flooding.postJson("/mf-recovery", Map.of("code", "nope"), "X-CSRFToken", floodCsrf));
    }

    @Test
    @Order(6)
    void every_documented_json_answer_was_met_by_a_real_response() {
        Set<String> documented = new java.util.TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                method.getValue().path("responses").fieldNames().forEachRemaining(status -> {
                    JsonNode response = method.getValue().path("responses").path(status);
                    boolean json = response.has("$ref") || response.path("content").has("application/json");
                    if (json) {
                        documented.add(method.getKey() + " " + path.getKey() + " " + status);
                    }
                });
            }
        }
        Set<String> met = new java.util.TreeSet<>();
        SEEN.forEach((operation, statuses) -> statuses.forEach(status -> met.add(operation + " " + status)));
        // Answers of other configurations: GET /logout signs out only when logout-methods has GET.
        documented.remove("get /logout 200");
        assertThat(met).containsAll(documented);
    }

    /** Statuses met per documented operation, to check each was seen (its cases are above). */
    private static final java.util.Map<String, java.util.Set<Integer>> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    private static void expect(String method, String path, HttpClientSession.Reply reply) {
        SEEN.computeIfAbsent(method + " " + path, k -> new java.util.TreeSet<>()).add(reply.status());
        String status = Integer.toString(reply.status());
        JsonNode response = document.path("paths").path(path).path(method).path("responses").path(status);
        assertThat(response.isMissingNode()).as("%s %s documents status %s (%s)", method, path, status, reply.body()).isFalse();
        String pointer = response.has("$ref")
                ? response.get("$ref").asText().substring(1) + "/content/application~1json/schema"
                : "/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + status + "/content/application~1json/schema";
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#" + pointer);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> problems = schema.validate(reply.json());
        assertThat(problems).as("%s %s -> %s: %s", method, path, status, reply.body()).isEmpty();
    }
}
