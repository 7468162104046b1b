package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.DEFAULT_REMEMBER_ME;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.POST_LOGOUT_VIEW;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.config.Settings.URL_PREFIX;
import static dev.gatehouse.config.Settings.VERIFY_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_CREATE_ACCOUNTS;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_DEVICE_ENABLED;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_DEVICE_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_IDENTITIES_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_LINK_VERIFIED_EMAIL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_POST_LOGOUT_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_RESPONSE_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_START_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_VERIFY_START_URL;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.PageLinks;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in with OpenID Connect providers as a {@link WebFeature}: register it with
 * {@code WebOptions.builder().feature(OidcFeature.fromConfig(gatehouse))}. Paths follow
 * Flask-Security's OAuth support ({@link OidcWebSettings}):
 * <ul>
 *   <li>{@code POST /login/oauthstart/<id>} (the login page's "Sign in with ..." button, with the
 *       CSRF token; {@code next} and {@code remember} as for sign-in) sends the browser to the
 *       provider (302, for JSON clients too, as Flask-Security); {@code GET /login/oauthstart} lists
 *       the providers for JSON clients.</li>
 *   <li>{@code GET /login/oauthresponse/<id>}: the provider's callback. The flow's state, nonce and
 *       PKCE verifier travel in a sealed, HttpOnly, SameSite=Lax cookie scoped to this path that
 *       lives 10 minutes; the callback's {@code state} must equal the cookie's (constant time), is
 *       then marked used in the {@link dev.gatehouse.limit.CounterStore} (a replayed callback is
 *       refused even with the cookie), and the cookie is cleared whatever the outcome. The account
 *       is found, linked or created as {@link OidcAccounts} says; then an ordinary Gatehouse session
 *       starts (remember-me, API tokens, access rules as for a password sign-in) and the provider's
 *       tokens are kept sealed with it ({@link dev.gatehouse.session.SessionDataStore}).</li>
 *   <li>{@code GET /oauth-identities} (JSON and page) lists the signed-in user's linked identities;
 *       {@code POST /oauth-identities/<id>/link} (fresh session) links another;
 *       {@code POST /oauth-identities/unlink} ({@code issuer}, {@code subject}) removes one, never the
 *       last way to sign in.</li>
 *   <li>{@code GET /login/oauthstart/<id>/consent?scope=...&next=...}: incremental consent for a
 *       signed-in user, the location of a {@link ConsentRequiredException}.</li>
 *   <li>{@code POST /login/oauth-verify-start/<id>} (the verify page's buttons, CSRF): a signed-in
 *       user proves it is them again with a linked provider, which makes the session fresh
 *       (Flask-Security's {@code oauth_verify_start}); the provider answers at the same callback.</li>
 *   <li>With {@code oauth-device-enabled}: the device-code grant (RFC 8628) under {@code /login/device}
 *       ({@link DeviceEndpoints}), ending in the same sign-in as the callback.</li>
 * </ul>
 * Handlers get the provider's access token with {@link #accessToken}; the logout endpoint sends the
 * browser on to the provider's {@code end_session_endpoint} ({@link #onLogout}). Thread-safe.
 */
public final class OidcFeature implements WebFeature {

    private static final Logger LOG = LoggerFactory.getLogger(OidcFeature.class);
    /** How long a started flow may take to come back. */
    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    /** A token this close to expiry is refreshed before it is handed out. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    /** RFC 6749 scope-token characters; at most a few dozen scopes of reasonable length. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}");
    private static final int MAX_SCOPES = 20;

    private final Gatehouse gatehouse;
    private final GatehouseConfig config;
    private final Map<String, OidcClient> clients;
    /** Provider ids in the order they were configured (the order of the buttons). */
    private final List<String> order;
    private final Clock tokenClock;
    private final ValueSealer sealer;
    private final SessionTokens tokens;
    private final OidcAccounts accounts;
    private final String cookieName;
    /** The device-code grant's endpoints ({@code oauth-device-enabled}). */
    private final DeviceEndpoints device;
    /** Set when the web layer builds the routes. */
    private volatile WebToolkit toolkit;

    private OidcFeature(Gatehouse gatehouse, List<OidcClient> all, Clock clock) {
        this.gatehouse = gatehouse;
        this.config = gatehouse.config();
        Map<String, OidcClient> byId = new LinkedHashMap<>();
        for (OidcClient client : all) {
            if (byId.putIfAbsent(client.provider().id(), client) != null) {
                throw new IllegalArgumentException("two providers have the id " + client.provider().id());
            }
        }
        this.clients = Map.copyOf(byId);
        this.order = List.copyOf(byId.keySet());
        this.tokenClock = clock;
        this.sealer = ValueSealer.create(config);
        this.tokens = new SessionTokens(gatehouse.sessionData(), sealer);
        this.accounts = new OidcAccounts(gatehouse);
        this.cookieName = (config.get(COOKIE_SECURE) ? "__Secure-" : "") + "gatehouse_oidc";
        this.device = new DeviceEndpoints(this, gatehouse, sealer);
    }

    /** The clock of the providers' answers (a device code's expiry is given by it). */
    Clock tokenClock() {
        return tokenClock;
    }

    /**
     * The providers configured in {@code gatehouse}'s settings ({@code oidc-providers} and the
     * {@code oidc.<id>.*} settings, see {@link OidcProviders#fromConfig}); with none, the feature is
     * off and mounts nothing.
     */
    public static OidcFeature fromConfig(Gatehouse gatehouse) {
        return builder(gatehouse).providers(OidcProviders.fromConfig(gatehouse.config())).build();
    }

    /** A feature for {@code gatehouse}; add providers (or prebuilt clients) before {@code build()}. */
    public static Builder builder(Gatehouse gatehouse) {
        return new Builder(gatehouse);
    }

    /** Builds an {@link OidcFeature}; not thread-safe. */
    public static final class Builder {
        private final Gatehouse gatehouse;
        private final List<OidcProvider> providers = new ArrayList<>();
        private final List<OidcClient> clients = new ArrayList<>();
        private HttpOptions http = HttpOptions.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder(Gatehouse gatehouse) {
            this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        }

        /** Adds a provider; its client is made at {@code build()} with these HTTP options and clock. */
        public Builder provider(OidcProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Adds providers; see {@link #provider}. */
        public Builder providers(Collection<OidcProvider> providers) {
            providers.forEach(this::provider);
            return this;
        }

        /** Adds every provider of {@code providers}; see {@link #provider}. */
        public Builder providers(OidcProviders providers) {
            return providers(providers.all());
        }

        /** Adds a provider by its client, made elsewhere (shared with a bearer-token mechanism, say). */
        public Builder client(OidcClient client) {
            clients.add(Objects.requireNonNull(client, "client"));
            return this;
        }

        /** Timeouts of the calls to the providers; 5 s by default. */
        public Builder httpOptions(HttpOptions http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * The clock of the providers' tokens (their expiry, the ID token's checks); the system clock by
         * default. Gatehouse's own clock still times sessions and flows.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The feature, with a client per provider added.
         *
         * @throws IllegalArgumentException if two providers share an id
         */
        public OidcFeature build() {
            List<OidcClient> all = new ArrayList<>(clients);
            for (OidcProvider provider : providers) {
                all.add(OidcClient.create(provider, http, clock));
            }
            return new OidcFeature(gatehouse, all, clock);
        }
    }

    // ------------------------------------------------------------------ WebFeature

    @Override
    public String name() {
        return "oidc";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(OAUTH_START_URL, OAUTH_RESPONSE_URL, OAUTH_VERIFY_START_URL, OAUTH_IDENTITIES_URL, OAUTH_CREATE_ACCOUNTS,
                OAUTH_LINK_VERIFIED_EMAIL, OAUTH_POST_LOGOUT_URL, OAUTH_DEVICE_ENABLED, OAUTH_DEVICE_URL);
    }

    /** On when at least one provider is configured. */
    @Override
    public boolean isEnabled(GatehouseConfig config) {
        return !clients.isEmpty();
    }

    /**
     * {@code urls.external_sign_in}: one entry per provider ({@code id}, {@code name}, {@code action})
     * for the login page's buttons; {@code urls.linked_identities}: the account page.
     */
    @Override
    public void links(GatehouseConfig config, PageLinks links) {
        String prefix = config.get(URL_PREFIX).orElse("");
        List<Map<String, String>> buttons = new ArrayList<>();
        for (String id : order) {
            buttons.add(Map.of("id", id, "name", clients.get(id).provider().displayName(),
                    "action", prefix + config.get(OAUTH_START_URL) + "/" + id));
        }
        links.value("external_sign_in", List.copyOf(buttons));
        List<Map<String, String>> verify = new ArrayList<>();
        for (String id : order) {
            verify.add(Map.of("id", id, "name", clients.get(id).provider().displayName(),
                    "action", prefix + config.get(OAUTH_VERIFY_START_URL) + "/" + id));
        }
        links.value("external_verify", List.copyOf(verify));
        links.path("linked_identities", config.get(OAUTH_IDENTITIES_URL));
    }

    /** The providers' origins (their issuers'), where the start buttons' form posts are redirected. */
    @Override
    public List<String> formTargets(GatehouseConfig config) {
        List<String> origins = new ArrayList<>();
        for (OidcClient client : clients.values()) {
            URI issuer = client.provider().issuer();
            origins.add(issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() >= 0 ? ":" + issuer.getPort() : ""));
        }
        return origins;
    }

    /** @throws InvalidConfigurationException if {@code external-url} is not set (redirect URIs are absolute) */
    @Override
    public List<WebRoute> routes(WebToolkit web) {
        if (config.get(EXTERNAL_URL).isEmpty()) {
            throw new InvalidConfigurationException(List.of("external-url is not set, but sign-in with a provider"
                    + " needs it: the redirect URI registered at the provider is <external-url>"
                    + config.get(OAUTH_RESPONSE_URL) + "/<provider id>"));
        }
        this.toolkit = web;
        String start = web.url(config.get(OAUTH_START_URL));
        String response = web.url(config.get(OAUTH_RESPONSE_URL));
        String identities = web.url(config.get(OAUTH_IDENTITIES_URL));
        List<WebRoute> routes = new ArrayList<>(List.of(
                new WebRoute("GET", start, this::providersList),
                new WebRoute("POST", start + "/{provider}", this::startSignIn),
                new WebRoute("GET", start + "/{provider}/consent", this::startConsent),
                new WebRoute("POST", web.url(config.get(OAUTH_VERIFY_START_URL)) + "/{provider}", this::startVerify),
                new WebRoute("GET", response + "/{provider}", this::callback),
                new WebRoute("GET", identities, this::identitiesPage),
                new WebRoute("POST", identities + "/{provider}/link", this::startLink),
                new WebRoute("POST", identities + "/unlink", this::unlink)));
        if (config.get(OAUTH_DEVICE_ENABLED)) {
            routes.addAll(device.routes(web));
        }
        return List.copyOf(routes);
    }

    // ------------------------------------------------------------------ start

    private void providersList(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!x.wantsJson()) {
            web.redirect(x, web.url(config.get(LOGIN_URL)));
            return;
        }
        List<Map<String, Object>> providers = new ArrayList<>();
        for (String id : order) {
            providers.add(Map.of("name", id, "display_name", clients.get(id).provider().displayName(),
                    "start_url", web.url(config.get(OAUTH_START_URL)) + "/" + id));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("oauth_enabled", true);
        body.put("oauth_providers", providers);
        body.put("csrf_token", web.csrfToken(x));
        web.json(x, 200, body);
    }

    /** Flask-Security's {@code oauthstart}: anonymous, CSRF-protected, POST only. */
    private void startSignIn(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        Optional<OidcClient> client = client(segment(request.path(), web.url(config.get(OAUTH_START_URL))));
        if (client.isEmpty()) {
            notFound(x);
            return;
        }
        if (web.authenticate(x).isPresent()) {
            // As Flask-Security: no next here, which could loop.
            if (x.wantsJson()) {
                web.json(x, 400, Map.of(), List.of(x.text("ANONYMOUS_USER_REQUIRED")), Map.of());
            } else {
                web.redirect(x, config.get(POST_LOGIN_VIEW));
            }
            return;
        }
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        Optional<String> next = nextAllowed(web, x);
        if (next == null) {
            return;
        }
        boolean remember = x.flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME));
        redirectToProvider(x, client.get(), FlowState.Purpose.SIGN_IN, Set.of(), next, remember, Optional.empty());
    }

    /** Linking another provider from the account page: a fresh session, as a password change needs. */
    private void startLink(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION).within(config.get(FRESHNESS)))) {
            return;
        }
        String path = request.path();
        String identities = web.url(config.get(OAUTH_IDENTITIES_URL));
        Optional<OidcClient> client = path.endsWith("/link")
                ? client(segment(path.substring(0, path.length() - "/link".length()), identities)) : Optional.empty();
        if (client.isEmpty()) {
            notFound(x);
            return;
        }
        User user = x.authentication().orElseThrow().user();
        redirectToProvider(x, client.get(), FlowState.Purpose.LINK, Set.of(), Optional.of(identities), false,
                Optional.of(user.id()));
    }

    /**
     * Re-authentication with a provider (Flask-Security's {@code oauth_verify_start}): for a user
     * with a session, stale or not, whose password is not the way in. The callback makes the session
     * fresh only if the provider signs in an identity linked to this very user.
     */
    private void startVerify(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        Optional<OidcClient> client = client(segment(request.path(), web.url(config.get(OAUTH_VERIFY_START_URL))));
        if (client.isEmpty()) {
            notFound(x);
            return;
        }
        Optional<String> next = nextAllowed(web, x);
        if (next == null) {
            return;
        }
        redirectToProvider(x, client.get(), FlowState.Purpose.VERIFY, Set.of(), next, false,
                Optional.of(x.authentication().orElseThrow().user().id()));
    }

    /**
     * Incremental consent: a signed-in user's provider is asked for more scopes and the new tokens
     * replace the sign-in's. A GET (it is the location of {@link ConsentRequiredException}); it can
     * only extend the grants of the session's own user, at the provider the user consents at.
     */
    private void startConsent(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        String path = request.path();
        Optional<OidcClient> client = path.endsWith("/consent")
                ? client(segment(path.substring(0, path.length() - "/consent".length()), web.url(config.get(OAUTH_START_URL))))
                : Optional.empty();
        if (client.isEmpty()) {
            notFound(x);
            return;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : request.queryParam("scope").orElse("").split(" ")) {
            if (!scope.isEmpty()) {
                if (!SCOPE.matcher(scope).matches() || scopes.size() >= MAX_SCOPES) {
                    web.json(x, 400, Map.of(), List.of(x.text("OAUTH_INVALID_SCOPE")), Map.of());
                    return;
                }
                scopes.add(scope);
            }
        }
        Optional<String> next = web.safeNext(x);
        redirectToProvider(x, client.get(), FlowState.Purpose.CONSENT, scopes, next, false,
                Optional.of(x.authentication().orElseThrow().user().id()));
    }

    /** {@code next} if safe; for JSON clients an unsafe one is an error (null: answered), for browsers dropped. */
    Optional<String> nextAllowed(WebToolkit web, Exchange x) {
        Optional<String> given = x.request().queryParam("next").or(() -> x.field("next")).filter(n -> !n.isEmpty());
        if (given.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> safe = web.safeRedirect(given.get());
        if (safe.isEmpty() && x.wantsJson()) {
            String message = x.text("INVALID_REDIRECT");
            web.json(x, 400, Map.of(), List.of(message), Map.of("next", List.of(message)));
            return null;
        }
        return safe;
    }

    private void redirectToProvider(Exchange x, OidcClient client, FlowState.Purpose purpose, Set<String> extraScopes,
            Optional<String> next, boolean remember, Optional<Long> userId) {
        String id = client.provider().id();
        AuthorizationStart start;
        try {
            start = client.authorize(redirectUri(id), extraScopes, Optional.empty(), Optional.empty());
        } catch (OidcException e) {
            // Typically discovery: the provider is down or misconfigured. Nothing started, nothing to clear.
            LOG.warn("Could not start a sign-in with provider {}: {}", id, e.error());
            fail(x, x.text("OAUTH_HANDSHAKE_ERROR", Map.of("provider", client.provider().displayName(),
                    "error", e.error().name().toLowerCase(Locale.ROOT))), purpose == FlowState.Purpose.LINK ? identitiesPage() : loginPage());
            return;
        }
        FlowState flow = new FlowState(id, purpose, start.secrets(), next, remember, userId, gatehouse.clock().instant());
        x.response().addHeader("Set-Cookie", flowCookie(flow.seal(sealer), FLOW_LIFETIME));
        toolkit.redirect(x, start.location().toString());
    }

    // ------------------------------------------------------------------ callback

    /** Flask-Security's {@code oauthresponse}: every outcome is a redirect for browsers (400 JSON otherwise). */
    private void callback(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        // Whatever happens next, the flow is over.
        response.addHeader("Set-Cookie", flowCookie("", Duration.ZERO));
        Optional<OidcClient> client = client(segment(request.path(), web.url(config.get(OAUTH_RESPONSE_URL))));
        if (client.isEmpty()) {
            notFound(x);
            return;
        }
        OidcProvider provider = client.get().provider();
        Optional<FlowState> flow = request.cookie(cookieName).flatMap(value -> FlowState.open(sealer, value));
        if (flow.isEmpty()) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "no flow cookie, or one that does not open", Optional.empty(), loginPage());
            return;
        }
        FlowState state = flow.get();
        String home = state.purpose() == FlowState.Purpose.LINK ? identitiesPage() : loginPage();
        Instant now = gatehouse.clock().instant();
        if (!state.providerId().equals(provider.id()) || now.isAfter(state.startedAt().plus(FLOW_LIFETIME))) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "flow of another provider, or expired", Optional.empty(), home);
            return;
        }
        String given = request.queryParam("state").orElse("");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                state.secrets().state().getBytes(StandardCharsets.UTF_8))) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "foreign state", Optional.empty(), home);
            return;
        }
        String marker = "once:oidc:" + Sha256.base64Url(state.secrets().state(), 32);
        if (gatehouse.counters().increment(marker, FLOW_LIFETIME.plus(TokenSigner.CLOCK_SKEW), now).hits() != 1) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "replayed state", Optional.empty(), home);
            return;
        }
        ProviderSignIn signIn;
        try {
            signIn = client.get().finish(callbackUri(request), state.secrets(), redirectUri(provider.id()));
        } catch (OidcException e) {
            LOG.info("Sign-in with provider {} failed: {} (client {})", provider.id(), e.error(), address(x));
            gatehouse.events().publish(new AccountEvent.AuthenticationFailed(
                    EventContext.anonymous(now, x.client()), "OIDC_" + e.error().name()));
            fail(x, x.text("OAUTH_HANDSHAKE_ERROR", Map.of("provider", provider.displayName(),
                    "error", e.error().name().toLowerCase(Locale.ROOT))), home);
            return;
        }
        switch (state.purpose()) {
            case SIGN_IN -> signIn(x, client.get(), state, signIn);
            case LINK -> linked(x, client.get(), state, signIn);
            case CONSENT -> consented(x, client.get(), state, signIn);
            case VERIFY -> verified(x, client.get(), state, signIn);
            default -> throw new IllegalStateException();
        }
    }

    private void signIn(Exchange x, OidcClient client, FlowState state, ProviderSignIn signIn) {
        completeSignIn(x, client.provider(), signIn, state.remember(), state.next());
    }

    /**
     * The end of every sign-in with a provider, whatever the grant (the code flow's callback, a
     * device-code poll): the account by {@link OidcAccounts}' rules, then an ordinary session
     * (remember-me, tracking, events), the provider's tokens kept with it, and the answer — a
     * redirect to {@code next} (or {@code post-login-view}), or 200 JSON with the location. A refusal
     * answers as the callback's: no session, flash and redirect to the login page, or 400 JSON.
     */
    void completeSignIn(Exchange x, OidcProvider provider, ProviderSignIn signIn, boolean remember,
            Optional<String> next) {
        WebToolkit web = toolkit;
        OidcAccounts.Outcome outcome = accounts.signIn(provider, signIn, x.client(), web.registrationRoles());
        if (outcome instanceof OidcAccounts.Refused refused) {
            refuse(x, provider, refused.messageKey(), refused.reason(), refused.userId(), loginPage());
            return;
        }
        User user = ((OidcAccounts.Accepted) outcome).user();
        web.login(x, user, remember, true);
        Authentication auth = x.authentication().orElseThrow();
        keepTokens(auth, provider.id(), signIn, remember);
        LOG.info("Signed in user {} with provider {} (client {})", user.id(), provider.id(), address(x));
        String target = next.flatMap(web::safeRedirect).orElse(config.get(POST_LOGIN_VIEW));
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("location", target, "csrf_token", web.csrfToken(x)));
        } else {
            web.redirect(x, target);
        }
    }

    private void linked(Exchange x, OidcClient client, FlowState state, ProviderSignIn signIn) {
        WebToolkit web = toolkit;
        OidcProvider provider = client.provider();
        Optional<Authentication> auth = web.authenticate(x).filter(a -> state.userId().equals(Optional.of(a.user().id())));
        if (auth.isEmpty()) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "link finished without the session that started it",
                    state.userId(), loginPage());
            return;
        }
        Optional<OidcAccounts.Refused> refused = accounts.link(provider, signIn, auth.get().user(), x.client());
        if (refused.isPresent()) {
            refuse(x, provider, refused.get().messageKey(), refused.get().reason(), state.userId(), identitiesPage());
            return;
        }
        keepTokens(auth.get(), provider.id(), signIn, false);
        LOG.info("Linked an identity of provider {} to user {}", provider.id(), auth.get().user().id());
        done(x, "OAUTH_LINKED", provider, identitiesPage());
    }

    private void consented(Exchange x, OidcClient client, FlowState state, ProviderSignIn signIn) {
        WebToolkit web = toolkit;
        OidcProvider provider = client.provider();
        Optional<Authentication> auth = web.authenticate(x).filter(a -> state.userId().equals(Optional.of(a.user().id())));
        if (auth.isEmpty()) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "consent finished without the session that started it",
                    state.userId(), loginPage());
            return;
        }
        // The new tokens must be the signed-in user's own: the identity must be linked to this account.
        Optional<ExternalIdentity> identity = gatehouse.externalIdentities().find(signIn.issuer(), signIn.subject());
        if (identity.isEmpty() || identity.get().userId() != auth.get().user().id()) {
            refuse(x, provider, "OAUTH_WRONG_ACCOUNT", "consent by another identity", state.userId(),
                    config.get(POST_LOGIN_VIEW));
            return;
        }
        keepTokens(auth.get(), provider.id(), signIn, false);
        String target = state.next().flatMap(web::safeRedirect).orElse(config.get(POST_LOGIN_VIEW));
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("location", target));
        } else {
            web.redirect(x, target);
        }
    }

    private void verified(Exchange x, OidcClient client, FlowState state, ProviderSignIn signIn) {
        WebToolkit web = toolkit;
        OidcProvider provider = client.provider();
        Optional<Authentication> auth = web.authenticate(x).filter(a -> state.userId().equals(Optional.of(a.user().id())));
        if (auth.isEmpty()) {
            refuse(x, provider, "OAUTH_STATE_INVALID", "verify finished without the session that started it",
                    state.userId(), loginPage());
            return;
        }
        Optional<ExternalIdentity> identity = gatehouse.externalIdentities().find(signIn.issuer(), signIn.subject());
        if (identity.isEmpty() || identity.get().userId() != auth.get().user().id()) {
            refuse(x, provider, "OAUTH_WRONG_ACCOUNT", "re-authentication by another identity", state.userId(),
                    web.url(config.get(VERIFY_URL)));
            return;
        }
        User user = auth.get().user();
        web.reauthenticated(x, user);
        gatehouse.externalIdentities().recordSignIn(signIn.issuer(), signIn.subject(), gatehouse.clock().instant());
        keepTokens(x.authentication().orElseThrow(), provider.id(), signIn, false);
        String target = state.next().flatMap(web::safeRedirect).orElse(config.get(POST_LOGIN_VIEW));
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("location", target, "csrf_token", web.csrfToken(x)));
        } else {
            web.flash(x, "success", x.text("REAUTHENTICATION_SUCCESSFUL_WITH", Map.of("provider", provider.displayName())));
            web.redirect(x, target);
        }
    }

    /** Keeps the provider's tokens with the sign-in, as long as it may last. */
    private void keepTokens(Authentication auth, String providerId, ProviderSignIn signIn, boolean remembered) {
        Optional<String> family = auth.familyId();
        if (family.isEmpty()) {
            return;
        }
        Duration lifetime = config.get(SESSION_ABSOLUTE_TIMEOUT);
        if (remembered && config.get(REMEMBER_COOKIE_DURATION).compareTo(lifetime) > 0) {
            lifetime = config.get(REMEMBER_COOKIE_DURATION);
        }
        tokens.put(family.get(), auth.user().id(), new SessionTokens.Held(providerId, signIn.issuer(), signIn.subject(),
                signIn.tokens()), gatehouse.clock().instant().plus(lifetime));
    }

    // ------------------------------------------------------------------ linked identities

    private void identitiesPage(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated())) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        Map<String, Object> model = identitiesModel(web, x, user);
        if (x.wantsJson()) {
            web.json(x, 200, model);
        } else {
            web.render(x, 200, "gatehouse/linked_identities", model);
        }
    }

    private Map<String, Object> identitiesModel(WebToolkit web, Exchange x, User user) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ExternalIdentity identity : gatehouse.externalIdentities().listForUser(user.id())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("provider", identity.provider());
            entry.put("display_name", Optional.ofNullable(clients.get(identity.provider()))
                    .map(c -> c.provider().displayName()).orElse(identity.provider()));
            entry.put("issuer", identity.issuer());
            entry.put("subject", identity.subject());
            entry.put("email", identity.email().orElse(""));
            entry.put("linked_at", identity.linkedAt().toString());
            identity.lastSignInAt().ifPresent(at -> entry.put("last_sign_in_at", at.toString()));
            listed.add(entry);
        }
        String identities = web.url(config.get(OAUTH_IDENTITIES_URL));
        List<Map<String, Object>> providers = new ArrayList<>();
        for (String id : order) {
            providers.add(Map.of("name", id, "display_name", clients.get(id).provider().displayName(),
                    "link_url", identities + "/" + id + "/link"));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("identities", listed);
        model.put("providers", providers);
        model.put("unlink_url", identities + "/unlink");
        model.put("csrf_token", web.csrfToken(x));
        return model;
    }

    private void unlink(WebRequest request, WebResponse response) {
        WebToolkit web = toolkit;
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated().within(config.get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String issuer = x.field("issuer").orElse("");
        String subject = x.field("subject").orElse("");
        List<ExternalIdentity> linked = gatehouse.externalIdentities().listForUser(user.id());
        Optional<ExternalIdentity> target = linked.stream()
                .filter(i -> i.issuer().equals(issuer) && i.subject().equals(subject)).findFirst();
        if (target.isEmpty()) {
            failHere(x, "OAUTH_IDENTITY_NOT_FOUND", Map.of());
            return;
        }
        // The account must keep a way in: a password, or another linked identity.
        if (user.passwordHash().isEmpty() && linked.size() <= 1) {
            failHere(x, "OAUTH_LAST_WAY_TO_SIGN_IN", Map.of());
            return;
        }
        gatehouse.externalIdentities().unlink(user.id(), issuer, subject);
        gatehouse.events().publish(new AccountEvent.ExternalIdentityUnlinked(
                EventContext.of(gatehouse.clock().instant(), user.id(), x.client()), target.get().provider(), issuer));
        LOG.info("User {} removed a linked identity of provider {}", user.id(), target.get().provider());
        String name = Optional.ofNullable(clients.get(target.get().provider())).map(c -> c.provider().displayName())
                .orElse(target.get().provider());
        if (x.wantsJson()) {
            web.json(x, 200, identitiesModel(web, x, user));
        } else {
            web.flash(x, "success", x.text("OAUTH_UNLINKED", Map.of("provider", name)));
            web.redirect(x, identitiesPage());
        }
    }

    private void failHere(Exchange x, String key, Map<String, ?> parameters) {
        String message = x.text(key, parameters);
        if (x.wantsJson()) {
            toolkit.json(x, 400, Map.of(), List.of(message), Map.of());
        } else {
            toolkit.flash(x, "error", message);
            toolkit.redirect(x, identitiesPage());
        }
    }

    // ------------------------------------------------------------------ access tokens

    /**
     * The access token the request's sign-in holds from its provider, granting every one of
     * {@code scopes}: refreshed first (with the refresh token) when it expires within 60 seconds.
     * For a handler calling a downstream API on the user's behalf:
     * <pre>{@code
     * String token = oidc.accessToken(ctx.with(GatehousePlugin.class).exchange(), "api://diary/read");
     * }</pre>
     *
     * @throws ConsentRequiredException if the provider has not granted all of {@code scopes}: send the
     *                                  browser to its {@code location()} (incremental consent)
     * @throws SignInRequiredException  if nobody is signed in, not with a provider, or the provider
     *                                  refused the refresh: send the browser to its {@code location()}
     * @throws OidcException            if the provider could not be reached or answered badly
     * @throws IllegalStateException    before the web layer has started this feature
     */
    public String accessToken(Exchange x, String... scopes) {
        WebToolkit web = toolkit;
        if (web == null) {
            throw new IllegalStateException("the OIDC feature is not mounted: add it with WebOptions.builder().feature(...)");
        }
        Set<String> wanted = new LinkedHashSet<>(Arrays.asList(scopes));
        String back = x.request().path() + x.request().queryString().map(q -> "?" + q).orElse("");
        Optional<Authentication> auth = x.authentication().or(() -> web.authenticate(x));
        Optional<String> family = auth.flatMap(Authentication::familyId);
        Optional<SessionTokens.Held> held = Optional.empty();
        if (family.isPresent()) {
            for (String id : order) {
                held = tokens.find(family.get(), id);
                if (held.isPresent()) {
                    break;
                }
            }
        }
        if (held.isEmpty()) {
            throw new SignInRequiredException(signInUrl(web, back), "no provider tokens for this request's sign-in");
        }
        SessionTokens.Held current = held.get();
        OidcClient client = clients.get(current.providerId());
        if (!current.tokens().grants(wanted)) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(current.tokens().scopes());
            throw new ConsentRequiredException(web.url(config.get(OAUTH_START_URL)) + "/" + current.providerId()
                    + "/consent?scope=" + encode(String.join(" ", wanted)) + "&next=" + encode(back), missing);
        }
        if (current.tokens().expiresAt().isAfter(tokenClock.instant().plus(REFRESH_MARGIN))) {
            return current.tokens().accessToken();
        }
        if (current.tokens().refreshToken().isEmpty()) {
            throw new SignInRequiredException(signInUrl(web, back), "the provider's token expired and there is no refresh token");
        }
        ProviderTokens refreshed;
        try {
            refreshed = client.refresh(current.tokens().refreshToken().get(), current.tokens().scopes());
        } catch (OidcException e) {
            if (e.error() == OidcError.REAUTHENTICATE) {
                LOG.info("Provider {} refused the refresh token of user {}: sign-in required", current.providerId(),
                        auth.get().user().id());
                gatehouse.sessionData().delete(family.get(), SessionTokens.name(current.providerId()));
                throw new SignInRequiredException(signInUrl(web, back), "the provider refused the refresh token");
            }
            throw e;
        }
        // A refresh answer may leave out what did not change.
        ProviderTokens merged = new ProviderTokens(refreshed.accessToken(),
                refreshed.refreshToken().or(() -> current.tokens().refreshToken()),
                refreshed.idToken().or(() -> current.tokens().idToken()), refreshed.expiresAt(),
                refreshed.scopes().isEmpty() ? current.tokens().scopes() : refreshed.scopes());
        Instant keepUntil = gatehouse.sessionData().find(family.get(), SessionTokens.name(current.providerId()))
                .map(d -> d.expiresAt()).orElse(gatehouse.clock().instant().plus(config.get(SESSION_ABSOLUTE_TIMEOUT)));
        tokens.put(family.get(), auth.get().user().id(), new SessionTokens.Held(current.providerId(), current.issuer(),
                current.subject(), merged), keepUntil);
        return merged.accessToken();
    }

    // ------------------------------------------------------------------ logout

    /**
     * Deletes the provider tokens kept with the ending sign-in and, when it was made with a provider
     * that has an {@code end_session_endpoint}, sends the browser there with {@code id_token_hint}
     * and {@code post_logout_redirect_uri} ({@code oauth-post-logout-url}).
     */
    @Override
    public Optional<String> onLogout(Exchange x, Authentication ending) {
        Optional<String> family = ending.familyId();
        if (family.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> location = Optional.empty();
        for (String id : order) {
            Optional<SessionTokens.Held> held = tokens.find(family.get(), id);
            if (location.isEmpty() && held.isPresent() && held.get().tokens().idToken().isPresent()) {
                location = clients.get(id).logoutUri(held.get().tokens().idToken(), postLogoutUri(), Optional.empty())
                        .map(URI::toString);
            }
        }
        tokens.deleteFamily(family.get());
        return location;
    }

    private URI postLogoutUri() {
        return URI.create(config.get(OAUTH_POST_LOGOUT_URL).orElseGet(() -> config.get(EXTERNAL_URL).orElseThrow()
                + config.get(POST_LOGOUT_VIEW)));
    }

    // ------------------------------------------------------------------ shared

    Optional<OidcClient> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /** The path segment after {@code base}, e.g. the provider id of {@code /login/oauthresponse/keycloak}. */
    static String segment(String path, String base) {
        if (!path.startsWith(base + "/")) {
            return "";
        }
        String rest = path.substring(base.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private URI redirectUri(String providerId) {
        return URI.create(config.get(EXTERNAL_URL).orElseThrow() + toolkit.url(config.get(OAUTH_RESPONSE_URL)) + "/" + providerId);
    }

    /** The URL the browser came back to, as the provider sent it (the site's external URL, not the Host header). */
    private URI callbackUri(WebRequest request) {
        return URI.create(config.get(EXTERNAL_URL).orElseThrow() + request.path()
                + request.queryString().map(q -> "?" + q).orElse(""));
    }

    private String flowCookie(String value, Duration maxAge) {
        return cookieName + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path="
                + toolkit.url(config.get(OAUTH_RESPONSE_URL)) + "; HttpOnly; SameSite=Lax"
                + (config.get(COOKIE_SECURE) ? "; Secure" : "");
    }

    String loginPage() {
        return toolkit.url(config.get(LOGIN_URL));
    }

    private String identitiesPage() {
        return toolkit.url(config.get(OAUTH_IDENTITIES_URL));
    }

    private String signInUrl(WebToolkit web, String back) {
        return web.url(config.get(LOGIN_URL)) + "?next=" + encode(back);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String address(Exchange x) {
        return x.client().ip().orElse("unknown");
    }

    void notFound(Exchange x) {
        if (x.wantsJson()) {
            toolkit.json(x, 404, Map.of(), List.of(x.text("OAUTH_UNKNOWN_PROVIDER")), Map.of());
        } else {
            toolkit.render(x, 404, "gatehouse/error", Map.of("message", x.text("OAUTH_UNKNOWN_PROVIDER")));
        }
    }

    /** A refused callback: no session; logged without secrets; flash and redirect, or 400 JSON. */
    private void refuse(Exchange x, OidcProvider provider, String messageKey, String reason, Optional<Long> userId,
            String back) {
        LOG.info("Sign-in with provider {} refused: {} (user {}, client {})", provider.id(), reason,
                userId.map(String::valueOf).orElse("none"), address(x));
        fail(x, x.text(messageKey, Map.of("provider", provider.displayName())), back);
    }

    private void fail(Exchange x, String message, String back) {
        if (x.wantsJson()) {
            toolkit.json(x, 400, Map.of(), List.of(message), Map.of());
        } else {
            toolkit.flash(x, "error", message);
            toolkit.redirect(x, back);
        }
    }

    private void done(Exchange x, String messageKey, OidcProvider provider, String back) {
        String message = x.text(messageKey, Map.of("provider", provider.displayName()));
        if (x.wantsJson()) {
            toolkit.json(x, 200, Map.of("message", message));
        } else {
            toolkit.flash(x, "success", message);
            toolkit.redirect(x, back);
        }
    }
}
