package dev.gatehouse.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.config.InvalidConfigurationException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenID Connect relying party for one {@link OidcProvider}: authorization-code flow with PKCE (S256),
 * {@code state} and {@code nonce}; full ID token validation; userinfo; refresh; the device flow (RFC 8628);
 * RP-initiated logout. Everything on the wire is made and read by the Nimbus OAuth 2.0 SDK.
 *
 * <p>Thread-safe and meant to be reused: it caches the discovery document and the provider's keys. Keys are
 * refetched when a token names an unknown key (rotation), and the discovery document when that happens and
 * it is more than a minute old. Every HTTP call has the {@link HttpOptions} timeouts. Holds no per-user
 * state: what a flow needs to remember is returned to the caller ({@link FlowSecrets}, {@link DeviceStart}).
 */
public final class OidcClient {

    /** Allowed difference between the provider's clock and ours, for {@code exp} and {@code iat}. */
    static final int MAX_CLOCK_SKEW_SECONDS = 60;
    private static final Duration METADATA_MIN_AGE_FOR_REFETCH = Duration.ofMinutes(1);
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;
    private static final Duration DEFAULT_DEVICE_INTERVAL = Duration.ofSeconds(5);
    /** Claims that describe the ID token itself; userinfo may not replace them. */
    private static final Set<String> PROTOCOL_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "azp",
            "auth_time", "acr", "amr", "at_hash", "c_hash", "sid", "tid", "jti");

    private final OidcProvider provider;
    private final HttpOptions http;
    private final Clock clock;
    private final Object discoveryLock = new Object();
    private volatile Discovered discovered;

    private OidcClient(OidcProvider provider, HttpOptions http, Clock clock) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A client for {@code provider}. Nothing is fetched until first needed.
     *
     * @param http  timeouts for the calls to the provider
     * @param clock the time used for expiries; ID tokens are checked against it and against the system clock
     */
    public static OidcClient create(OidcProvider provider, HttpOptions http, Clock clock) {
        return new OidcClient(provider, http, clock);
    }

    /** A client with {@link HttpOptions#defaults()} and the system clock. */
    public static OidcClient create(OidcProvider provider) {
        return create(provider, HttpOptions.defaults(), Clock.systemUTC());
    }

    /** The provider this client talks to. */
    public OidcProvider provider() {
        return provider;
    }

    /**
     * The provider's discovery document, fetched on first use and then cached.
     *
     * @throws OidcException {@link OidcError#DISCOVERY_FAILED} when it cannot be fetched, is malformed, declares
     *                       another issuer, or names a non-https endpoint
     */
    public Metadata metadata() {
        return discovered().metadata();
    }

    /**
     * Starts an authorization-code flow: a fresh {@code state}, {@code nonce} and PKCE verifier (S256), and the
     * URL to send the browser to.
     *
     * @param redirectUri the callback URL registered at the provider, e.g. {@code https://app/login/oauthresponse/entra}
     * @param extraScopes scopes wanted beyond the provider's {@linkplain OidcProvider#scopes() sign-in scopes}
     *                    (incremental consent)
     * @param prompt      an OpenID {@code prompt} value such as {@code login}, {@code consent} or {@code select_account}
     * @param loginHint   a {@code login_hint}, e.g. the email the user typed
     * @throws IllegalArgumentException when {@code prompt} is not a valid prompt
     * @throws OidcException            {@link OidcError#DISCOVERY_FAILED} when the provider's discovery document
     *                                  cannot be read
     */
    public AuthorizationStart authorize(URI redirectUri, Set<String> extraScopes, Optional<String> prompt,
            Optional<String> loginHint) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        Set<String> scopes = new LinkedHashSet<>(provider.scopes());
        scopes.addAll(extraScopes);
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                scope(scopes), new ClientID(provider.clientId()), redirectUri)
                .endpointURI(metadata().authorizationEndpoint())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (prompt.isPresent()) {
            try {
                request.prompt(Prompt.parse(prompt.get()));
            } catch (ParseException e) {
                throw new IllegalArgumentException("prompt \"" + prompt.get() + "\" is not an OpenID Connect prompt");
            }
        }
        loginHint.filter(h -> !h.isBlank()).ifPresent(request::loginHint);
        return new AuthorizationStart(request.build().toURI(),
                new FlowSecrets(state.getValue(), nonce.getValue(), verifier.getValue(), scopes));
    }

    /**
     * Finishes an authorization-code flow: checks the {@code state} (constant time) and the response's
     * {@code iss} if present (RFC 9207), turns an error response into an exception, exchanges the code with the
     * PKCE verifier and the client's credentials, validates the ID token (signature against the provider's
     * keys, {@code iss}, {@code aud}, {@code azp}, {@code exp}/{@code iat} with 60 s skew, {@code nonce}) and,
     * when configured, fetches the userinfo claims (whose {@code sub} must match).
     *
     * @param callbackUri the full URL the browser came back to, query included
     * @param secrets     the secrets {@link #authorize} returned for this flow
     * @param redirectUri the redirect URI sent in {@link #authorize}
     * @throws OidcException {@link OidcError#INVALID_STATE}, {@link OidcError#PROVIDER_ERROR},
     *                       {@link OidcError#INVALID_RESPONSE}, {@link OidcError#TOKEN_EXCHANGE_FAILED},
     *                       {@link OidcError#INVALID_ID_TOKEN}, {@link OidcError#USERINFO_FAILED},
     *                       {@link OidcError#DISCOVERY_FAILED}
     */
    public ProviderSignIn finish(URI callbackUri, FlowSecrets secrets, URI redirectUri) throws OidcException {
        Objects.requireNonNull(callbackUri, "callbackUri");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(redirectUri, "redirectUri");
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(callbackUri);
        } catch (ParseException e) {
            throw new OidcException(OidcError.INVALID_RESPONSE,
                    "the callback from provider " + provider.id() + " is not an authorization response");
        }
        State state = response.getState();
        if (state == null || !constantTimeEquals(state.getValue(), secrets.state())) {
            throw new OidcException(OidcError.INVALID_STATE,
                    "the callback's state is missing or does not belong to this sign-in");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((AuthenticationErrorResponse) response).getErrorObject();
            String code = error == null ? null : error.getCode();
            throw new OidcException(OidcError.PROVIDER_ERROR, "provider " + provider.id() + " refused the sign-in"
                    + (code == null ? "" : ": " + code), code, null);
        }
        AuthenticationSuccessResponse success = (AuthenticationSuccessResponse) response;
        Discovered d = discovered();
        if (success.getIssuer() != null && d.exactIssuer() != null
                && !success.getIssuer().getValue().equals(d.exactIssuer().getValue())) {
            // RFC 9207: a response naming another issuer is a mix-up attack
            throw new OidcException(OidcError.INVALID_RESPONSE,
                    "the callback names issuer " + success.getIssuer() + ", not provider " + provider.id() + "'s");
        }
        AuthorizationCode code = success.getAuthorizationCode();
        if (code == null) {
            throw new OidcException(OidcError.INVALID_RESPONSE,
                    "the callback from provider " + provider.id() + " carries no authorization code");
        }
        if (secrets.codeVerifier().isBlank() || secrets.nonce().isBlank()) {
            throw new OidcException(OidcError.INVALID_STATE, "the sign-in's PKCE verifier or nonce is missing");
        }
        CodeVerifier verifier;
        try {
            verifier = new CodeVerifier(secrets.codeVerifier());
        } catch (IllegalArgumentException e) {
            throw new OidcException(OidcError.INVALID_STATE, "the sign-in's PKCE verifier is malformed");
        }
        OIDCTokenResponse tokens = exchange(d, new AuthorizationCodeGrant(code, redirectUri, verifier), null,
                OidcError.TOKEN_EXCHANGE_FAILED);
        return signIn(tokens, new Nonce(secrets.nonce()), secrets.scopes());
    }

    /**
     * Gets a new access token with a refresh token, for {@code scopes} (empty: the scopes of the original grant).
     * Asking for scopes beyond the original grant is incremental consent: providers such as Entra ID grant them
     * when the user already consented, else they refuse and the user must sign in again.
     *
     * @return the new tokens; the refresh token is the new one if the provider rotated it, else the one given;
     *         the ID token only if the provider sent one
     * @throws OidcException {@link OidcError#REAUTHENTICATE} when the provider refuses the refresh token or the
     *                       scopes ({@code invalid_grant}, {@code interaction_required}, {@code consent_required},
     *                       {@code invalid_scope}…); {@link OidcError#TOKEN_EXCHANGE_FAILED} when it fails otherwise
     */
    public ProviderTokens refresh(String refreshToken, Set<String> scopes) throws OidcException {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Discovered d = discovered();
        HTTPResponse httpResponse = send(new TokenRequest(d.nimbus().getTokenEndpointURI(), clientAuthentication(d),
                new RefreshTokenGrant(new RefreshToken(refreshToken)), scopes.isEmpty() ? null : scope(scopes))
                .toHTTPRequest(), OidcError.TOKEN_EXCHANGE_FAILED, "token");
        TokenResponse response = parseTokenResponse(httpResponse, OidcError.TOKEN_EXCHANGE_FAILED);
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            String code = error == null ? null : error.getCode();
            boolean userMustReturn = code != null && List.of("invalid_grant", "interaction_required",
                    "consent_required", "login_required", "invalid_scope").contains(code);
            throw new OidcException(userMustReturn ? OidcError.REAUTHENTICATE : OidcError.TOKEN_EXCHANGE_FAILED,
                    "provider " + provider.id() + " refused the refresh" + (code == null ? "" : ": " + code), code, null);
        }
        Tokens tokens = response.toSuccessResponse().getTokens();
        Optional<String> idToken = tokens instanceof com.nimbusds.openid.connect.sdk.token.OIDCTokens oidc
                && oidc.getIDTokenString() != null ? Optional.of(oidc.getIDTokenString()) : Optional.empty();
        return providerTokens(tokens, idToken, scopes.isEmpty() ? Set.of() : scopes, Optional.of(refreshToken));
    }

    /**
     * Starts a device authorization (RFC 8628): the user signs in on another device with the returned user code.
     *
     * @param scopes scopes beyond the provider's sign-in scopes
     * @throws OidcException {@link OidcError#UNSUPPORTED} when the provider has no device authorization endpoint,
     *                       {@link OidcError#DEVICE_FLOW_FAILED} when it refuses
     */
    public DeviceStart startDevice(Set<String> scopes) throws OidcException {
        Discovered d = discovered();
        URI endpoint = d.metadata().deviceAuthorizationEndpoint().orElseThrow(() -> new OidcException(
                OidcError.UNSUPPORTED, "provider " + provider.id() + " offers no device authorization endpoint"));
        Set<String> all = new LinkedHashSet<>(provider.scopes());
        all.addAll(scopes);
        DeviceAuthorizationRequest request = new DeviceAuthorizationRequest(endpoint, clientAuthentication(d, endpoint),
                scope(all), null);
        HTTPResponse httpResponse = send(request.toHTTPRequest(), OidcError.DEVICE_FLOW_FAILED, "device authorization");
        DeviceAuthorizationResponse response;
        try {
            response = DeviceAuthorizationResponse.parse(httpResponse);
        } catch (ParseException e) {
            throw new OidcException(OidcError.DEVICE_FLOW_FAILED,
                    "provider " + provider.id() + " sent an unreadable device authorization response");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error == null ? null : error.getCode();
            throw new OidcException(OidcError.DEVICE_FLOW_FAILED, "provider " + provider.id()
                    + " refused the device authorization" + (code == null ? "" : ": " + code), code, null);
        }
        DeviceAuthorizationSuccessResponse ok = response.toSuccessResponse();
        Duration interval = ok.getInterval() > 0 ? Duration.ofSeconds(ok.getInterval()) : DEFAULT_DEVICE_INTERVAL;
        return new DeviceStart(ok.getDeviceCode().getValue(), ok.getUserCode().getValue(), ok.getVerificationURI(),
                Optional.ofNullable(ok.getVerificationURIComplete()), interval,
                clock.instant().plusSeconds(ok.getLifetime()), all);
    }

    /** Polls a device authorization started with {@link #startDevice}, with its scopes and interval. */
    public DevicePoll poll(DeviceStart start) throws OidcException {
        if (!clock.instant().isBefore(start.expiresAt())) {
            return new DevicePoll.Expired();
        }
        return poll(start.deviceCode(), start.scopes(), start.interval());
    }

    /**
     * Polls a device authorization once (RFC 8628 section 3.4). Call it no more often than the current interval.
     *
     * @param deviceCode the device code of {@link DeviceStart}
     * @param scopes     the scopes of {@link DeviceStart}
     * @param interval   the interval polled at so far; {@link DevicePoll.SlowDown} adds five seconds to it
     * @throws OidcException {@link OidcError#TOKEN_EXCHANGE_FAILED} for other errors, {@link OidcError#INVALID_ID_TOKEN}
     */
    public DevicePoll poll(String deviceCode, Set<String> scopes, Duration interval) throws OidcException {
        Objects.requireNonNull(deviceCode, "deviceCode");
        Objects.requireNonNull(interval, "interval");
        Discovered d = discovered();
        HTTPResponse httpResponse = send(new TokenRequest(d.nimbus().getTokenEndpointURI(), clientAuthentication(d),
                new DeviceCodeGrant(new DeviceCode(deviceCode)), null).toHTTPRequest(),
                OidcError.TOKEN_EXCHANGE_FAILED, "token");
        TokenResponse response = parseTokenResponse(httpResponse, OidcError.TOKEN_EXCHANGE_FAILED);
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            String code = error == null ? "" : String.valueOf(error.getCode());
            return switch (code) {
                case "authorization_pending" -> new DevicePoll.Pending();
                case "slow_down" -> new DevicePoll.SlowDown(interval.plusSeconds(5));
                case "access_denied" -> new DevicePoll.Denied();
                case "expired_token" -> new DevicePoll.Expired();
                default -> throw new OidcException(OidcError.TOKEN_EXCHANGE_FAILED,
                        "provider " + provider.id() + " refused the device code" + (code.isEmpty() ? "" : ": " + code),
                        code.isEmpty() ? null : code, null);
            };
        }
        if (!(response instanceof OIDCTokenResponse oidc)) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "provider " + provider.id() + " sent no ID token");
        }
        return new DevicePoll.Done(signIn(oidc, null, scopes));
    }

    /**
     * The provider's logout URL (OpenID Connect RP-Initiated Logout), when its discovery document has an
     * {@code end_session_endpoint}: with {@code id_token_hint}, {@code client_id}, {@code post_logout_redirect_uri}
     * and {@code state}.
     *
     * @param idTokenHint        the ID token of the sign-in being ended; ignored if it is not a JWT
     * @param postLogoutRedirect where the provider sends the browser afterwards; must be registered there
     * @param state              an opaque value the provider hands back on the redirect
     * @throws OidcException {@link OidcError#DISCOVERY_FAILED} when the provider's discovery document cannot be read
     */
    public Optional<URI> logoutUri(Optional<String> idTokenHint, URI postLogoutRedirect, Optional<String> state) {
        Objects.requireNonNull(postLogoutRedirect, "postLogoutRedirect");
        Optional<URI> endpoint = metadata().endSessionEndpoint();
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        JWT hint = null;
        if (idTokenHint.isPresent()) {
            try {
                hint = JWTParser.parse(idTokenHint.get());
            } catch (java.text.ParseException e) {
                hint = null;
            }
        }
        return Optional.of(new LogoutRequest(endpoint.get(), hint, null, new ClientID(provider.clientId()),
                postLogoutRedirect, state.map(State::new).orElse(null), null).toURI());
    }

    // ---- sign-in from a token response ---------------------------------------------------------------------

    private ProviderSignIn signIn(OIDCTokenResponse response, Nonce nonce, Set<String> requestedScopes) {
        com.nimbusds.openid.connect.sdk.token.OIDCTokens tokens = response.getOIDCTokens();
        JWT idToken = tokens.getIDToken();
        if (idToken == null) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "provider " + provider.id() + " sent no ID token");
        }
        IDTokenClaimsSet idClaims = validate(idToken, nonce);
        Map<String, Object> claims = new LinkedHashMap<>();
        idClaims.toJSONObject().forEach((k, v) -> {
            if (v != null) {
                claims.put(k, v);
            }
        });
        String subject = idClaims.getSubject().getValue();
        Discovered d = discovered();
        if (provider.userInfo() && d.metadata().userInfoEndpoint().isPresent()) {
            userInfo(d.metadata().userInfoEndpoint().get(), tokens.getAccessToken(), subject).forEach((k, v) -> {
                if (v != null && !PROTOCOL_CLAIMS.contains(k)) {
                    claims.put(k, v);
                }
            });
        }
        Optional<String> email = Optional.ofNullable(claims.get("email")).filter(String.class::isInstance)
                .map(String.class::cast).filter(e -> !e.isBlank());
        Object verified = claims.get("email_verified");
        boolean emailVerified = email.isPresent()
                && (Boolean.TRUE.equals(verified) || "true".equalsIgnoreCase(String.valueOf(verified)));
        Optional<String> name = Optional.ofNullable(claims.get("name")).filter(String.class::isInstance)
                .map(String.class::cast);
        Set<String> roles = provider.roleClaim().map(c -> stringValues(claims.get(c))).orElse(Set.of());
        ProviderTokens providerTokens = providerTokens(tokens, Optional.of(idToken.getParsedString()), requestedScopes,
                Optional.empty());
        return new ProviderSignIn(provider.id(), idClaims.getIssuer().getValue(), subject, email, emailVerified, name,
                claims, roles, providerTokens);
    }

    private ProviderTokens providerTokens(Tokens tokens, Optional<String> idToken, Set<String> requestedScopes,
            Optional<String> previousRefreshToken) {
        AccessToken access = tokens.getAccessToken();
        Instant now = clock.instant();
        Instant expiresAt = access.getLifetime() > 0 ? now.plusSeconds(access.getLifetime()) : now.plusSeconds(3600);
        Set<String> granted = access.getScope() != null ? new LinkedHashSet<>(access.getScope().toStringList())
                : Set.copyOf(requestedScopes);
        Optional<String> refresh = tokens.getRefreshToken() != null ? Optional.of(tokens.getRefreshToken().getValue())
                : previousRefreshToken;
        return new ProviderTokens(access.getValue(), refresh, idToken, expiresAt, granted);
    }

    private Map<String, Object> userInfo(URI endpoint, AccessToken accessToken, String subject) {
        HTTPResponse httpResponse = send(new UserInfoRequest(endpoint, new BearerAccessToken(accessToken.getValue()))
                .toHTTPRequest(), OidcError.USERINFO_FAILED, "userinfo");
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(httpResponse);
        } catch (ParseException e) {
            throw new OidcException(OidcError.USERINFO_FAILED,
                    "provider " + provider.id() + " sent an unreadable userinfo response");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error == null ? null : error.getCode();
            throw new OidcException(OidcError.USERINFO_FAILED, "provider " + provider.id() + " refused the userinfo request"
                    + (code == null ? "" : ": " + code), code, null);
        }
        UserInfo info = response.toSuccessResponse().getUserInfo();
        if (info == null || info.getSubject() == null || !info.getSubject().getValue().equals(subject)) {
            // OpenID Connect Core 5.3.2: the userinfo sub must be the ID token's, else the claims are someone else's
            throw new OidcException(OidcError.USERINFO_FAILED,
                    "provider " + provider.id() + "'s userinfo is about another subject than the ID token");
        }
        return info.toJSONObject();
    }

    // ---- ID token validation -------------------------------------------------------------------------------

    IDTokenClaimsSet validate(JWT idToken, Nonce nonce) {
        Discovered d = discovered();
        try {
            return validate(d, idToken, nonce);
        } catch (OidcException e) {
            if (!isKeyMiss(e) || !isOlderThan(d, METADATA_MIN_AGE_FOR_REFETCH)) {
                throw e;
            }
        }
        // The key is unknown even after the JWKS was refetched: the provider may have moved its JWKS (new
        // jwks_uri); read the discovery document again, at most once a minute.
        return validate(rediscover(d), idToken, nonce);
    }

    /**
     * Whether the token's key is not in the JWKS as fetched: no key matched even after the JWKS source refetched
     * it, or the source was not allowed to refetch it yet (its rate limit).
     */
    private static boolean isKeyMiss(OidcException e) {
        Throwable cause = e.getCause();
        return cause instanceof com.nimbusds.jose.KeySourceException
                || cause instanceof BadJOSEException && String.valueOf(cause.getMessage()).contains("no matching key");
    }

    private IDTokenClaimsSet validate(Discovered d, JWT idToken, Nonce nonce) {
        Issuer expected = expectedIssuer(d, idToken);
        IDTokenValidator validator = new IDTokenValidator(expected, new ClientID(provider.clientId()),
                new JWSVerificationKeySelector<>(d.algorithms(), d.keys()), null);
        validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "the ID token from provider " + provider.id()
                    + " is invalid: " + reason(e), null, e);
        }
        // OpenID Connect Core 3.1.3.7 (6): with several audiences the authorized party must be this client; an azp
        // naming another client is refused whatever the audiences (Nimbus reads azp but leaves this to us).
        Object azp = claims.getClaim("azp");
        if ((azp != null || claims.getAudience().size() > 1) && !provider.clientId().equals(azp)) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "the ID token from provider " + provider.id()
                    + " is invalid: the authorized party (azp) is not this client");
        }
        // Nimbus checks times against the system clock; the injected clock must agree as well.
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null
                || !claims.getExpirationTime().toInstant().plusSeconds(MAX_CLOCK_SKEW_SECONDS).isAfter(now)) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "the ID token from provider " + provider.id()
                    + " is invalid: Expired JWT");
        }
        if (claims.getIssueTime() == null
                || claims.getIssueTime().toInstant().minusSeconds(MAX_CLOCK_SKEW_SECONDS).isAfter(now)) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "the ID token from provider " + provider.id()
                    + " is invalid: JWT issue time ahead of current time");
        }
        return claims;
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        // Nimbus quotes the token's nonce; say only that it is wrong
        return message.contains("nonce") ? "the nonce is not this sign-in's" : message;
    }

    private Issuer expectedIssuer(Discovered d, JWT idToken) {
        if (d.exactIssuer() != null) {
            return d.exactIssuer();
        }
        // Multi-tenant Entra ID: Microsoft documents validating iss against the template with the token's tid.
        // The claim is read before the signature is checked, but only to choose the expected issuer: the
        // validator then checks the signature, and the iss it accepts is the one the template names.
        Object tid;
        try {
            tid = idToken.getJWTClaimsSet().getClaim("tid");
        } catch (java.text.ParseException e) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN,
                    "the ID token from provider " + provider.id() + " is not a JWT");
        }
        if (!(tid instanceof String t) || !OidcPresets.GUID.matcher(t).matches()) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN,
                    "the ID token from provider " + provider.id() + " has no tenant id (tid) claim");
        }
        return new Issuer(provider.issuerTemplate().orElseThrow().replace("{tenantid}", t.toLowerCase(Locale.ROOT)));
    }

    // ---- discovery -----------------------------------------------------------------------------------------

    /** The discovery document and what is derived from it. */
    private record Discovered(OIDCProviderMetadata nimbus, Metadata metadata, Issuer exactIssuer,
            Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys, Instant fetchedAt) {
    }

    private Discovered discovered() {
        Discovered d = discovered;
        if (d != null) {
            return d;
        }
        synchronized (discoveryLock) {
            if (discovered == null) {
                discovered = discover();
            }
            return discovered;
        }
    }

    private boolean isOlderThan(Discovered d, Duration age) {
        return !d.fetchedAt().plus(age).isAfter(clock.instant());
    }

    private Discovered rediscover(Discovered stale) {
        synchronized (discoveryLock) {
            if (discovered == stale) {
                discovered = discover();
            }
            return discovered;
        }
    }

    private Discovered discover() {
        URI location = provider.discovery();
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, location);
        HTTPResponse response = send(request, OidcError.DISCOVERY_FAILED, "discovery");
        if (response.getStatusCode() != 200) {
            throw new OidcException(OidcError.DISCOVERY_FAILED, "the discovery document of provider " + provider.id()
                    + " at " + location + " answered HTTP " + response.getStatusCode());
        }
        OIDCProviderMetadata md;
        try {
            net.minidev.json.JSONObject json = response.getBodyAsJSONObject();
            if (provider.issuerCheck() == OidcProvider.IssuerCheck.TENANT_TEMPLATE
                    && json.get("issuer") instanceof String template && template.contains("{")) {
                // Nimbus reads the issuer as a URI, which the braces of Microsoft's template are not
                json.put("issuer", template.replace("{", "%7B").replace("}", "%7D"));
            }
            md = OIDCProviderMetadata.parse(json);
        } catch (ParseException e) {
            throw new OidcException(OidcError.DISCOVERY_FAILED, "the discovery document of provider " + provider.id()
                    + " at " + location + " is not valid: " + e.getMessage());
        }
        String declared = md.getIssuer().getValue().replace("%7B", "{").replace("%7D", "}");
        Issuer exact = switch (provider.issuerCheck()) {
            case EXACT -> {
                requireIssuer(declared.equals(provider.issuer().toString()), declared, provider.issuer().toString());
                yield md.getIssuer();
            }
            case TENANT_TEMPLATE -> {
                String template = provider.issuerTemplate().orElseThrow();
                requireIssuer(declared.equals(template), declared, template);
                yield null;
            }
            case DISCOVERED -> {
                URI issuer = URI.create(declared);
                requireIssuer(OidcProvider.addressProblem(issuer) == null
                        && location.getHost().equalsIgnoreCase(issuer.getHost())
                        && location.getScheme().equalsIgnoreCase(issuer.getScheme()), declared,
                        "an issuer on " + location.getScheme() + "://" + location.getHost());
                yield md.getIssuer();
            }
        };
        if (md.getAuthorizationEndpointURI() == null || md.getTokenEndpointURI() == null || md.getJWKSetURI() == null) {
            throw new OidcException(OidcError.DISCOVERY_FAILED, "the discovery document of provider " + provider.id()
                    + " lacks the authorization, token or JWKS endpoint");
        }
        for (URI endpoint : new URI[] {md.getTokenEndpointURI(), md.getJWKSetURI(), md.getUserInfoEndpointURI(),
                md.getDeviceAuthorizationEndpointURI()}) {
            if (endpoint != null && OidcProvider.addressProblem(stripQuery(endpoint)) != null) {
                throw new OidcException(OidcError.DISCOVERY_FAILED, "the discovery document of provider "
                        + provider.id() + " names endpoint " + endpoint + ", which "
                        + OidcProvider.addressProblem(stripQuery(endpoint)));
            }
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (md.getIDTokenJWSAlgs() != null) {
            for (JWSAlgorithm alg : md.getIDTokenJWSAlgs()) {
                // Only public-key signatures: "none" is never acceptable, HMAC would make the client secret a
                // signing key, and EdDSA would need a library (Tink) that is not on the class path.
                if (JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg)) {
                    algorithms.add(alg);
                }
            }
        }
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(md.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(http.connectMillis(), http.readMillis(), JWKS_SIZE_LIMIT)).build();
        } catch (MalformedURLException e) {
            throw new OidcException(OidcError.DISCOVERY_FAILED, "the JWKS URL of provider " + provider.id()
                    + " is not a URL");
        }
        Metadata metadata = new Metadata(URI.create(md.getIssuer().getValue()), md.getAuthorizationEndpointURI(),
                md.getTokenEndpointURI(), md.getJWKSetURI(), Optional.ofNullable(md.getUserInfoEndpointURI()),
                Optional.ofNullable(md.getEndSessionEndpointURI()),
                Optional.ofNullable(md.getDeviceAuthorizationEndpointURI()),
                md.getScopes() == null ? Set.of() : Set.copyOf(md.getScopes().toStringList()));
        return new Discovered(md, metadata, exact, Set.copyOf(algorithms), keys, clock.instant());
    }

    private void requireIssuer(boolean ok, String declared, String expected) {
        if (!ok) {
            throw new OidcException(OidcError.DISCOVERY_FAILED, "the discovery document of provider " + provider.id()
                    + " declares issuer " + declared + ", expected " + expected);
        }
    }

    private static URI stripQuery(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return q < 0 ? uri : URI.create(s.substring(0, q));
    }

    // ---- HTTP and client authentication --------------------------------------------------------------------

    private OIDCTokenResponse exchange(Discovered d, AuthorizationGrant grant, Scope scope, OidcError failure) {
        HTTPResponse httpResponse = send(new TokenRequest(d.nimbus().getTokenEndpointURI(), clientAuthentication(d),
                grant, scope).toHTTPRequest(), failure, "token");
        TokenResponse response = parseTokenResponse(httpResponse, failure);
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            String code = error == null ? null : error.getCode();
            throw new OidcException(failure, "provider " + provider.id() + " refused the token request"
                    + (code == null ? "" : ": " + code), code, null);
        }
        if (!(response instanceof OIDCTokenResponse oidc)) {
            throw new OidcException(OidcError.INVALID_ID_TOKEN, "provider " + provider.id() + " sent no ID token");
        }
        return oidc;
    }

    private TokenResponse parseTokenResponse(HTTPResponse httpResponse, OidcError failure) {
        try {
            return OIDCTokenResponseParser.parse(httpResponse);
        } catch (ParseException e) {
            throw new OidcException(failure, "provider " + provider.id() + " sent an unreadable token response");
        }
    }

    private HTTPResponse send(HTTPRequest request, OidcError failure, String what) {
        request.setConnectTimeout(http.connectMillis());
        request.setReadTimeout(http.readMillis());
        try {
            return request.send();
        } catch (IOException e) {
            // The exception's message names the host, never a parameter of the request.
            throw new OidcException(failure, "provider " + provider.id() + "'s " + what + " endpoint could not be reached: "
                    + e.getClass().getSimpleName(), null, null);
        }
    }

    private ClientAuthentication clientAuthentication(Discovered d) {
        return clientAuthentication(d, d.nimbus().getTokenEndpointURI());
    }

    private ClientAuthentication clientAuthentication(Discovered d, URI endpoint) {
        ClientID clientId = new ClientID(provider.clientId());
        ClientCredentials credentials = provider.credentials();
        if (credentials instanceof ClientCredentials.ClientSecret secret) {
            com.nimbusds.oauth2.sdk.auth.Secret value = new com.nimbusds.oauth2.sdk.auth.Secret(secret.secret().reveal());
            List<ClientAuthenticationMethod> methods = d.nimbus().getTokenEndpointAuthMethods();
            boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            return postOnly ? new ClientSecretPost(clientId, value) : new ClientSecretBasic(clientId, value);
        }
        ClientCredentials.PrivateKeyJwt key = (ClientCredentials.PrivateKeyJwt) credentials;
        try {
            // RFC 7523: the assertion's audience is the token endpoint, accepted by every provider Gatehouse presets
            return new PrivateKeyJWT(clientId, d.nimbus().getTokenEndpointURI(), algorithm(key), key.privateKey(),
                    key.keyId(), null);
        } catch (JOSEException e) {
            throw new InvalidConfigurationException(List.of("OpenID Connect provider " + provider.id()
                    + ": the private-key JWT key cannot sign"));
        }
    }

    private static JWSAlgorithm algorithm(ClientCredentials.PrivateKeyJwt key) {
        if (key.privateKey() instanceof ECPrivateKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? JWSAlgorithm.ES256 : bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
        }
        return JWSAlgorithm.RS256;
    }

    // ---- small helpers -------------------------------------------------------------------------------------

    private static Scope scope(Collection<String> scopes) {
        return new Scope(scopes.toArray(String[]::new));
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** A claim's values: a JSON array's strings, or a string's space-separated words. */
    static Set<String> stringValues(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isBlank()) {
                    values.add(s);
                }
            }
        } else if (claim instanceof String s) {
            for (String word : s.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    values.add(word);
                }
            }
        }
        return values;
    }
}
