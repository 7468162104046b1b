package dev.gatehouse.web;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.Authentication;
import dev.gatehouse.auth.Mechanism;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Gatehouse's HTTP protocol, written once for every web framework: authenticating requests,
 * enforcing {@link AccessRule}s, CSRF protection, cookies, and the endpoints of Flask-Security's
 * JSON API (login, logout, verify, refresh-token). A framework adapter wraps its request and
 * response in {@link WebRequest}/{@link WebResponse}, mounts {@link #routes()}, and calls
 * {@link #enforce} before each protected handler.
 *
 * <p>Per request, authentication runs at most once and caches its result in a request attribute;
 * {@link #currentUser} afterwards costs a lookup. Thread-safe; one instance per application.
 */
public final class GatehouseWeb {

    static final String CSRF_PURPOSE = "csrf";

    final Gatehouse gatehouse;
    final GatehouseConfig config;
    final WebOptions options;
    final Cookies cookies;
    final RedirectPolicy redirects;
    final int trustedProxies;
    final Set<Mechanism> defaultMechanisms;
    private final Set<Mechanism> csrfMechanisms;
    private final BasicCredentials basic;
    private final SessionEndpoints endpoints;

    public GatehouseWeb(Gatehouse gatehouse) {
        this(gatehouse, WebOptions.defaults());
    }

    public GatehouseWeb(Gatehouse gatehouse, WebOptions options) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        this.options = Objects.requireNonNull(options, "options");
        this.config = gatehouse.config();
        this.cookies = new Cookies(config.cookieSecure(), config.csrfCookieName());
        this.redirects = new RedirectPolicy(Set.copyOf(config.redirectAllowedHosts()));
        this.trustedProxies = config.trustedProxyCount();
        Set<Mechanism> defaults = Mechanism.fromSettingNames(config.apiEnabledMethods());
        this.defaultMechanisms = defaults.isEmpty() ? EnumSet.of(Mechanism.TOKEN, Mechanism.SESSION) : defaults;
        this.csrfMechanisms = Mechanism.fromSettingNames(config.csrfProtectMechanisms());
        this.basic = new BasicCredentials(gatehouse);
        this.endpoints = new SessionEndpoints(this);
    }

    /** The Gatehouse this web layer serves. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The endpoints to mount, with the configured paths. */
    public List<WebRoute> routes() {
        return endpoints.routes();
    }

    /**
     * Applies a rule before a handler runs: authenticates (token, session, basic — as the rule
     * allows), then checks freshness, roles and permissions, then CSRF for unsafe methods on
     * cookie- or Basic-authenticated requests. On failure writes the response (401, 403, 400 or
     * a redirect) and returns {@code false}; the adapter must then skip the handler. {@code OPTIONS}
     * requests (CORS preflight) always pass.
     */
    public boolean enforce(WebRequest request, WebResponse response, AccessRule rule) {
        if (request.method().equals("OPTIONS")) {
            return true;
        }
        Exchange x = Exchange.of(this, request, response);
        Set<Mechanism> allowed = rule.mechanisms().isEmpty() ? defaultMechanisms : rule.mechanisms();
        Optional<Authentication> authentication = authenticate(x, allowed);
        if (authentication.isEmpty()) {
            deny(x, Denial.Reason.UNAUTHENTICATED, allowed, AnonymousUser.INSTANCE);
            return false;
        }
        Authentication auth = authentication.get();
        if (rule.freshWithin().isPresent() && !auth.isFreshWithin(rule.freshWithin().get(), gatehouse.clock().instant())) {
            deny(x, Denial.Reason.REAUTHENTICATION_REQUIRED, allowed, auth.user());
            return false;
        }
        if (!rule.isAuthorized(auth.user())) {
            deny(x, Denial.Reason.UNAUTHORIZED, allowed, auth.user());
            return false;
        }
        if (isUnsafe(request.method()) && csrfMechanisms.contains(auth.mechanism()) && !csrfValid(x)) {
            csrfFailure(x);
            return false;
        }
        return true;
    }

    /**
     * The user making the request, or the anonymous user; never null. Authenticates with the
     * default mechanisms if nothing has yet in this request.
     */
    public Identity currentUser(WebRequest request, WebResponse response) {
        return authentication(request, response).<Identity>map(Authentication::user).orElse(AnonymousUser.INSTANCE);
    }

    /** How the request authenticated, if it did; see {@link #currentUser}. */
    public Optional<Authentication> authentication(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(this, request, response);
        return x.authentication != null ? x.authentication : authenticate(x, defaultMechanisms);
    }

    /**
     * Signs {@code user} in on this response: a new session (new id: no session fixation), and a
     * remember-me cookie if asked; records the sign-in when {@code trackable} is on. Flask-Security's
     * {@code login_user}.
     *
     * @param rememberFor lifetime of the remember-me cookie; empty for {@code remember-cookie-duration}
     * @param fresh       whether this counts as a recent proof of identity
     */
    public void login(WebRequest request, WebResponse response, User user, boolean remember,
            Optional<Duration> rememberFor, boolean fresh) {
        Exchange x = Exchange.of(this, request, response);
        endCurrentSession(x);
        user = gatehouse.signIn().recordSignIn(user, x.client());
        IssuedSession issued = fresh
                ? gatehouse.sessions().start(user, remember, rememberFor, x.client())
                : gatehouse.sessions().startStale(user, remember, rememberFor, x.client());
        setSessionCookies(x, issued, rememberFor);
        x.authentication = Optional.of(new Authentication(user, Mechanism.SESSION, issued.record().authenticatedAt(),
                Optional.of(issued.record())));
        x.authenticatedWith = EnumSet.allOf(Mechanism.class);
    }

    /** Ends the request's session and remember-me grant and clears their cookies. */
    public void logout(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(this, request, response);
        endCurrentSession(x);
        // The readable CSRF cookie names a token of the ended session: useless, but tidy it away.
        cookies.readableCsrf.filter(name -> request.cookie(name).isPresent())
                .ifPresent(name -> response.addHeader("Set-Cookie", cookies.expired(name)));
        x.authentication = Optional.empty();
        x.authenticatedWith = EnumSet.allOf(Mechanism.class);
    }

    /**
     * The CSRF token for this client: bound to its session when signed in, else to an anonymous
     * nonce cookie (set on the response if missing), so that even the login form is protected.
     */
    public String csrfToken(WebRequest request, WebResponse response) {
        return csrfToken(Exchange.of(this, request, response));
    }

    // ------------------------------------------------------------------ authentication

    Optional<Authentication> authenticate(Exchange x, Set<Mechanism> allowed) {
        if (x.authentication != null) {
            if (x.authenticatedWith.equals(allowed)
                    || x.authentication.isPresent() && allowed.contains(x.authentication.get().mechanism())) {
                return x.authentication;
            }
        }
        Optional<Authentication> result = Optional.empty();
        if (allowed.contains(Mechanism.TOKEN)) {
            result = presentedToken(x).flatMap(gatehouse.authTokens()::authenticate);
        }
        if (result.isEmpty() && allowed.contains(Mechanism.SESSION)) {
            result = sessionAuthentication(x);
        }
        if (result.isEmpty() && allowed.contains(Mechanism.BASIC)) {
            result = x.request.header("Authorization").flatMap(basic::authenticate);
        }
        x.authentication = result;
        x.authenticatedWith = allowed;
        return result;
    }

    private Optional<String> presentedToken(Exchange x) {
        Optional<String> token = x.request.header(config.tokenAuthenticationHeader());
        if (token.isEmpty()) {
            token = x.request.queryParam(config.tokenAuthenticationKey());
        }
        if (token.isEmpty() && isUnsafe(x.request.method())
                && ContentNegotiation.isJson(x.request.header("Content-Type").orElse(""))) {
            token = x.fields().text(config.tokenAuthenticationKey());
        }
        return token.filter(t -> !t.isEmpty());
    }

    private Optional<Authentication> sessionAuthentication(Exchange x) {
        Optional<String> sessionCookie = x.request.cookie(cookies.session);
        if (sessionCookie.isPresent()) {
            Optional<Authentication> resumed = gatehouse.sessions().resume(sessionCookie.get());
            if (resumed.isPresent()) {
                return resumed;
            }
        }
        Optional<String> rememberCookie = x.request.cookie(cookies.remember);
        if (rememberCookie.isEmpty()) {
            return Optional.empty();
        }
        Optional<IssuedSession> restored = gatehouse.sessions().restore(rememberCookie.get(), x.client());
        if (restored.isEmpty()) {
            if (x.response != null) {
                x.response.addHeader("Set-Cookie", cookies.expired(cookies.remember));
            }
            return Optional.empty();
        }
        IssuedSession issued = restored.get();
        if (x.response != null) {
            x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        }
        return gatehouse.sessions().resume(issued.secret());
    }

    private void setSessionCookies(Exchange x, IssuedSession issued, Optional<Duration> rememberFor) {
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        issued.rememberSecret().ifPresent(secret -> x.response.addHeader("Set-Cookie",
                cookies.persistentCookie(cookies.remember, secret, rememberFor.orElse(config.rememberCookieDuration()))));
    }

    /** Replaces the session after a re-authentication, keeping the remember-me grant. */
    void renewSession(Exchange x, SessionRecord old, User user) {
        IssuedSession issued = gatehouse.sessions().renew(old, user, x.client());
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        x.authentication = Optional.of(new Authentication(user, Mechanism.SESSION, issued.record().authenticatedAt(),
                Optional.of(issued.record())));
    }

    private void endCurrentSession(Exchange x) {
        Optional<Authentication> current = x.authentication != null ? x.authentication : sessionAuthentication(x);
        // A request authenticated otherwise (by token) may still carry a session cookie, which is
        // cleared below: its session must end too, or a copy of the cookie keeps working.
        Optional<SessionRecord> ended = current.flatMap(Authentication::session)
                .or(() -> x.request.cookie(cookies.session).flatMap(gatehouse.sessions()::resume).flatMap(Authentication::session));
        ended.ifPresent(gatehouse.sessions()::end);
        x.request.cookie(cookies.remember).ifPresent(gatehouse.sessions()::endRemembered);
        // A session restored from the remember-me cookie in this request already set a session
        // cookie on the response, though the request sent none: clear that one too.
        if (ended.isPresent() || x.request.cookie(cookies.session).isPresent()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.session));
        }
        if (x.request.cookie(cookies.remember).isPresent()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.remember));
        }
    }

    // ------------------------------------------------------------------ CSRF

    static boolean isUnsafe(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"));
    }

    String csrfToken(Exchange x) {
        String binding = csrfBinding(x).orElseGet(() -> {
            String nonce = OneTimeSecret.generate().value();
            x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.csrfNonce, nonce));
            return "anonymous:" + nonce;
        });
        String token = gatehouse.tokens().mac(CSRF_PURPOSE, binding);
        cookies.readableCsrf.ifPresent(name -> x.response.addHeader("Set-Cookie", cookies.readableCookie(name, token)));
        return token;
    }

    /** What the CSRF token is bound to: the session's family when signed in by session, else the nonce cookie. */
    private Optional<String> csrfBinding(Exchange x) {
        Optional<SessionRecord> session = x.authentication == null ? Optional.empty()
                : x.authentication.flatMap(Authentication::session);
        if (session.isPresent()) {
            return Optional.of("session:" + session.get().familyId());
        }
        return x.request.cookie(cookies.csrfNonce).filter(n -> n.length() <= 128).map(n -> "anonymous:" + n);
    }

    boolean csrfValid(Exchange x) {
        Optional<String> binding = csrfBinding(x);
        if (binding.isEmpty()) {
            return false;
        }
        Optional<String> presented = x.request.header("X-CSRF-Token")
                .or(() -> x.request.header("X-CSRFToken"))
                .or(() -> x.request.header("X-XSRF-Token"))
                .or(() -> x.fields().text("csrf_token"));
        return presented.isPresent() && gatehouse.tokens().verifyMac(CSRF_PURPOSE, binding.get(), presented.get());
    }

    /**
     * Whether a browser says the request comes from another origin: by Fetch Metadata
     * ({@code Sec-Fetch-Site}) where sent, else by comparing {@code Origin} with {@code Host}.
     * Requests with neither header are not from a current browser and count as same-origin.
     */
    static boolean isCrossOrigin(WebRequest request) {
        Optional<String> site = request.header("Sec-Fetch-Site");
        if (site.isPresent()) {
            return !(site.get().equals("same-origin") || site.get().equals("none"));
        }
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty()) {
            return false;
        }
        int scheme = origin.get().indexOf("://");
        Optional<String> host = request.header("Host");
        return scheme < 0 || host.isEmpty() || !origin.get().substring(scheme + 3).equalsIgnoreCase(host.get());
    }

    void csrfFailure(Exchange x) {
        boolean missing = x.request.header("X-CSRF-Token").isEmpty() && x.request.header("X-CSRFToken").isEmpty()
                && x.request.header("X-XSRF-Token").isEmpty() && !x.fields().has("csrf_token");
        String message = options.messages.get(missing ? "CSRF_MISSING" : "CSRF_INVALID");
        if (x.wantsJson()) {
            json(x, 400, Map.of(), List.of(message), Map.of("csrf_token", List.of(message)));
        } else {
            page(x, 400, "error", Map.of("title", "Bad request", "message", message));
        }
    }

    // ------------------------------------------------------------------ denials

    private void deny(Exchange x, Denial.Reason reason, Set<Mechanism> allowed, Identity identity) {
        Denial denial = new Denial(reason, x.wantsJson(), allowed, identity, () -> defaultDenial(x, reason, allowed));
        if (options.denialHandler.isPresent()) {
            options.denialHandler.get().handle(denial, x.request, x.response);
        } else {
            denial.respondWithDefault();
        }
    }

    private void defaultDenial(Exchange x, Denial.Reason reason, Set<Mechanism> allowed) {
        switch (reason) {
            case UNAUTHENTICATED -> {
                if (allowed.contains(Mechanism.BASIC)) {
                    x.response.header("WWW-Authenticate", "Basic realm=\"" + config.httpAuthRealm() + "\"");
                }
                if (x.wantsJson() || allowed.contains(Mechanism.BASIC)) {
                    jsonOrPage(x, 401, "UNAUTHENTICATED", Map.of());
                } else {
                    redirect(x, withNext(url(config.loginUrl()), x.request));
                }
            }
            case REAUTHENTICATION_REQUIRED -> {
                if (x.wantsJson()) {
                    jsonOrPage(x, 401, "REAUTHENTICATION_REQUIRED", Map.of("reauth_required", true));
                } else {
                    redirect(x, withNext(url(config.verifyUrl()), x.request));
                }
            }
            case UNAUTHORIZED -> {
                if (!x.wantsJson() && config.unauthorizedView().isPresent()) {
                    redirect(x, config.unauthorizedView().get());
                } else {
                    jsonOrPage(x, 403, "UNAUTHORIZED", Map.of());
                }
            }
        }
    }

    private void jsonOrPage(Exchange x, int status, String messageKey, Map<String, ?> extra) {
        String message = options.messages.get(messageKey);
        if (x.wantsJson()) {
            json(x, status, extra, List.of(message), Map.of());
        } else {
            page(x, status, "error", Map.of("title", status == 403 ? "Forbidden" : "Unauthorized", "message", message));
        }
    }

    // ------------------------------------------------------------------ responses

    /** A configured path with the optional {@code url-prefix}. */
    String url(String path) {
        return config.urlPrefix().map(prefix -> prefix + path).orElse(path);
    }

    static String withNext(String url, WebRequest request) {
        String target = request.path() + request.queryString().map(q -> "?" + q).orElse("");
        return url + (url.indexOf('?') < 0 ? "?" : "&") + "next=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    }

    void redirect(Exchange x, String location) {
        x.response.status(302);
        x.response.header("Location", location);
        x.response.header("Cache-Control", "no-store");
    }

    void json(Exchange x, int status, Map<String, ?> response) {
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.body("application/json", Json.envelope(status, response));
    }

    void json(Exchange x, int status, Map<String, ?> extra, List<String> errors, Map<String, List<String>> fieldErrors) {
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.body("application/json", Json.errors(status, errors, fieldErrors, extra));
    }

    void page(Exchange x, int status, String page, Map<String, Object> model) {
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.body("text/html; charset=utf-8", options.pages.render(page, model));
    }

    /** The JSON description of a user: the configured payload, plus tokens when asked for. */
    Map<String, Object> userPayload(User user) {
        return new LinkedHashMap<>(options.userPayload.apply(user));
    }
}
