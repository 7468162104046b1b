package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_NAME_PREFIX;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.DEFAULT_REMEMBER_ME;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_IDENTITIES_URL;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebToolkit;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one {@link OidcFeature} share: Gatehouse, the providers' clients in their
 * configured order, the sealer, the kept tokens, the account rules, the providers' clock and, once
 * the web layer has built the routes, its {@link WebToolkit}; and the answers every part gives alike.
 * Handed down to the endpoint groups, as gatehouse-web hands its toolkit, so that none of them
 * reaches back up into the feature. Thread-safe.
 */
final class OidcContext {

    private static final Logger LOG = LoggerFactory.getLogger(OidcContext.class);

    final Gatehouse gatehouse;
    final GatehouseConfig config;
    /** The clock of the providers' answers (a token's or a device code's expiry is given by it). */
    final Clock tokenClock;
    final ValueSealer sealer;
    final SessionTokens tokens;
    final OidcAccounts accounts;
    private final Map<String, OidcClient> clients;
    /** Provider ids in the order they were configured (the order of the buttons). */
    private final List<String> order;
    /** Set when the web layer builds the routes. */
    private volatile WebToolkit toolkit;

    /** @throws IllegalArgumentException if two clients' providers share an id */
    OidcContext(Gatehouse gatehouse, List<OidcClient> all, Clock tokenClock) {
        Map<String, OidcClient> byId = new LinkedHashMap<>();
        for (OidcClient client : all) {
            if (byId.putIfAbsent(client.provider().id(), client) != null) {
                throw new IllegalArgumentException("two providers have the id " + client.provider().id());
            }
        }
        this.clients = Map.copyOf(byId);
        this.order = List.copyOf(byId.keySet());
        this.gatehouse = gatehouse;
        this.config = gatehouse.config();
        this.tokenClock = tokenClock;
        this.sealer = ValueSealer.create(config);
        this.tokens = new SessionTokens(gatehouse.sessionData(), sealer);
        this.accounts = new OidcAccounts(gatehouse);
    }

    void mount(WebToolkit web) {
        this.toolkit = web;
    }

    /** @throws IllegalStateException before the web layer has built the routes */
    WebToolkit web() {
        WebToolkit web = toolkit;
        if (web == null) {
            throw new IllegalStateException("the OIDC feature is not mounted: add it with WebOptions.builder().feature(...)");
        }
        return web;
    }

    // ------------------------------------------------------------------ providers

    /** Provider ids in the order they were configured. */
    List<String> order() {
        return order;
    }

    Optional<OidcClient> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /** The provider's display name; its id if it is no longer configured. */
    String displayName(String providerId) {
        return client(providerId).map(c -> c.provider().displayName()).orElse(providerId);
    }

    /**
     * The provider named by the path segment after {@code base}, for a path that ends in {@code suffix}
     * ({@code /link} of {@code /oauth-identities/keycloak/link}; empty for none).
     */
    Optional<OidcClient> clientAt(String path, String base, String suffix) {
        if (!path.endsWith(suffix)) {
            return Optional.empty();
        }
        String head = path.substring(0, path.length() - suffix.length());
        if (!head.startsWith(base + "/")) {
            return Optional.empty();
        }
        String rest = head.substring(base.length() + 1);
        int slash = rest.indexOf('/');
        return client(slash < 0 ? rest : rest.substring(0, slash));
    }

    // ------------------------------------------------------------------ places

    String loginPage() {
        return web().url(config.get(LOGIN_URL));
    }

    String identitiesPage() {
        return web().url(config.get(OAUTH_IDENTITIES_URL));
    }

    /** A path-scoped, HttpOnly, SameSite=Lax cookie ({@code Secure} as the site's cookies are). */
    String cookie(String name, String value, Duration maxAge, String path) {
        return name + "=" + value + "; Max-Age=" + maxAge.toSeconds() + "; Path=" + path + "; HttpOnly; SameSite=Lax"
                + (config.get(COOKIE_SECURE) ? "; Secure" : "");
    }

    /**
     * The name of one of this feature's cookies, {@code <cookie-name-prefix>_<suffix>} as the web layer's
     * are (so two applications on one host keep theirs apart), with the {@code __Secure-} prefix when
     * cookies are secure: {@code __Host-} would demand {@code Path=/}, and these are scoped to their paths.
     */
    String cookieName(String suffix) {
        return (config.get(COOKIE_SECURE) ? "__Secure-" : "") + config.get(COOKIE_NAME_PREFIX) + "_" + suffix;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String address(Exchange x) {
        return x.client().ip().orElse("unknown");
    }

    // ------------------------------------------------------------------ requests

    /** {@code next} if safe; for JSON clients an unsafe one is an error (null: answered), for browsers dropped. */
    Optional<String> nextAllowed(Exchange x) {
        WebToolkit web = web();
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

    /**
     * As Flask-Security's {@code oauthstart}: nobody signed in (else 400 JSON, or the post-login view
     * without {@code next}, which could loop), and the login CSRF token. Answered when {@code false}.
     */
    boolean anonymousWithCsrf(Exchange x) {
        WebToolkit web = web();
        if (web.authenticate(x).isPresent()) {
            if (x.wantsJson()) {
                web.json(x, 400, Map.of(), List.of(x.text("ANONYMOUS_USER_REQUIRED")), Map.of());
            } else {
                web.redirect(x, config.get(POST_LOGIN_VIEW));
            }
            return false;
        }
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return false;
        }
        return true;
    }

    /** An anonymous sign-in's start, read from the request: the provider, a safe {@code next}, remember-me. */
    record SignInStart(OidcClient client, Optional<String> next, boolean remember) {
    }

    /**
     * Reads the start of a sign-in with the provider named after {@code base} (the code flow's or the
     * device grant's): 404 for an unknown provider, then as {@link #anonymousWithCsrf} and
     * {@link #nextAllowed}; {@code remember} as for a password sign-in. Empty when answered.
     */
    Optional<SignInStart> anonymousStart(Exchange x, String base) {
        Optional<OidcClient> client = clientAt(x.request().path(), base, "");
        if (client.isEmpty()) {
            notFound(x);
            return Optional.empty();
        }
        if (!anonymousWithCsrf(x)) {
            return Optional.empty();
        }
        Optional<String> next = nextAllowed(x);
        if (next == null) {
            return Optional.empty();
        }
        return Optional.of(new SignInStart(client.get(), next, x.flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME))));
    }

    // ------------------------------------------------------------------ answers

    void notFound(Exchange x) {
        WebToolkit web = web();
        if (x.wantsJson()) {
            web.json(x, 404, Map.of(), List.of(x.text("OAUTH_UNKNOWN_PROVIDER")), Map.of());
        } else {
            web.render(x, 404, "gatehouse/error", Map.of("message", x.text("OAUTH_UNKNOWN_PROVIDER")));
        }
    }

    /** A refused sign-in: no session; logged without secrets; flash and redirect, or 400 JSON. */
    void refuse(Exchange x, OidcProvider provider, String messageKey, String reason, Optional<Long> userId, String back) {
        LOG.info("Sign-in with provider {} refused: {} (user {}, client {})", provider.id(), reason,
                userId.map(String::valueOf).orElse("none"), address(x));
        fail(x, x.text(messageKey, Map.of("provider", provider.displayName())), back);
    }

    void fail(Exchange x, String message, String back) {
        fail(x, 400, Map.of(), message, back);
    }

    /** {@code status} JSON with {@code extra} and the message as its error, or a flash and a redirect to {@code back}. */
    void fail(Exchange x, int status, Map<String, ?> extra, String message, String back) {
        WebToolkit web = web();
        if (x.wantsJson()) {
            web.json(x, status, extra, List.of(message), Map.of());
        } else {
            web.flash(x, "error", message);
            web.redirect(x, back);
        }
    }

    /** A success: 200 JSON with the message, or a flash and a redirect to {@code back}. */
    void done(Exchange x, String message, String back) {
        WebToolkit web = web();
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("message", message));
        } else {
            web.flash(x, "success", message);
            web.redirect(x, back);
        }
    }

    /**
     * On to {@code next} if safe, else {@code post-login-view}: 200 JSON with the {@code location} (and
     * the new {@code csrf_token} after a sign-in), or a redirect, with a success flash if given.
     */
    void proceed(Exchange x, Optional<String> next, boolean withCsrf, Optional<String> success) {
        WebToolkit web = web();
        String target = next.flatMap(web::safeRedirect).orElse(config.get(POST_LOGIN_VIEW));
        if (x.wantsJson()) {
            web.json(x, 200, withCsrf ? Map.of("location", target, "csrf_token", web.csrfToken(x)) : Map.of("location", target));
        } else {
            success.ifPresent(message -> web.flash(x, "success", message));
            web.redirect(x, target);
        }
    }

    /** "Could not sign in with ...": the provider could not be reached or answered badly. */
    static String handshakeError(Exchange x, OidcProvider provider, OidcException e) {
        return x.text("OAUTH_HANDSHAKE_ERROR", Map.of("provider", provider.displayName(),
                "error", e.error().name().toLowerCase(Locale.ROOT)));
    }
}
