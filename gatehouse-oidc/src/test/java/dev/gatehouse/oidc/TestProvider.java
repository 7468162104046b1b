package dev.gatehouse.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import net.minidev.json.JSONObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * A real mock-oauth2-server running in-process, with what its defaults lack for these tests: a signing key
 * that can be rotated, a JWKS that can be forged, a userinfo answer that can be chosen, a multi-tenant
 * ("common") discovery document, and the device authorization grant (RFC 8628), all through the server's own
 * extension point, additional {@link Route}s tried before its built-in ones. Public, in the test jar, for
 * gatehouse-cli's tests of {@code gatehouse signin} (the device grant at issuer {@code device}).
 */
public final class TestProvider implements AutoCloseable {

    /** The client id the device authorization endpoint accepts without client authentication. */
    public static final String CLIENT_ID = "diary";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final URI REDIRECT = URI.create("http://127.0.0.1:9/login/oauthresponse/test");

    final RotatingKeys keys = new RotatingKeys();
    /** When set, the server issues tokens as if this were the time (for expired tokens). */
    volatile java.time.Instant tokenTime;
    final OAuth2TokenProvider tokens = new OAuth2TokenProvider(keys,
            (kotlin.jvm.functions.Function0<java.time.Instant>) () -> tokenTime);
    final MockOAuth2Server server;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** When set, the JWKS endpoints publish this key set instead of the real one. */
    volatile JWKSet forgedJwks;
    /**
     * When set, the token endpoint answers the code grant with tokens from this callback, at {@link #tokenTime},
     * and a positive {@code expires_in}: how a provider whose clock is off hands out an expired ID token (the
     * built-in handler would send a negative {@code expires_in}, which no client can read).
     */
    volatile OAuth2TokenCallback issueDirectly;
    /** When set, the userinfo endpoint answers with this function of the signed-in subject. */
    volatile Function<String, Map<String, Object>> userInfo;
    /** The device flow's next answers at the token endpoint: an OAuth error code, or "ok" to issue tokens. */
    public final Deque<String> deviceAnswers = new ArrayDeque<>();
    /** The claims of the device grant's ID token. */
    public volatile Map<String, Object> deviceClaims = Map.of();
    /** The polling interval the device authorization answers with, in seconds. */
    public volatile int deviceInterval = 5;
    /** The subject the device grant signs in. */
    public volatile String deviceSubject = "device-user";
    /** How many device-code grant requests the token endpoint has received. */
    public volatile int deviceTokenRequests;

    /** Starts the server on a free port. */
    public TestProvider() {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, tokens, java.util.Set.of(),
                new no.nav.security.mock.oauth2.http.MockWebServerWrapper()),
                jwksRoute(), userInfoRoute(), directTokenRoute(), movingDiscoveryRoute(), oldJwksRoute(), commonDiscoveryRoute(), deviceDiscoveryRoute(), deviceAuthorizationRoute(),
                deviceTokenRoute());
        server.start();
    }

    /** The issuer URL of {@code issuerId}; {@code device} is the one with the device grant. */
    public URI issuer(String issuerId) {
        return URI.create(server.issuerUrl(issuerId).toString());
    }

    /** A provider for issuer {@code issuerId} of this server, client {@value #CLIENT_ID} with a client secret. */
    OidcProvider.Builder provider(String issuerId) {
        return OidcProvider.builder("test").issuer(issuer(issuerId)).clientId(CLIENT_ID).clientSecret("a-client-secret");
    }

    /** The browser's visit to the authorization URL: the server signs in at once and redirects to the callback. */
    URI signInAt(URI authorizationUrl) {
        HttpResponse<String> response = get(authorizationUrl);
        if (response.statusCode() != 302) {
            throw new AssertionError("authorization endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    HttpResponse<String> get(URI uri) {
        try {
            return browser.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next token request for {@code issuerId} issues tokens about {@code subject} with these claims. */
    void nextSignIn(String issuerId, String subject, Map<String, Object> claims) {
        server.enqueueCallback(new Claims(issuerId, subject, claims));
    }

    /**
     * Exactly these claims (over tid = issuer id and azp = client id), unlike DefaultOAuth2TokenCallback, which
     * always overwrites azp.
     */
    record Claims(String issuerId, String subject, Map<String, Object> claims) implements OAuth2TokenCallback {
        @Override
        public String subject(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return subject;
        }

        @Override
        public String typeHeader(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(com.nimbusds.oauth2.sdk.TokenRequest request) {
            return request.getScope() == null ? List.of("default") : request.getScope().toStringList().stream()
                    .filter(s -> !List.of("openid", "profile", "email", "offline_access").contains(s)).toList();
        }

        @Override
        public Map<String, Object> addClaims(com.nimbusds.oauth2.sdk.TokenRequest request) {
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            all.put("tid", issuerId);
            all.put("azp", CLIENT_ID);
            all.putAll(claims);
            return all;
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.shutdown();
    }

    // ---- routes --------------------------------------------------------------------------------------------

    private Route jwksRoute() {
        return route(r -> forgedJwks != null && r.getUrl().encodedPath().endsWith("/jwks"),
                r -> json(200, forgedJwks.toJSONObject(true)));
    }

    /** While true, the discovery document of issuer {@code moving} names a JWKS with none of the signing keys. */
    volatile boolean movingJwksIsOld = true;
    volatile int movingDiscoveries;

    private Route movingDiscoveryRoute() {
        return route(r -> r.getUrl().encodedPath().equals("/moving/.well-known/openid-configuration"), r -> {
            movingDiscoveries++;
            Map<String, Object> doc = wellKnown("moving");
            if (movingJwksIsOld) {
                doc.put("jwks_uri", server.issuerUrl("moving") + "/oldjwks");
            }
            return json(200, doc);
        });
    }

    private final RSAKey retiredKey = RotatingKeys.generate();

    private Route oldJwksRoute() {
        return route(r -> r.getUrl().encodedPath().equals("/moving/oldjwks"),
                r -> json(200, new JWKSet(retiredKey.toPublicJWK()).toJSONObject(true)));
    }

    private Route directTokenRoute() {
        return route(r -> issueDirectly != null && r.getMethod().equals("POST")
                && r.getUrl().encodedPath().endsWith("/token")
                && "authorization_code".equals(r.getFormParameters().get("grant_type")), r -> {
            try {
                TokenRequest request = TokenRequest.parse(r.asNimbusHTTPRequest());
                okhttp3.HttpUrl issuerUrl = server.issuerUrl(issueDirectly.issuerId());
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("token_type", "Bearer");
                body.put("id_token", tokens.idToken(request, issuerUrl, issueDirectly, null).serialize());
                body.put("access_token", tokens.accessToken(request, issuerUrl, issueDirectly, null).serialize());
                body.put("expires_in", 3600);
                return json(200, body);
            } catch (ParseException e) {
                return json(400, Map.of("error", "invalid_request"));
            }
        });
    }

    private Route userInfoRoute() {
        return route(r -> userInfo != null && r.getUrl().encodedPath().endsWith("/userinfo"), r -> {
            String bearer = r.getHeaders().get("Authorization").substring("Bearer ".length());
            try {
                String subject = com.nimbusds.jwt.SignedJWT.parse(bearer).getJWTClaimsSet().getSubject();
                return json(200, userInfo.apply(subject));
            } catch (java.text.ParseException e) {
                return json(401, Map.of("error", "invalid_token"));
            }
        });
    }

    /**
     * Discovery at {@code /common}: like Microsoft's multi-tenant authority, its issuer is a template, and the
     * endpoints are those of the tenant {@link #TENANT} (this server issues tokens with {@code tid} = issuer id).
     */
    static final String TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private Route commonDiscoveryRoute() {
        return route(r -> r.getUrl().encodedPath().equals("/common/.well-known/openid-configuration"), r -> {
            Map<String, Object> doc = wellKnown(TENANT);
            doc.put("issuer", "http://localhost:" + server.url("").port() + "/{tenantid}");
            return json(200, doc);
        });
    }

    /** Discovery at {@code /device}: the default document plus a device authorization endpoint. */
    private Route deviceDiscoveryRoute() {
        return route(r -> r.getUrl().encodedPath().equals("/device/.well-known/openid-configuration"), r -> {
            Map<String, Object> doc = wellKnown("device");
            doc.put("device_authorization_endpoint", server.url("device/devicecode").toString());
            return json(200, doc);
        });
    }

    private Route deviceAuthorizationRoute() {
        return route(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals("/device/devicecode"), r -> {
            if (!CLIENT_ID.equals(r.getFormParameters().get("client_id"))
                    && r.getHeaders().get("Authorization") == null) {
                return json(401, Map.of("error", "invalid_client"));
            }
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("device_code", "device-" + UUID.randomUUID());
            answer.put("user_code", "WDJB-MJHT");
            answer.put("verification_uri", server.url("device/activate").toString());
            answer.put("verification_uri_complete", server.url("device/activate").toString() + "?user_code=WDJB-MJHT");
            answer.put("expires_in", 600);
            answer.put("interval", deviceInterval);
            return json(200, answer);
        });
    }

    private Route deviceTokenRoute() {
        return route(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals("/device/token")
                && DEVICE_GRANT.equals(r.getFormParameters().get("grant_type")), r -> {
            deviceTokenRequests++;
            String answer;
            synchronized (deviceAnswers) {
                answer = deviceAnswers.isEmpty() ? "authorization_pending" : deviceAnswers.poll();
            }
            if (!answer.equals("ok")) {
                return json(400, Map.of("error", answer));
            }
            try {
                TokenRequest request = TokenRequest.parse(r.asNimbusHTTPRequest());
                DefaultOAuth2TokenCallback callback = new DefaultOAuth2TokenCallback("device", deviceSubject, "JWT",
                        null, deviceClaims, 3600);
                okhttp3.HttpUrl issuerUrl = server.issuerUrl("device");
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("token_type", "Bearer");
                body.put("id_token", tokens.idToken(request, issuerUrl, callback, null).serialize());
                body.put("access_token", tokens.accessToken(request, issuerUrl, callback, null).serialize());
                body.put("refresh_token", "device-refresh-" + UUID.randomUUID());
                body.put("expires_in", 3600);
                return json(200, body);
            } catch (ParseException e) {
                return json(400, Map.of("error", "invalid_request"));
            }
        });
    }

    private Map<String, Object> wellKnown(String issuerId) {
        String base = server.issuerUrl(issuerId).toString();
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("issuer", base);
        doc.put("authorization_endpoint", base + "/authorize");
        doc.put("token_endpoint", base + "/token");
        doc.put("end_session_endpoint", base + "/endsession");
        doc.put("userinfo_endpoint", base + "/userinfo");
        doc.put("jwks_uri", base + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        return doc;
    }

    private static OAuth2HttpResponse json(int status, Map<String, ?> body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json;charset=UTF-8"), status,
                new JSONObject(body).toJSONString(), null);
    }

    private static Route route(java.util.function.Predicate<OAuth2HttpRequest> match,
            Function<OAuth2HttpRequest, OAuth2HttpResponse> handler) {
        return new Route() {
            @Override
            public boolean match(OAuth2HttpRequest request) {
                return match.test(request);
            }

            @Override
            public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
                return handler.apply(request);
            }
        };
    }

    /** One RSA signing key for every issuer of the server, replaced by a new one (new kid) on {@link #rotate()}. */
    static final class RotatingKeys extends KeyProvider {
        private volatile RSAKey current = generate();

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }

        RSAKey current() {
            return current;
        }

        void rotate() {
            current = generate();
        }

        static RSAKey generate() {
            try {
                return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
