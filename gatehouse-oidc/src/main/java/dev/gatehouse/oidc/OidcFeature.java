package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.URL_PREFIX;
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
import dev.gatehouse.session.Authentication;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.PageLinks;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    private final GatehouseConfig config;
    /** What the parts share; handed down, never handed back up. */
    private final OidcContext ctx;
    private final ProviderSessions sessions;
    private final SignInEndpoints signIn;
    private final IdentityEndpoints identities;
    /** The device-code grant's endpoints ({@code oauth-device-enabled}). */
    private final DeviceEndpoints device;

    private OidcFeature(Gatehouse gatehouse, List<OidcClient> all, Clock clock) {
        this.config = gatehouse.config();
        this.ctx = new OidcContext(gatehouse, all, clock);
        ProviderFlows flows = new ProviderFlows(ctx);
        this.sessions = new ProviderSessions(ctx);
        this.signIn = new SignInEndpoints(ctx, flows, sessions);
        this.identities = new IdentityEndpoints(ctx, flows);
        this.device = new DeviceEndpoints(ctx, sessions);
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
        return !ctx.order().isEmpty();
    }

    /**
     * {@code urls.external_sign_in}: one entry per provider ({@code id}, {@code name}, {@code action})
     * for the login page's buttons; {@code urls.linked_identities}: the account page.
     */
    @Override
    public void links(GatehouseConfig config, PageLinks links) {
        String prefix = config.get(URL_PREFIX).orElse("");
        links.value("external_sign_in", buttons(prefix + config.get(OAUTH_START_URL)));
        links.value("external_verify", buttons(prefix + config.get(OAUTH_VERIFY_START_URL)));
        links.path("linked_identities", config.get(OAUTH_IDENTITIES_URL));
    }

    /** A button per provider, in the configured order, posting to {@code base/<id>}. */
    private List<Map<String, String>> buttons(String base) {
        List<Map<String, String>> buttons = new ArrayList<>();
        for (String id : ctx.order()) {
            buttons.add(Map.of("id", id, "name", ctx.displayName(id), "action", base + "/" + id));
        }
        return List.copyOf(buttons);
    }

    /** The providers' origins (their issuers'), where the start buttons' form posts are redirected. */
    @Override
    public List<String> formTargets(GatehouseConfig config) {
        List<String> origins = new ArrayList<>();
        for (String id : ctx.order()) {
            URI issuer = ctx.client(id).orElseThrow().provider().issuer();
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
        ctx.mount(web);
        List<WebRoute> routes = new ArrayList<>(signIn.routes());
        routes.addAll(identities.routes());
        if (config.get(OAUTH_DEVICE_ENABLED)) {
            routes.addAll(device.routes());
        }
        return List.copyOf(routes);
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
        return sessions.accessToken(x, scopes);
    }

    // ------------------------------------------------------------------ logout

    /**
     * Deletes the provider tokens kept with the ending sign-in and, when it was made with a provider
     * that has an {@code end_session_endpoint}, sends the browser there with {@code id_token_hint}
     * and {@code post_logout_redirect_uri} ({@code oauth-post-logout-url}).
     */
    @Override
    public Optional<String> onLogout(Exchange x, Authentication ending) {
        return sessions.logout(ending);
    }
}
