package dev.gatehouse.oidc;

import static dev.gatehouse.oidc.TestProvider.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization-code flow against a real in-process provider (mock-oauth2-server): the browser's visit to
 * the authorization endpoint is a real HTTP request, the code exchange, JWKS, userinfo and refresh are real
 * calls made by {@link OidcClient}.
 */
class OidcClientTest {

    TestProvider idp;

    // a server per test: claims enqueued by one test must never reach another
    @BeforeEach
    void start() {
        idp = new TestProvider();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private static OidcClient client(OidcProvider provider) {
        return OidcClient.create(provider, HttpOptions.defaults(), Clock.systemUTC());
    }

    private ProviderSignIn signIn(OidcClient client) {
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        return client.finish(idp.signInAt(start.location()), start.secrets(), REDIRECT);
    }

    private OidcException failure(OidcClient client) {
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        try {
            client.finish(callback, start.secrets(), REDIRECT);
        } catch (OidcException e) {
            return e;
        }
        throw new AssertionError("the sign-in was accepted");
    }

    @Test
    void codeFlowSignsInWithPkceS256StateAndNonce() throws Exception {
        OidcClient client = client(idp.provider("default").roleClaim("groups").build());
        idp.nextSignIn("default", "alice-sub", Map.of("email", "alice@example.com", "email_verified", true,
                "name", "Alice", "groups", List.of("Writer", "Staff")));

        AuthorizationStart start = client.authorize(REDIRECT, Set.of("api://diary/read"), Optional.of("login"),
                Optional.of("alice@example.com"));
        Map<String, List<String>> query = URLUtils.parseParameters(start.location().getRawQuery());
        assertThat(query.get("code_challenge_method")).containsExactly("S256");
        assertThat(query.get("code_challenge")).containsExactly(CodeChallenge.compute(CodeChallengeMethod.S256,
                new CodeVerifier(start.secrets().codeVerifier())).getValue());
        assertThat(query.get("state")).containsExactly(start.secrets().state());
        assertThat(query.get("nonce")).containsExactly(start.secrets().nonce());
        assertThat(query.get("scope").get(0).split(" ")).containsExactly("openid", "email", "profile",
                "api://diary/read");
        assertThat(query.get("login_hint")).containsExactly("alice@example.com");
        assertThat(query.get("client_id")).containsExactly("diary");
        assertThat(start.toString()).doesNotContain(start.secrets().codeVerifier());

        // prompt=login makes mock-oauth2-server show its login page; sign in without it as a returning user would
        start = client.authorize(REDIRECT, Set.of("api://diary/read"), Optional.empty(), Optional.empty());
        ProviderSignIn signIn = client.finish(idp.signInAt(start.location()), start.secrets(), REDIRECT);

        assertThat(signIn.providerId()).isEqualTo("test");
        assertThat(signIn.issuer()).isEqualTo(idp.issuer("default").toString());
        assertThat(signIn.subject()).isEqualTo("alice-sub");
        assertThat(signIn.email()).contains("alice@example.com");
        assertThat(signIn.emailVerified()).isTrue();
        assertThat(signIn.name()).contains("Alice");
        assertThat(signIn.roleClaimValues()).containsExactlyInAnyOrder("Writer", "Staff");
        assertThat(signIn.claims()).containsEntry("sub", "alice-sub").containsKey("nonce");
        ProviderTokens tokens = signIn.tokens();
        assertThat(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getSubject()).isEqualTo("alice-sub");
        assertThat(tokens.refreshToken()).isPresent();
        assertThat(SignedJWT.parse(tokens.idToken().orElseThrow()).getJWTClaimsSet().getClaim("nonce"))
                .isEqualTo(start.secrets().nonce());
        assertThat(tokens.scopes()).contains("openid", "api://diary/read");
        assertThat(tokens.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(3000));
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken().get());
    }

    @Test
    void privateKeyJwtAuthenticatesTheClientAtTheTokenEndpoint() throws Exception {
        RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("client-key-1").generate();
        OidcClient client = client(OidcProvider.builder("test").issuer(idp.issuer("default")).clientId("diary")
                .credentials(ClientCredentials.privateKeyJwt(key)).build());
        idp.nextSignIn("default", "quinn-sub", Map.of());
        assertThat(signIn(client).subject()).isEqualTo("quinn-sub");

        okhttp3.mockwebserver.RecordedRequest tokenRequest = null;
        for (int i = 0; i < 10 && tokenRequest == null; i++) {
            okhttp3.mockwebserver.RecordedRequest r = idp.server.takeRequest();
            if (r.getPath().startsWith("/default/token")) {
                tokenRequest = r;
            }
        }
        assertThat(tokenRequest).isNotNull();
        Map<String, List<String>> form = URLUtils.parseParameters(tokenRequest.getBody().readUtf8());
        assertThat(form.get("client_assertion_type"))
                .containsExactly("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        assertThat(tokenRequest.getHeader("Authorization")).isNull();
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion").get(0));
        assertThat(assertion.getHeader().getKeyID()).isEqualTo("client-key-1");
        assertThat(assertion.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("diary");
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("diary");
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(idp.issuer("default") + "/token");
    }

    @Test
    void aClientSecretIsSentWithHttpBasic() throws Exception {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "rita-sub", Map.of());
        signIn(client);
        okhttp3.mockwebserver.RecordedRequest tokenRequest = null;
        for (int i = 0; i < 10 && tokenRequest == null; i++) {
            okhttp3.mockwebserver.RecordedRequest r = idp.server.takeRequest();
            if (r.getPath().startsWith("/default/token")) {
                tokenRequest = r;
            }
        }
        assertThat(tokenRequest).isNotNull();
        assertThat(tokenRequest.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("diary:a-client-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(tokenRequest.getBody().readUtf8()).contains("code_verifier=").doesNotContain("a-client-secret");
    }

    @Test
    void anUnverifiedEmailIsNotReportedAsVerified() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "bob-sub", Map.of("email", "bob@example.com", "email_verified", false));
        ProviderSignIn signIn = signIn(client);
        assertThat(signIn.email()).contains("bob@example.com");
        assertThat(signIn.emailVerified()).isFalse();

        idp.nextSignIn("default", "carol-sub", Map.of("email", "carol@example.com"));
        assertThat(signIn(client).emailVerified()).as("no email_verified claim").isFalse();
    }

    @Test
    void userInfoClaimsAreAddedWhenConfigured() {
        OidcClient client = client(idp.provider("default").userInfo(true).build());
        idp.userInfo = sub -> Map.of("sub", sub, "nickname", "from-userinfo", "iss", "http://elsewhere");
        try {
            idp.nextSignIn("default", "dave-sub", Map.of());
            ProviderSignIn signIn = signIn(client);
            assertThat(signIn.claims()).containsEntry("nickname", "from-userinfo")
                    .containsEntry("iss", idp.issuer("default").toString());

            idp.userInfo = sub -> Map.of("sub", "someone-else", "email", "mallory@example.com");
            idp.nextSignIn("default", "dave-sub", Map.of());
            OidcException e = failure(client);
            assertThat(e.error()).isEqualTo(OidcError.USERINFO_FAILED);
        } finally {
            idp.userInfo = null;
        }
    }

    @Test
    void userInfoIsNotFetchedUnlessConfigured() {
        OidcClient client = client(idp.provider("default").build());
        idp.userInfo = sub -> Map.of("sub", sub, "nickname", "from-userinfo");
        try {
            idp.nextSignIn("default", "erin-sub", Map.of());
            assertThat(signIn(client).claims()).doesNotContainKey("nickname");
        } finally {
            idp.userInfo = null;
        }
    }

    @Test
    void anIdTokenWithAForeignSignatureIsRejected() throws Exception {
        OidcClient client = client(idp.provider("default").build());
        // the JWKS announces the signing key's id with another key: the signature cannot verify
        RSAKey impostor = TestProvider.RotatingKeys.generate();
        idp.forgedJwks = new JWKSet(new RSAKey.Builder(impostor.toRSAPublicKey())
                .keyID(idp.keys.current().getKeyID()).build());
        try {
            idp.nextSignIn("default", "frank-sub", Map.of());
            OidcException e = failure(client);
            assertThat(e.error()).isEqualTo(OidcError.INVALID_ID_TOKEN);
            assertThat(e.getMessage()).containsIgnoringCase("signature");
        } finally {
            idp.forgedJwks = null;
        }
    }

    @Test
    void aRotatedSigningKeyIsPickedUp() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "grace-sub", Map.of());
        assertThat(signIn(client).subject()).isEqualTo("grace-sub");

        idp.keys.rotate();
        idp.nextSignIn("default", "grace-sub", Map.of());
        ProviderSignIn afterRotation = signIn(client);
        assertThat(afterRotation.subject()).isEqualTo("grace-sub");
        assertThat(afterRotation.tokens().idToken().orElseThrow()).isNotNull();
    }

    @Test
    void aJwksThatMovedIsFoundByRereadingDiscoveryAtMostOnceAMinute() {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        OidcClient client = OidcClient.create(idp.provider("moving").build(), HttpOptions.defaults(), clock);

        idp.nextSignIn("moving", "uma-sub", Map.of());
        assertThat(failure(client).getMessage()).contains("no matching key");
        assertThat(idp.movingDiscoveries).isEqualTo(1);

        idp.movingJwksIsOld = false;
        clock.advance(Duration.ofSeconds(30));
        idp.nextSignIn("moving", "uma-sub", Map.of());
        assertThat(failure(client).error()).as("the document is younger than a minute").isEqualTo(OidcError.INVALID_ID_TOKEN);
        assertThat(idp.movingDiscoveries).isEqualTo(1);

        clock.advance(Duration.ofSeconds(40));
        idp.nextSignIn("moving", "uma-sub", Map.of());
        assertThat(signIn(client).subject()).isEqualTo("uma-sub");
        assertThat(idp.movingDiscoveries).isEqualTo(2);
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        private volatile java.time.Instant now;

        MutableClock(java.time.Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRejected() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "heidi-sub", Map.of("iss", idp.issuer("other").toString()));
        OidcException e = failure(client);
        assertThat(e.error()).isEqualTo(OidcError.INVALID_ID_TOKEN);
        assertThat(e.getMessage()).contains("issuer");
    }

    @Test
    void anIdTokenForAnotherAudienceIsRejected() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "ivan-sub", Map.of("aud", "another-client"));
        OidcException e = failure(client);
        assertThat(e.error()).isEqualTo(OidcError.INVALID_ID_TOKEN);
        assertThat(e.getMessage()).contains("audience");
    }

    @Test
    void withSeveralAudiencesTheAuthorizedPartyMustBeThisClient() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "judy-sub", Map.of("aud", List.of("diary", "api"), "azp", "diary"));
        assertThat(signIn(client).subject()).isEqualTo("judy-sub");

        idp.nextSignIn("default", "judy-sub", Map.of("aud", List.of("diary", "api"), "azp", "api"));
        assertThat(failure(client).error()).isEqualTo(OidcError.INVALID_ID_TOKEN);
    }

    @Test
    void anExpiredIdTokenIsRejected() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        // issued two hours ago for an hour: expired an hour ago, far beyond the 60 s skew
        idp.tokenTime = java.time.Instant.now().minus(Duration.ofHours(2));
        idp.issueDirectly = new TestProvider.Claims("default", "kim-sub", Map.of("nonce", start.secrets().nonce()));

        assertThatThrownBy(() -> client.finish(callback, start.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).as(e.getMessage()).isEqualTo(OidcError.INVALID_ID_TOKEN);
                    assertThat(e.getMessage()).contains("Expired");
                });
    }

    @Test
    void anIdTokenIssuedByTheRulesIsAcceptedThroughTheSameRoute() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        idp.issueDirectly = new TestProvider.Claims("default", "kim-sub", Map.of("nonce", start.secrets().nonce()));
        assertThat(client.finish(callback, start.secrets(), REDIRECT).subject()).isEqualTo("kim-sub");
    }

    @Test
    void theInjectedClockDecidesExpiryToo() {
        OidcProvider provider = idp.provider("default").build();
        OidcClient late = OidcClient.create(provider, HttpOptions.defaults(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        idp.nextSignIn("default", "leo-sub", Map.of());
        assertThat(failure(late).error()).isEqualTo(OidcError.INVALID_ID_TOKEN);

        // within the 60 s skew an ID token is still accepted
        OidcClient slightlyLate = OidcClient.create(provider, HttpOptions.defaults(),
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3630)));
        idp.nextSignIn("default", "leo-sub", Map.of());
        assertThat(signIn(slightlyLate).subject()).isEqualTo("leo-sub");

        OidcClient early = OidcClient.create(provider, HttpOptions.defaults(),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        idp.nextSignIn("default", "leo-sub", Map.of());
        assertThat(failure(early).getMessage()).contains("issue time");
    }

    @Test
    void aWrongNonceIsRejected() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "mia-sub", Map.of("nonce", "a-nonce-from-another-flow"));
        OidcException e = failure(client);
        assertThat(e.error()).isEqualTo(OidcError.INVALID_ID_TOKEN);
        assertThat(e.getMessage()).contains("nonce").doesNotContain("a-nonce-from-another-flow");
    }

    @Test
    void aCallbackWithAnotherFlowsStateIsRefused() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart mine = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        AuthorizationStart theirs = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI theirCallback = idp.signInAt(theirs.location());

        assertThatThrownBy(() -> client.finish(theirCallback, mine.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.INVALID_STATE);
                    assertThat(e.code()).isEqualTo("INVALID_STATE");
                    assertThat(e.getMessage()).doesNotContain(theirs.secrets().state())
                            .doesNotContain(mine.secrets().state());
                });
        URI withoutState = URI.create(REDIRECT + "?code=" + URLUtils.parseParameters(theirCallback.getRawQuery())
                .get("code").get(0));
        assertThatThrownBy(() -> client.finish(withoutState, theirs.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.error()).isEqualTo(OidcError.INVALID_STATE));
    }

    @Test
    void aReplayedCallbackIsRefusedBecauseTheCodeIsSpent() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        client.finish(callback, start.secrets(), REDIRECT);

        assertThatThrownBy(() -> client.finish(callback, start.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.TOKEN_EXCHANGE_FAILED);
                    assertThat(e.providerError()).contains("invalid_grant");
                    String code = URLUtils.parseParameters(callback.getRawQuery()).get("code").get(0);
                    assertThat(e.getMessage()).doesNotContain(code);
                });
    }

    @Test
    void theProviderChecksThePkceVerifier() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        FlowSecrets wrongVerifier = new FlowSecrets(start.secrets().state(), start.secrets().nonce(),
                new CodeVerifier().getValue(), start.secrets().scopes());

        assertThatThrownBy(() -> client.finish(callback, wrongVerifier, REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.TOKEN_EXCHANGE_FAILED);
                    assertThat(e.providerError()).contains("invalid_grant");
                });
    }

    @Test
    void aFlowWithoutPkceVerifierIsRefusedBeforeTheExchange() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        FlowSecrets noVerifier = new FlowSecrets(start.secrets().state(), start.secrets().nonce(), "",
                start.secrets().scopes());

        assertThatThrownBy(() -> client.finish(callback, noVerifier, REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.error()).isEqualTo(OidcError.INVALID_STATE));
        // the code was not spent on a request without verifier: the real flow still finishes
        assertThat(client.finish(callback, start.secrets(), REDIRECT).subject()).isNotBlank();
    }

    @Test
    void anErrorResponseFromTheProviderIsReported() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = URI.create(REDIRECT + "?error=access_denied&error_description=User+cancelled&state="
                + start.secrets().state());

        assertThatThrownBy(() -> client.finish(callback, start.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.PROVIDER_ERROR);
                    assertThat(e.providerError()).contains("access_denied");
                });
        // an error response with a foreign state is a foreign response
        URI foreign = URI.create(REDIRECT + "?error=access_denied&state=not-mine");
        assertThatThrownBy(() -> client.finish(foreign, start.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.error()).isEqualTo(OidcError.INVALID_STATE));
    }

    @Test
    void aResponseNamingAnotherIssuerIsRefused() {
        OidcClient client = client(idp.provider("default").build());
        AuthorizationStart start = client.authorize(REDIRECT, Set.of(), Optional.empty(), Optional.empty());
        URI callback = idp.signInAt(start.location());
        URI mixedUp = URI.create(callback + "&iss=" + java.net.URLEncoder.encode("https://attacker.example",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.finish(mixedUp, start.secrets(), REDIRECT))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.error()).isEqualTo(OidcError.INVALID_RESPONSE));
    }

    @Test
    void refreshGetsNewTokensAndMoreScopes() throws Exception {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "nina-sub", Map.of());
        ProviderSignIn signIn = signIn(client);
        String refreshToken = signIn.tokens().refreshToken().orElseThrow();

        ProviderTokens refreshed = client.refresh(refreshToken, Set.of("openid", "api://diary/read"));
        assertThat(refreshed.accessToken()).isNotEqualTo(signIn.tokens().accessToken());
        assertThat(refreshed.scopes()).contains("api://diary/read");
        assertThat(refreshed.grants(Set.of("api://diary/read"))).isTrue();
        assertThat(SignedJWT.parse(refreshed.accessToken()).getJWTClaimsSet().getAudience())
                .containsExactly("api://diary/read");
        assertThat(SignedJWT.parse(refreshed.accessToken()).getJWTClaimsSet().getSubject()).isEqualTo("nina-sub");
        assertThat(refreshed.refreshToken()).isPresent();
    }

    @Test
    void aRefusedRefreshTokenMeansSignInAgain() {
        OidcClient client = client(idp.provider("default").build());
        assertThatThrownBy(() -> client.refresh("a-revoked-refresh-token", Set.of()))
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.REAUTHENTICATE);
                    assertThat(e.providerError()).contains("invalid_grant");
                    assertThat(e.getMessage()).doesNotContain("a-revoked-refresh-token");
                });
    }

    @Test
    void logoutUriCarriesTheIdTokenHintAndWhereToReturn() {
        OidcClient client = client(idp.provider("default").build());
        idp.nextSignIn("default", "olga-sub", Map.of());
        String idToken = signIn(client).tokens().idToken().orElseThrow();
        URI back = URI.create("http://127.0.0.1:9/logged-out");

        URI logout = client.logoutUri(Optional.of(idToken), back, Optional.of("xyz")).orElseThrow();
        assertThat(logout.toString()).startsWith(idp.issuer("default") + "/endsession?");
        Map<String, List<String>> query = URLUtils.parseParameters(logout.getRawQuery());
        assertThat(query.get("id_token_hint")).containsExactly(idToken);
        assertThat(query.get("post_logout_redirect_uri")).containsExactly(back.toString());
        assertThat(query.get("client_id")).containsExactly("diary");
        assertThat(query.get("state")).containsExactly("xyz");

        HttpResponse<String> response = idp.get(logout);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(back + "?state=xyz");
    }

    @Test
    void discoveryMustDeclareTheConfiguredIssuerExactly() {
        URI withSlash = URI.create(idp.issuer("default") + "/");
        OidcClient client = client(OidcProvider.builder("test").issuer(withSlash).clientId("diary")
                .clientSecret("s").build());
        assertThatThrownBy(client::metadata)
                .isInstanceOfSatisfying(OidcException.class, e -> {
                    assertThat(e.error()).isEqualTo(OidcError.DISCOVERY_FAILED);
                    assertThat(e.getMessage()).contains("declares issuer");
                });

        OidcClient unreachable = client(OidcProvider.builder("test").issuer("http://127.0.0.1:9/nothing")
                .clientId("diary").clientSecret("s").build());
        assertThatThrownBy(unreachable::metadata)
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.error()).isEqualTo(OidcError.DISCOVERY_FAILED));
    }

    @Test
    void metadataIsReadFromDiscovery() {
        Metadata metadata = client(idp.provider("default").build()).metadata();
        assertThat(metadata.issuer()).isEqualTo(idp.issuer("default"));
        assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(idp.issuer("default") + "/token"));
        assertThat(metadata.endSessionEndpoint()).contains(URI.create(idp.issuer("default") + "/endsession"));
        assertThat(metadata.deviceAuthorizationEndpoint()).isEmpty();
    }

    @Test
    void multiTenantIssuerIsCheckedAgainstTheTemplateWithTheTokensTenant() {
        String template = "http://localhost:" + idp.issuer("default").getPort() + "/{tenantid}";
        OidcProvider common = OidcProvider.builder("entra").issuer(idp.issuer("common")).clientId("diary")
                .clientSecret("s").issuerTemplate(template).build();
        OidcClient client = client(common);

        // mock-oauth2-server's tokens carry tid = the issuer id, here the tenant's GUID
        idp.nextSignIn(TestProvider.TENANT, "pat-sub", Map.of());
        ProviderSignIn signIn = signIn(client);
        assertThat(signIn.issuer()).isEqualTo(template.replace("{tenantid}", TestProvider.TENANT));

        // a token whose tid names another tenant than its issuer does not match the template
        idp.nextSignIn(TestProvider.TENANT, "pat-sub", Map.of("tid", "00000000-0000-0000-0000-000000000001"));
        assertThat(failure(client).error()).isEqualTo(OidcError.INVALID_ID_TOKEN);

        idp.nextSignIn(TestProvider.TENANT, "pat-sub", Map.of("tid", "not-a-guid"));
        assertThat(failure(client).getMessage()).contains("tid");
    }
}
