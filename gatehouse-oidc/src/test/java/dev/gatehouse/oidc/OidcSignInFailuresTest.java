package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.oidc.SignInBrowser.PASSWORD;
import static dev.gatehouse.oidc.SignInBrowser.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every way a sign-in with a provider can go wrong on the provider's side (issue 12, "Done when"), driven
 * end to end: a real Javalin server with {@link OidcFeature}, the in-process provider of {@link TestProvider}
 * (mock-oauth2-server with forged JWKS, chosen claims and a provider clock that can be off), and a
 * {@link SignInBrowser} that walks start, authorize endpoint and callback by hand. Each refusal is checked
 * as a browser sees it (flash and redirect to the login page) and as a JSON client does (400 with the
 * error), and each leaves no session, no account, no linked identity, a cleared flow cookie, an
 * {@code authentication_failed} event where the feature records one, and none of the flow's secrets or
 * any token in the log.
 */
class OidcSignInFailuresTest {

    private static final String ISSUER_ID = "default";
    private static final String PROVIDER = "test";
    private static final String CLIENT_SECRET = "a-client-secret";
    /** What the login page and the JSON errors say for a refused callback of {@code Test ID}. */
    private static final String STATE_REFUSED = "This sign-in with Test ID has expired, was already used or was started"
            + " in another browser.";
    /** A JWT (header {@code {"...}), whole or in part; none belongs in Gatehouse's log. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}");

    private TestProvider idp;
    private Javalin app;
    private int port;
    private TestGatehouse t;
    private ValueSealer sealer;
    private final List<AccountEvent> events = new CopyOnWriteArrayList<>();
    /** Every secret a flow of this test used: none may reach the log. */
    private final List<String> secrets = new ArrayList<>();
    private int logMark;
    private int tokenRequests;

    @BeforeAll
    static void captureTheLog() {
        CapturedLog.install();
    }

    @BeforeEach
    void startProvider() {
        logMark = CapturedLog.mark();
        idp = new TestProvider();
        secrets.add(CLIENT_SECRET);
        secrets.add(TestGatehouse.SECRET);
    }

    @AfterEach
    void stopAndScanTheLog() {
        try {
            if (app != null) {
                app.stop();
            }
        } finally {
            idp.close();
        }
        String log = CapturedLog.since(logMark);
        for (String secret : secrets) {
            assertThat(log).as("the log of this test holds a secret of a flow").doesNotContain(secret);
        }
        for (String line : log.split("\n")) {
            if (line.contains("dev.gatehouse")) {
                Matcher jwt = JWT.matcher(line);
                assertThat(jwt.find()).as("Gatehouse logged a JWT: %s", line).isFalse();
            }
        }
    }

    private void start() throws IOException {
        start(c -> { });
    }

    /** A server with one provider, {@code test} ("Test ID"), at issuer {@code default} of the test provider. */
    private void start(Consumer<GatehouseConfig.Builder> config) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
            c.set(REGISTERABLE, true);
            c.set(EXTERNAL_URL, "http://localhost:" + port);
            config.accept(c);
        }, p -> p.listener(events::add));
        sealer = ValueSealer.create(t.gatehouse.config());
        OidcFeature feature = OidcFeature.builder(t.gatehouse)
                .provider(idp.provider(ISSUER_ID).displayName("Test ID").build()).build();
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, WebOptions.builder().feature(feature).build());
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/whoami", ctx -> ctx.result(ctx.with(GatehousePlugin.class).user().email()), Access.authenticated());
        }).start(port);
    }

    private String issuer() {
        return idp.issuer(ISSUER_ID).toString();
    }

    private SignInBrowser browser() {
        return new SignInBrowser(port, PROVIDER);
    }

    // ------------------------------------------------------------------ the ID token

    @Test
    void an_id_token_signed_by_a_key_outside_the_providers_jwks_is_refused() throws Exception {
        start();
        RSAKey impostor = TestProvider.RotatingKeys.generate();
        // The JWKS holds none of the provider's signing keys: the key id is not found.
        idp.forgedJwks = new JWKSet(impostor.toPublicJWK());
        refusedBothWays("sub-unknown-key", Map.of(), "(invalid_id_token)", "OIDC_INVALID_ID_TOKEN");
        // The JWKS announces the signing key's id with another key: the signature does not verify.
        idp.forgedJwks = new JWKSet(new RSAKey.Builder(impostor.toRSAPublicKey()).keyID(idp.keys.current().getKeyID()).build());
        refusedBothWays("sub-forged-key", Map.of(), "(invalid_id_token)", "OIDC_INVALID_ID_TOKEN");
    }

    @Test
    void an_id_token_from_another_issuer_is_refused() throws Exception {
        start();
        refusedBothWays("sub-iss", Map.of("iss", idp.issuer("other").toString()), "(invalid_id_token)",
                "OIDC_INVALID_ID_TOKEN");
    }

    @Test
    void an_id_token_for_another_audience_is_refused() throws Exception {
        start();
        refusedBothWays("sub-aud", Map.of("aud", "another-client"), "(invalid_id_token)", "OIDC_INVALID_ID_TOKEN");
    }

    @Test
    void an_id_token_for_several_audiences_whose_authorized_party_is_another_client_is_refused() throws Exception {
        start();
        refusedBothWays("sub-azp", Map.of("aud", List.of(TestProvider.CLIENT_ID, "api"), "azp", "api"),
                "(invalid_id_token)", "OIDC_INVALID_ID_TOKEN");
    }

    @Test
    void an_expired_id_token_is_refused_and_the_same_token_issued_in_time_signs_in() throws Exception {
        start();
        for (boolean json : new boolean[] {false, true}) {
            String subject = "sub-expired-" + (json ? "json" : "browser");
            Flow flow = begin();
            // Issued two hours ago for an hour, by a provider whose clock is off: far beyond the clock skew.
            idp.tokenTime = Instant.now().minus(Duration.ofHours(2));
            idp.issueDirectly = new TestProvider.Claims(ISSUER_ID, subject, claims(subject, flow.nonce()));
            Reply reply;
            int before = events.size();
            try {
                reply = finish(flow, json);
            } finally {
                idp.tokenTime = null;
                idp.issueDirectly = null;
            }
            assertRefused(flow.browser(), reply, json, "(invalid_id_token)");
            assertNothingCreated(subject);
            assertFailureEvent(before, "OIDC_INVALID_ID_TOKEN");
        }
        // The same route and claims with the provider's clock right: it was the expiry that was refused.
        Flow control = begin();
        idp.issueDirectly = new TestProvider.Claims(ISSUER_ID, "sub-in-time", claims("sub-in-time", control.nonce()));
        Reply signedIn = finish(control, false);
        assertThat(signedIn.setsSession()).isTrue();
        assertThat(control.browser().get("/whoami").body()).isEqualTo("sub-in-time@example.com");
    }

    @Test
    void a_nonce_replayed_from_an_earlier_flow_is_refused() throws Exception {
        start();
        idp.nextSignIn(ISSUER_ID, "sub-earlier", claims("sub-earlier", null));
        Flow earlier = begin();
        assertThat(finish(earlier, false).setsSession()).isTrue();

        for (boolean json : new boolean[] {false, true}) {
            String subject = "sub-nonce-" + (json ? "json" : "browser");
            // The provider (or whoever stands in for it) answers with an ID token carrying the earlier flow's nonce.
            idp.nextSignIn(ISSUER_ID, subject, claims(subject, earlier.nonce()));
            Flow flow = begin();
            int before = events.size();
            Reply reply = finish(flow, json);
            assertRefused(flow.browser(), reply, json, "(invalid_id_token)");
            assertNothingCreated(subject);
            assertFailureEvent(before, "OIDC_INVALID_ID_TOKEN");
        }
    }

    // ------------------------------------------------------------------ state and the flow cookie

    @Test
    void a_replayed_state_is_refused_before_the_provider_is_asked_again() throws Exception {
        start();
        idp.nextSignIn(ISSUER_ID, "sub-once", claims("sub-once", null));
        Flow flow = begin();
        String keptCookie = flow.browser().flowCookie;
        Reply first = finish(flow, false);
        assertThat(first.setsSession()).isTrue();
        assertThat(first.clearsFlowCookie()).isTrue();
        // No sign-in is queued for a second exchange: had the callback reached the provider, it would answer.
        int exchanges = tokenRequests();
        assertThat(exchanges).as("the provider's record of token requests is read").isPositive();

        for (boolean json : new boolean[] {false, true}) {
            // An attacker who kept the callback URL and the flow cookie sends both again from another browser.
            SignInBrowser attacker = browser();
            int before = events.size();
            Reply replay = json
                    ? attacker.get(flow.callback(), "Cookie", keptCookie, "Accept", "application/json")
                    : attacker.get(flow.callback(), "Cookie", keptCookie);
            assertRefused(attacker, replay, json, STATE_REFUSED);
            assertFailureEvent(before, "OIDC_REPLAYED_STATE");
        }
        assertThat(tokenRequests()).as("token requests after the first exchange").isEqualTo(exchanges);
        assertThat(t.gatehouse.users().findUserByEmail("sub-once@example.com")).isPresent();
    }

    @Test
    void a_flow_cookie_without_the_pkce_verifier_never_reaches_the_token_endpoint_and_a_wrong_one_is_refused_there() throws Exception {
        start();
        for (boolean json : new boolean[] {false, true}) {
            Flow flow = begin();
            FlowState kept = flow.state();
            // Sealed by the server's own key (so it opens), but with an empty verifier.
            FlowState emptied = new FlowState(kept.providerId(), kept.purpose(), new FlowSecrets(kept.secrets().state(),
                    kept.secrets().nonce(), "", kept.secrets().scopes()), kept.next(), kept.remember(), kept.userId(),
                    kept.startedAt());
            int exchanges = tokenRequests();
            int before = events.size();
            SignInBrowser elsewhere = browser();
            Reply reply = callbackWithCookie(elsewhere, flow.callback(), emptied.seal(sealer), json);
            assertRefused(elsewhere, reply, json, "(invalid_state)");
            assertFailureEvent(before, "OIDC_INVALID_STATE");
            assertThat(tokenRequests()).as("token requests without a verifier").isEqualTo(exchanges);
        }
        // A well-formed verifier of another flow does reach the provider, which refuses it (RFC 7636 4.6).
        Flow flow = begin();
        FlowState kept = flow.state();
        String otherVerifier = new CodeVerifier().getValue();
        secrets.add(otherVerifier);
        FlowState swapped = new FlowState(kept.providerId(), kept.purpose(), new FlowSecrets(kept.secrets().state(),
                kept.secrets().nonce(), otherVerifier, kept.secrets().scopes()), kept.next(), kept.remember(), kept.userId(),
                kept.startedAt());
        idp.nextSignIn(ISSUER_ID, "sub-pkce", claims("sub-pkce", null));
        int exchanges = tokenRequests();
        int before = events.size();
        SignInBrowser elsewhere = browser();
        assertRefused(elsewhere, callbackWithCookie(elsewhere, flow.callback(), swapped.seal(sealer), false), false,
                "(token_exchange_failed)");
        assertFailureEvent(before, "OIDC_TOKEN_EXCHANGE_FAILED");
        assertThat(tokenRequests()).isEqualTo(exchanges + 1);
        assertNothingCreated("sub-pkce");
    }

    @Test
    void a_flow_cookie_lacking_the_verifier_or_tampered_with_is_refused_as_a_foreign_flow() throws Exception {
        start();
        for (boolean json : new boolean[] {false, true}) {
            // Without the verifier's field at all, sealed as the server would seal it.
            Flow flow = begin();
            Map<String, Object> fields = JSONObjectUtils.parse(sealer.open(flow.cookieValue(), "gatehouse-oidc-flow").orElseThrow());
            assertThat(fields).containsKey("v");
            fields.remove("v");
            String withoutVerifier = sealer.seal(JSONObjectUtils.toJSONString(fields), "gatehouse-oidc-flow");
            int exchanges = tokenRequests();
            SignInBrowser elsewhere = browser();
            int before = events.size();
            assertRefused(elsewhere, callbackWithCookie(elsewhere, flow.callback(), withoutVerifier, json), json, STATE_REFUSED);
            assertFailureEvent(before, "OIDC_FLOW_MISSING");
            assertThat(tokenRequests()).isEqualTo(exchanges);

            // One character of the sealed value changed: it does not open.
            Flow other = begin();
            String value = other.cookieValue();
            int middle = value.length() / 2;
            String tampered = value.substring(0, middle) + (value.charAt(middle) == 'A' ? 'B' : 'A') + value.substring(middle + 1);
            SignInBrowser tamperer = browser();
            before = events.size();
            assertRefused(tamperer, callbackWithCookie(tamperer, other.callback(), tampered, json), json, STATE_REFUSED);
            assertFailureEvent(before, "OIDC_FLOW_MISSING");
            assertThat(tokenRequests()).isEqualTo(exchanges);
        }
    }

    // ------------------------------------------------------------------ the provider's answer

    @Test
    void the_provider_answering_access_denied_is_reported_without_a_session() throws Exception {
        start();
        for (boolean json : new boolean[] {false, true}) {
            SignInBrowser browser = browser();
            Reply start = browser.start(Map.of());
            String state = query(URI.create(start.location())).get("state");
            secrets.add(state);
            secrets.add(browser.flowCookie.substring(browser.flowCookie.indexOf('=') + 1));
            int exchanges = tokenRequests();
            int before = events.size();
            String callback = "/login/oauthresponse/" + PROVIDER + "?error=access_denied"
                    + "&error_description=The+user+declined&state=" + state;
            Reply reply = json ? browser.get(callback, "Accept", "application/json") : browser.get(callback);
            assertRefused(browser, reply, json, "An error occurred while communicating with Test ID (provider_error)");
            assertFailureEvent(before, "OIDC_PROVIDER_ERROR");
            assertThat(tokenRequests()).isEqualTo(exchanges);
        }
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void an_unverified_email_meeting_an_existing_account_neither_signs_in_nor_links_even_with_linking_by_email_on()
            throws Exception {
        start(c -> c.set(OidcWebSettings.OAUTH_LINK_VERIFIED_EMAIL, true));
        User kim = t.user("kim@example.com", PASSWORD);
        for (boolean json : new boolean[] {false, true}) {
            String subject = "sub-kim-" + (json ? "json" : "browser");
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("email", "kim@example.com");
            if (!json) {
                claims.put("email_verified", false);
            } // the JSON client's provider says nothing about verification: no better
            idp.nextSignIn(ISSUER_ID, subject, claims);
            Flow flow = begin();
            int before = events.size();
            Reply reply = finish(flow, json);
            assertRefused(flow.browser(), reply, json, "Test ID has not verified your email address");
            assertThat(t.gatehouse.externalIdentities().find(issuer(), subject)).isEmpty();
            assertFailureEvent(before, "OIDC_EMAIL_NOT_VERIFIED");
        }
        assertThat(t.gatehouse.externalIdentities().listForUser(kim.id())).isEmpty();
        assertThat(t.gatehouse.users().findUserById(kim.id()).orElseThrow().securityStamp()).isEqualTo(kim.securityStamp());
        assertThat(events).noneMatch(e -> e.type().equals("user_authenticated") || e.type().equals("external_identity_linked"));
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void a_plain_http_issuer_on_a_host_other_than_loopback_stops_the_application_from_starting() {
        for (String issuer : List.of("http://sso.corp.example.com/realms/staff", "http://127.0.0.1.nip.io/realms/staff",
                "http://localhost.example.com/realms/staff", "http://10.0.0.1/realms/staff", "http://[::2]/realms/staff")) {
            Map<String, String> env = corp(issuer);
            assertThatThrownBy(() -> new TestGatehouse(c -> c.fromEnvironment(env)))
                    .as(issuer)
                    .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().contains("GATEHOUSE_OIDC_CORP_ISSUER").contains("https")
                            .doesNotContain(CLIENT_SECRET));
            // The same provider built in code is refused too.
            assertThatThrownBy(() -> OidcProvider.builder("corp").issuer(issuer).clientId("diary")
                    .clientSecret(CLIENT_SECRET).build())
                    .as(issuer).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https");
        }
        // Loopback addresses are the development exception, and https anywhere is fine.
        for (String issuer : List.of("http://localhost:8080/realms/dev", "http://127.0.0.1:8080/realms/dev",
                "http://[::1]:8080/realms/dev", "https://sso.corp.example.com/realms/staff")) {
            TestGatehouse started = new TestGatehouse(c -> c.fromEnvironment(corp(issuer)));
            assertThat(OidcProviders.fromConfig(started.gatehouse.config()).find("corp").orElseThrow().issuer())
                    .isEqualTo(URI.create(issuer));
        }
    }

    private static Map<String, String> corp(String issuer) {
        return Map.of("GATEHOUSE_OIDC_PROVIDERS", "corp", "GATEHOUSE_OIDC_CORP_ISSUER", issuer,
                "GATEHOUSE_OIDC_CORP_CLIENT_ID", "diary", "GATEHOUSE_OIDC_CORP_CLIENT_SECRET", CLIENT_SECRET);
    }

    // ------------------------------------------------------------------ the log scan itself

    @Test
    void the_log_scan_sees_what_gatehouse_logs() {
        String planted = "planted-" + System.nanoTime();
        int mark = CapturedLog.mark();
        LoggerFactory.getLogger(OidcFeature.class).warn("test of the log scan: {}", planted);
        assertThat(CapturedLog.since(mark)).contains(planted).contains("dev.gatehouse.oidc.OidcFeature");
        // Not added to the secrets: the scan after this test would fail on the plant.
    }

    // ------------------------------------------------------------------ helpers

    /** A flow started and authorized at the provider, its secrets recorded for the log scan. */
    private record Flow(SignInBrowser browser, String callback, FlowState state) {

        String nonce() {
            return state.secrets().nonce();
        }

        String cookieValue() {
            return browser.flowCookie.substring(browser.flowCookie.indexOf('=') + 1);
        }
    }

    private Flow begin() throws IOException, InterruptedException {
        SignInBrowser browser = browser();
        String callback = browser.startAndAuthorize(Map.of());
        Flow flow = new Flow(browser, callback, null);
        FlowState state = FlowState.open(sealer, flow.cookieValue()).orElseThrow();
        secrets.addAll(List.of(state.secrets().state(), state.secrets().nonce(), state.secrets().codeVerifier(),
                flow.cookieValue(), query(URI.create(callback)).get("code")));
        return new Flow(browser, callback, state);
    }

    private static Reply finish(Flow flow, boolean json) throws IOException, InterruptedException {
        return json ? flow.browser().get(flow.callback(), "Accept", "application/json") : flow.browser().get(flow.callback());
    }

    private static Reply callbackWithCookie(SignInBrowser browser, String callback, String flowCookie, boolean json)
            throws IOException, InterruptedException {
        String cookie = "gatehouse_oidc=" + flowCookie;
        return json ? browser.get(callback, "Cookie", cookie, "Accept", "application/json") : browser.get(callback, "Cookie", cookie);
    }

    /** Email and verification claims for {@code subject}, and a {@code nonce} when given. */
    private static Map<String, Object> claims(String subject, String nonce) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", subject + "@example.com");
        claims.put("email_verified", true);
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        return claims;
    }

    /** A browser and a JSON client each go through a whole flow the provider answers with {@code badClaims}. */
    private void refusedBothWays(String subject, Map<String, Object> badClaims, String message, String reason)
            throws Exception {
        for (boolean json : new boolean[] {false, true}) {
            String sub = subject + (json ? "-json" : "-browser");
            Map<String, Object> claims = claims(sub, null);
            claims.putAll(badClaims);
            idp.nextSignIn(ISSUER_ID, sub, claims);
            Flow flow = begin();
            int before = events.size();
            Reply reply = finish(flow, json);
            assertRefused(flow.browser(), reply, json, message);
            assertNothingCreated(sub);
            assertFailureEvent(before, reason);
        }
    }

    /**
     * The callback's answer: 400 with {@code message} for JSON, a redirect to the login page showing it for
     * browsers; no session either way, and the flow cookie cleared.
     */
    private void assertRefused(SignInBrowser browser, Reply reply, boolean json, String message) throws Exception {
        assertThat(reply.setsSession()).as("a session cookie is set").isFalse();
        assertThat(reply.clearsFlowCookie()).as("the flow cookie is cleared").isTrue();
        if (json) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            assertThat(reply.location()).isEmpty();
            assertThat(reply.json().path("response").path("errors").get(0).asText()).contains(message);
        } else {
            assertThat(reply.status()).as(reply.body()).isEqualTo(302);
            assertThat(reply.location()).isEqualTo("/login");
            assertThat(browser.get("/login").body()).contains(message);
        }
        assertThat(browser.get("/whoami", "Accept", "application/json").status()).isEqualTo(401);
        assertThat(browser.hasSessionCookie()).as("the browser holds a session cookie").isFalse();
    }

    private void assertNothingCreated(String subject) {
        assertThat(t.gatehouse.users().findUserByEmail(subject + "@example.com")).as("account").isEmpty();
        assertThat(t.gatehouse.externalIdentities().find(issuer(), subject)).as("identity").isEmpty();
    }

    /** Since event {@code before}: one {@code authentication_failed} with this reason, nothing else. */
    private void assertFailureEvent(int before, String reason) {
        List<AccountEvent> since = events.subList(before, events.size());
        assertThat(since).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("authentication_failed");
            assertThat(e.details()).containsEntry("reason", reason);
        });
    }

    /** How many token requests the provider has received so far (drains its record of requests). */
    private int tokenRequests() {
        while (true) {
            RecordedRequest request;
            try {
                request = idp.server.takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                return tokenRequests; // nothing more recorded
            }
            if (request.getPath() != null && request.getPath().contains("/token")) {
                tokenRequests++;
            }
        }
    }
}
