package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehouseContext;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer-token APIs end to end: a real Javalin server with {@link BearerTokenMechanism}, a real
 * HTTP client, and tokens issued by an in-process OpenID Connect provider (mock-oauth2-server) or
 * forged here with Nimbus. Every refusal is a 401 (403 for a missing scope) with the exact
 * RFC 6750 challenge and no session cookie.
 */
class BearerTokenMechanismTest {

    private static final String AUDIENCE = "api://diary";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static MockOAuth2Server provider;
    private static TestGatehouse t;
    private static MutableClock clock;
    private static Javalin app;
    private static User ann;
    private static User dora;
    private static String issuer;
    private static String second;
    /** Trusted, but nothing listens there: its discovery document cannot be had. */
    private static final String UNREACHABLE = "http://127.0.0.1:9/unreachable";

    @BeforeAll
    static void start() {
        provider = new MockOAuth2Server();
        provider.start();
        issuer = provider.issuerUrl("default").toString();
        second = provider.issuerUrl("second").toString();
        t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
        });
        ann = t.user("ann@example.com", "correct horse battery", "Writer");
        dora = t.user("dora@example.com", "correct horse battery");
        t.gatehouse.users().findOrCreateRole("Admin");
        // Tokens carry the real time; the mechanism's clock starts there and tests move it.
        clock = new MutableClock(Instant.now());
        // Linked identities by (issuer, subject): the same subject at another issuer is another person.
        Map<List<String>, User> linked = Map.of(List.of(issuer, "ann-sub"), ann, List.of(issuer, "dora-sub"), dora,
                List.of(second, "ann-sub"), dora);
        BearerTokenMechanism bearer = BearerTokenMechanism.builder(t.gatehouse)
                .trust(URI.create(issuer), AUDIENCE)
                .trust(URI.create(second), "api://second")
                .trust(URI.create(UNREACHABLE), AUDIENCE)
                .roleClaim("roles")
                .clock(clock)
                // Looked up on every request, as the linked-identity store will be: deactivation takes effect at once.
                .accounts((iss, sub) -> Optional.ofNullable(linked.get(List.of(iss, sub)))
                        .flatMap(user -> t.gatehouse.users().findUserById(user.id())))
                .build();
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, WebOptions.builder().mechanism(bearer).build());
        Access bearerOnly = Access.authRequired(BearerTokenMechanism.BEARER);
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/api/me", ctx -> ctx.result(describe(ctx.with(GatehousePlugin.class))), bearerOnly);
            cfg.routes.post("/api/me", ctx -> ctx.result(describe(ctx.with(GatehousePlugin.class))), bearerOnly);
            cfg.routes.get("/api/entries", ctx -> ctx.result("entries"),
                    bearerOnly.and(Access.scopesRequired("entries.read")));
            cfg.routes.get("/api/entries/edit", ctx -> ctx.result("edit"),
                    bearerOnly.and(Access.scopesRequired("entries.read", "entries.write")));
            cfg.routes.get("/api/admin", ctx -> ctx.result("admin"), bearerOnly.and(Access.rolesRequired("Admin")));
            cfg.routes.get("/api/fresh", ctx -> ctx.result("fresh"), bearerOnly.within(Duration.ofMinutes(5)));
            cfg.routes.get("/mixed", ctx -> ctx.result(describe(ctx.with(GatehousePlugin.class))),
                    Access.authRequired(Mechanism.SESSION, BearerTokenMechanism.BEARER));
        }).start(0);
    }

    @AfterAll
    static void stop() {
        app.stop();
        provider.shutdown();
    }

    @BeforeEach
    void resetClock() {
        clock.set(Instant.now());
    }

    private static String describe(GatehouseContext gatehouse) {
        Authentication auth = gatehouse.authentication().orElseThrow();
        return auth.user().email() + " " + auth.mechanism().settingName() + " roles=" + new TreeSet<>(auth.user().roleNames())
                + " scopes=" + new TreeSet<>(auth.scopes());
    }

    // ---- valid tokens ------------------------------------------------------------------------

    @Test
    void a_valid_token_of_a_linked_subject_authenticates_that_user_with_the_tokens_scopes_and_no_session() throws Exception {
        String token = token("ann-sub", AUDIENCE, Map.of("scp", "entries.read entries.write"));

        Reply reply = get("/api/me", "Authorization", "Bearer " + token);
        assertThat(reply.status).as(reply.body).isEqualTo(200);
        assertThat(reply.body).isEqualTo("ann@example.com bearer roles=[Writer] scopes=[entries.read, entries.write]");
        assertThat(reply.setCookies).isEmpty();
        // An API client posts without a CSRF token: bearer is not in csrf-protect-mechanisms.
        assertThat(send("POST", "/api/me", "{}", "Authorization", "Bearer " + token).status).isEqualTo(200);
        // The auth-scheme is case-insensitive (RFC 7235 2.1).
        assertThat(get("/api/me", "Authorization", "bearer " + token).status).isEqualTo(200);
    }

    @Test
    void scopes_come_from_scp_as_a_string_or_an_array_and_from_scope() throws Exception {
        assertThat(get("/api/me", "Authorization", "Bearer " + token("ann-sub", AUDIENCE,
                Map.of("scp", List.of("entries.read", "profile")))).body).endsWith("scopes=[entries.read, profile]");
        assertThat(get("/api/me", "Authorization", "Bearer " + token("ann-sub", AUDIENCE,
                Map.of("scope", "openid entries.read"))).body).endsWith("scopes=[entries.read, openid]");
        assertThat(get("/api/me", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of())).body)
                .endsWith("scopes=[]");
    }

    // ---- scopes and roles --------------------------------------------------------------------

    @Test
    void a_missing_scope_is_a_403_naming_the_required_scopes_and_a_granted_one_passes() throws Exception {
        String readOnly = token("ann-sub", AUDIENCE, Map.of("scp", "entries.read"));
        assertThat(get("/api/entries", "Authorization", "Bearer " + readOnly).status).isEqualTo(200);

        Reply refused = get("/api/entries/edit", "Authorization", "Bearer " + readOnly, "Accept", "application/json");
        assertThat(refused.status).isEqualTo(403);
        assertThat(refused.challenges).containsExactly("Bearer error=\"insufficient_scope\", scope=\"entries.read entries.write\"");
        assertThat(refused.json().path("meta").path("code").asInt()).isEqualTo(403);
        assertThat(refused.setCookies).noneMatch(BearerTokenMechanismTest::isSessionCookie);

        Reply none = get("/api/entries", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of()));
        assertThat(none.status).isEqualTo(403);
        assertThat(none.challenges).containsExactly("Bearer error=\"insufficient_scope\", scope=\"entries.read\"");

        String both = token("ann-sub", AUDIENCE, Map.of("scp", List.of("entries.write", "entries.read")));
        assertThat(get("/api/entries/edit", "Authorization", "Bearer " + both).status).isEqualTo(200);
    }

    @Test
    void the_role_claim_adds_local_roles_for_the_request_only_and_ignores_unknown_names() throws Exception {
        Reply admin = get("/api/admin", "Authorization", "Bearer " + token("ann-sub", AUDIENCE,
                Map.of("roles", List.of("Admin", "Ghost"))));
        assertThat(admin.status).isEqualTo(200);
        assertThat(get("/api/me", "Authorization", "Bearer " + token("ann-sub", AUDIENCE,
                Map.of("roles", List.of("Admin", "Ghost")))).body).contains("roles=[Admin, Writer]");

        Reply without = get("/api/admin", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of()),
                "Accept", "application/json");
        assertThat(without.status).isEqualTo(403);
        assertThat(without.challenges).as("a role is not a scope: no insufficient_scope").isEmpty();
        // Never stored: the account and the role table are as before.
        assertThat(t.gatehouse.users().findUserById(ann.id()).orElseThrow().roleNames()).containsExactly("Writer");
        assertThat(t.gatehouse.users().findRole("Ghost")).isEmpty();
    }

    @Test
    void a_token_without_auth_time_is_never_fresh_and_one_with_a_recent_auth_time_is() throws Exception {
        Reply stale = get("/api/fresh", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of()), "Accept", "application/json");
        assertThat(stale.status).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
        long now = Instant.now().getEpochSecond();
        assertThat(get("/api/fresh", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of("auth_time", now))).status)
                .isEqualTo(200);
    }

    // ---- invalid tokens ----------------------------------------------------------------------

    @Test
    void each_trusted_issuer_verifies_its_own_tokens_with_its_own_audience_and_accounts() throws Exception {
        String fromSecond = provider.issueToken("second", "client", new DefaultOAuth2TokenCallback("second", "ann-sub", "JWT",
                List.of("api://second"), Map.of(), 3600)).serialize();
        assertThat(get("/api/me", "Authorization", "Bearer " + fromSecond).body).startsWith("dora@example.com bearer");
        String wrongAudience = provider.issueToken("second", "client", new DefaultOAuth2TokenCallback("second", "ann-sub", "JWT",
                List.of(AUDIENCE), Map.of(), 3600)).serialize();
        assertInvalid(get("/api/me", "Authorization", "Bearer " + wrongAudience), "the token is not meant for this audience");
    }

    @Test
    void a_trusted_issuer_out_of_reach_makes_its_tokens_unverifiable_not_valid() throws Exception {
        String token = sign(rsaKey("k"), claims(UNREACHABLE, "ann-sub").build());
        for (int i = 0; i < 2; i++) {
            assertInvalid(get("/api/me", "Authorization", "Bearer " + token), "the token cannot be verified now");
        }
        // The other issuers are unaffected.
        assertThat(get("/api/me", "Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of())).status).isEqualTo(200);
    }

    @Test
    void an_expired_token_is_refused() throws Exception {
        String token = token("ann-sub", AUDIENCE, Map.of());
        clock.advance(Duration.ofHours(1).plusMinutes(2));
        assertInvalid(get("/api/me", "Authorization", "Bearer " + token), "the token has expired");
        // Within the 60-second skew it still passes.
        clock.set(Instant.now().plus(Duration.ofHours(1)).plusSeconds(30));
        assertThat(get("/api/me", "Authorization", "Bearer " + token).status).isEqualTo(200);
    }

    @Test
    void a_token_not_valid_yet_is_refused() throws Exception {
        String token = token("ann-sub", AUDIENCE, Map.of());
        clock.set(Instant.now().minus(Duration.ofMinutes(5)));
        assertInvalid(get("/api/me", "Authorization", "Bearer " + token), "the token is not valid yet");
    }

    @Test
    void a_token_for_another_audience_is_refused() throws Exception {
        assertInvalid(get("/api/me", "Authorization", "Bearer " + token("ann-sub", "api://other", Map.of())),
                "the token is not meant for this audience");
    }

    @Test
    void a_token_of_an_untrusted_issuer_is_refused_before_anything_is_fetched_from_it() throws Exception {
        String foreign = provider.issueToken("other", "client", new DefaultOAuth2TokenCallback("other", "ann-sub", "JWT",
                List.of(AUDIENCE), Map.of(), 3600)).serialize();
        assertInvalid(get("/api/me", "Authorization", "Bearer " + foreign), "the token's issuer is not trusted");
        assertInvalid(get("/api/me", "Authorization", "Bearer " + sign(rsaKey("k"), claims(null, "ann-sub").build())),
                "the token's issuer is not trusted");
    }

    @Test
    void a_token_signed_with_another_key_is_refused() throws Exception {
        // A key generated here, under the issuer's key id and under an unknown one (which makes Nimbus
        // refetch the JWKS). Not a second mock-oauth2-server: every instance signs with the same bundled keys.
        String kid = SignedJWT.parse(token("ann-sub", AUDIENCE, Map.of())).getHeader().getKeyID();
        for (String keyId : new String[] {kid, "attacker"}) {
            assertInvalid(get("/api/me", "Authorization", "Bearer " + sign(rsaKey(keyId), claims(issuer, "ann-sub").build())),
                    "the token's signature is invalid");
        }
    }

    @Test
    void an_unsigned_token_is_refused() throws Exception {
        String none = new PlainJWT(claims(issuer, "ann-sub").build()).serialize();
        assertThat(none).endsWith(".");
        assertInvalid(get("/api/me", "Authorization", "Bearer " + none), "the token is not signed");
    }

    @Test
    void an_hmac_token_is_refused_whatever_its_key() throws Exception {
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(issuer, "ann-sub").build());
        hs256.sign(new MACSigner("a shared secret of at least 256 bits, which an attacker knows".getBytes(StandardCharsets.UTF_8)));
        assertInvalid(get("/api/me", "Authorization", "Bearer " + hs256.serialize()), "the token's signing algorithm is not accepted");
    }

    @Test
    void a_tampered_payload_is_refused() throws Exception {
        SignedJWT genuine = SignedJWT.parse(token("dora-sub", AUDIENCE, Map.of("scp", "entries.read")));
        JWTClaimsSet raised = new JWTClaimsSet.Builder(genuine.getJWTClaimsSet()).subject("ann-sub")
                .claim("roles", List.of("Admin")).build();
        String[] parts = genuine.serialize().split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(raised.toString()) + "." + parts[2];
        assertInvalid(get("/api/admin", "Authorization", "Bearer " + tampered), "the token's signature is invalid");
    }

    @Test
    void a_valid_token_of_a_subject_without_an_active_local_account_is_refused() throws Exception {
        assertInvalid(get("/api/me", "Authorization", "Bearer " + token("stranger", AUDIENCE, Map.of())),
                "no account for this subject");
        // dora is linked; deactivate her for a moment.
        String token = token("dora-sub", AUDIENCE, Map.of());
        assertThat(get("/api/me", "Authorization", "Bearer " + token).status).isEqualTo(200);
        t.gatehouse.users().deactivate(dora.id());
        try {
            assertInvalid(get("/api/me", "Authorization", "Bearer " + token), "no account for this subject");
        } finally {
            t.gatehouse.users().activate(dora.id());
        }
    }

    @Test
    void malformed_bearer_credentials_are_refused_as_invalid_tokens() throws Exception {
        String valid = token("ann-sub", AUDIENCE, Map.of());
        for (String value : new String[] {"Bearer", "Bearer ", "Bearer abc", "Bearer a.b.c", "Bearer " + valid + " extra",
                "Bearer " + valid.replace('.', ','), "Bearer \"" + valid + "\"", "Bearer " + "A".repeat(7_000)}) {
            assertInvalid(get("/api/me", "Authorization", value), "the token is missing or malformed");
        }
    }

    @Test
    void no_bearer_credentials_is_a_plain_401_with_the_bearer_challenge_also_for_browsers() throws Exception {
        for (String[] headers : List.of(new String[] {"Accept", "application/json"},
                new String[] {"Accept", "application/json", "Authorization", "Basic YW5uOnB3"},
                new String[] {"Accept", "application/json", "Authorization", "Bearerish abc"})) {
            Reply reply = get("/api/me", headers);
            assertThat(reply.status).isEqualTo(401);
            assertThat(reply.challenges).containsExactly("Bearer");
            assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(401);
        }
        Reply browser = get("/mixed", "Accept", "text/html");
        assertThat(browser.status).as("a challenge answers browsers with the 401, not the login page").isEqualTo(401);
        assertThat(browser.challenges).containsExactly("Bearer");
        Reply rejected = get("/mixed", "Accept", "text/html", "Authorization", "Bearer abc");
        assertThat(rejected.status).isEqualTo(401);
        assertThat(rejected.challenges).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"the token is missing or malformed\"");
        assertThat(rejected.headers.firstValue("Location")).isEmpty();
    }

    @Test
    void the_builder_refuses_insecure_issuers_and_missing_settings() {
        assertThatThrownBy(() -> BearerTokenMechanism.builder(t.gatehouse).trust(URI.create("http://login.example.com"), AUDIENCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https");
        assertThatThrownBy(() -> BearerTokenMechanism.builder(t.gatehouse).trust(URI.create("http://cafe"), AUDIENCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be https");
        assertThatThrownBy(() -> BearerTokenMechanism.builder(t.gatehouse).trust(URI.create("https://idp.example.com/?a=b"), AUDIENCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query");
        assertThatThrownBy(() -> BearerTokenMechanism.builder(t.gatehouse).trust(URI.create("https://idp.example.com"), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> BearerTokenMechanism.builder(t.gatehouse).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust at least one issuer");
        for (String loopback : new String[] {"http://127.0.0.1:8080/realms/a", "http://[::1]/x", "http://localhost", "https://idp.example.com"}) {
            assertThat(BearerTokenMechanism.builder(t.gatehouse).trust(URI.create(loopback), AUDIENCE).build().mechanism())
                    .isEqualTo(BearerTokenMechanism.BEARER);
        }
    }

    @Test
    void configured_providers_are_trusted_and_tokens_find_the_account_their_identity_is_linked_to() throws Exception {
        OidcProvider diary = OidcProvider.builder("diary").issuer(issuer).clientId("diary-web").clientSecret("s")
                .audience(AUDIENCE).build();
        BearerTokenMechanism byDefault = BearerTokenMechanism.builder(t.gatehouse).trust(OidcProviders.of(diary)).clock(clock).build();
        t.gatehouse.externalIdentities().link(dev.gatehouse.user.ExternalIdentity.linked(dora.id(), "diary", issuer,
                "linked-sub", Optional.empty(), Instant.now()));
        Javalin other = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(new GatehousePlugin(t.gatehouse, WebOptions.builder().mechanism(byDefault).build()));
            cfg.routes.get("/api/me", ctx -> ctx.result(describe(ctx.with(GatehousePlugin.class))),
                    Access.authRequired(BearerTokenMechanism.BEARER));
        }).start(0);
        try {
            HttpResponse<String> linked = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + other.port() + "/api/me"))
                    .header("Authorization", "Bearer " + token("linked-sub", AUDIENCE, Map.of())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(linked.statusCode()).as(linked.headers().allValues("WWW-Authenticate").toString()).isEqualTo(200);
            assertThat(linked.body()).startsWith("dora@example.com bearer");
            // Linked in the test's own map only, not in the identity store: no account.
            HttpResponse<String> unlinked = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + other.port() + "/api/me"))
                    .header("Authorization", "Bearer " + token("ann-sub", AUDIENCE, Map.of())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unlinked.statusCode()).isEqualTo(401);
            assertThat(unlinked.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Bearer error=\"invalid_token\", error_description=\"no account for this subject\"");
        } finally {
            other.stop();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void assertInvalid(Reply reply, String description) throws Exception {
        assertThat(reply.status).as(reply.body).isEqualTo(401);
        assertThat(reply.challenges).containsExactly("Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
        assertThat(reply.headers.firstValue("Location")).isEmpty();
        assertThat(reply.setCookies).noneMatch(BearerTokenMechanismTest::isSessionCookie);
    }

    private static boolean isSessionCookie(String setCookie) {
        return setCookie.contains("gatehouse_session") || setCookie.contains("gatehouse_remember");
    }

    /** A token from the in-process provider for {@code subject}, with extra claims. */
    private static String token(String subject, String audience, Map<String, Object> claims) {
        return provider.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", subject, "JWT",
                List.of(audience), claims, 3600)).serialize();
    }

    private static JWTClaimsSet.Builder claims(String iss, String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(iss).subject(subject).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    private static RSAKey rsaKey(String keyId) throws Exception {
        return new RSAKeyGenerator(2048).keyID(keyId).generate();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static Reply get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    private static Reply send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers(),
                response.headers().allValues("WWW-Authenticate"), new ArrayList<>(response.headers().allValues("Set-Cookie")));
    }

    private record Reply(int status, String body, java.net.http.HttpHeaders headers, List<String> challenges, List<String> setCookies) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }
}
