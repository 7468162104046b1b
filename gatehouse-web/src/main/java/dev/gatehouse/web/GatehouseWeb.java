package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.API_ENABLED_METHODS;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_URL;
import static dev.gatehouse.config.Settings.CHANGE_URL;
import static dev.gatehouse.config.Settings.CHANGE_USERNAME_URL;
import static dev.gatehouse.config.Settings.CONFIRM_URL;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.CSRF_COOKIE_NAME;
import static dev.gatehouse.config.Settings.CSRF_PROTECT_MECHANISMS;
import static dev.gatehouse.config.Settings.DEFAULT_LOCALE;
import static dev.gatehouse.config.Settings.HSTS_INCLUDE_SUBDOMAINS;
import static dev.gatehouse.config.Settings.HSTS_MAX_AGE;
import static dev.gatehouse.config.Settings.HTTP_AUTH_REALM;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.LOGOUT_METHODS;
import static dev.gatehouse.config.Settings.LOGOUT_URL;
import static dev.gatehouse.config.Settings.MESSAGES_FILE;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.REDIRECT_ALLOWED_HOSTS;
import static dev.gatehouse.config.Settings.REGISTER_URL;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.RESET_URL;
import static dev.gatehouse.config.Settings.SESSIONS_URL;
import static dev.gatehouse.config.Settings.SUPPORTED_LOCALES;
import static dev.gatehouse.config.Settings.TEMPLATES_FOLDER;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_HEADER;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_KEY;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_QUERY;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static dev.gatehouse.config.Settings.UNAUTHORIZED_VIEW;
import static dev.gatehouse.config.Settings.URL_PREFIX;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY_URL;
import static dev.gatehouse.config.Settings.US_SIGNIN_URL;
import static dev.gatehouse.config.Settings.VERIFY_URL;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.mail.MailComposer;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import dev.gatehouse.config.LogoutMethod;
import dev.gatehouse.config.TokenInQuery;

/**
 * Gatehouse's HTTP protocol, written once for every web framework: authenticating requests,
 * enforcing {@link AccessRule}s, CSRF protection, cookies, and the endpoints of Flask-Security's
 * JSON API (login, logout, verify, refresh-token, and the account lifecycle's: register, confirm,
 * reset, change password, email and username, username recovery, passwordless sign-in, unlock) and
 * their HTML pages; the emails' templates and their delivery ({@link #background()}). A framework
 * adapter wraps its request and response in {@link WebRequest}/{@link WebResponse}, mounts
 * {@link #routes()}, and calls {@link #enforce} before each protected handler. Applications may
 * render their own pages through Gatehouse's renderer ({@link #render}), with the same layout,
 * texts and flash messages ({@link #flash}).
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
    private final TokenInQuery tokenInQuery;
    private final BasicCredentials basic;
    private final SessionEndpoints endpoints;
    private final RegisterEndpoints registration;
    private final ConfirmEndpoints confirmation;
    private final RecoveryEndpoints recovery;
    private final ChangePasswordEndpoints changePassword;
    private final ChangeEmailEndpoints changeEmail;
    private final UsernameEndpoints usernames;
    private final PasswordlessEndpoints passwordless;
    private final UnlockEndpoints unlock;
    private final ActiveSessionsEndpoints activeSessions;
    private final List<FlowEndpoints> flows;
    private final MailComposer mailComposer;
    private final BackgroundWork background;
    final Messages messages;
    final Languages languages;
    final PageRenderer pages;
    final Flashes flashes;
    final StaticAssets assets;
    private final Optional<String> contentSecurityPolicy;
    /** The {@code Strict-Transport-Security} value, if HTTPS responses carry one. */
    private final Optional<String> hsts;

    public GatehouseWeb(Gatehouse gatehouse) {
        this(gatehouse, WebOptions.defaults());
    }

    public GatehouseWeb(Gatehouse gatehouse, WebOptions options) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        this.options = Objects.requireNonNull(options, "options");
        this.config = gatehouse.config();
        this.cookies = new Cookies(config.get(COOKIE_SECURE), config.get(CSRF_COOKIE_NAME));
        this.redirects = new RedirectPolicy(Set.copyOf(config.get(REDIRECT_ALLOWED_HOSTS)));
        this.trustedProxies = config.get(TRUSTED_PROXY_COUNT);
        Set<Mechanism> defaults = Mechanism.fromSettingNames(config.get(API_ENABLED_METHODS));
        this.defaultMechanisms = defaults.isEmpty() ? EnumSet.of(Mechanism.TOKEN, Mechanism.SESSION) : defaults;
        this.csrfMechanisms = Mechanism.fromSettingNames(config.get(CSRF_PROTECT_MECHANISMS));
        this.tokenInQuery = config.get(TOKEN_AUTHENTICATION_QUERY);
        this.basic = new BasicCredentials(gatehouse);
        this.messages = config.get(MESSAGES_FILE).map(file -> options.messages.withFile(Path.of(file))).orElse(options.messages);
        this.languages = new Languages(config.get(SUPPORTED_LOCALES), config.get(DEFAULT_LOCALE));
        ClassLoader applicationLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : GatehouseWeb.class.getClassLoader();
        this.pages = options.pages.orElseGet(() -> new PebblePages(config.get(TEMPLATES_FOLDER).map(Path::of),
                applicationLoader, languages.fallback()));
        this.flashes = new Flashes(gatehouse.tokens(), cookies);
        this.assets = new StaticAssets(config.get(URL_PREFIX).orElse(""));
        this.contentSecurityPolicy = options.contentSecurityPolicy.map(policy -> policy.equals(WebOptions.DEFAULT_CONTENT_SECURITY_POLICY)
                ? withFormTargets(policy, config.get(REDIRECT_ALLOWED_HOSTS)) : policy);
        // Plain-HTTP cookies mean local development: no HSTS to stick to localhost for a year.
        this.hsts = config.get(COOKIE_SECURE) && !config.get(HSTS_MAX_AGE).isZero()
                ? Optional.of("max-age=" + config.get(HSTS_MAX_AGE).toSeconds()
                        + (config.get(HSTS_INCLUDE_SUBDOMAINS) ? "; includeSubDomains" : ""))
                : Optional.empty();
        this.endpoints = new SessionEndpoints(this);
        this.registration = new RegisterEndpoints(this, endpoints);
        this.confirmation = new ConfirmEndpoints(this, endpoints);
        this.recovery = new RecoveryEndpoints(this, endpoints);
        this.changePassword = new ChangePasswordEndpoints(this, endpoints);
        this.changeEmail = new ChangeEmailEndpoints(this, endpoints);
        this.usernames = new UsernameEndpoints(this, endpoints);
        this.passwordless = new PasswordlessEndpoints(this, endpoints);
        this.unlock = new UnlockEndpoints(this, endpoints);
        this.activeSessions = new ActiveSessionsEndpoints(this, endpoints);
        this.flows = List.of(registration, confirmation, recovery, changePassword, changeEmail, usernames, passwordless,
                unlock, activeSessions);
        this.mailComposer = new PebbleMailComposer(config.get(TEMPLATES_FOLDER).map(Path::of), applicationLoader, messages,
                languages, options.siteName);
        this.background = new BackgroundWork(gatehouse, options, mailComposer);
    }

    /** Lets forms redirect to the configured other hosts too (browsers apply form-action to redirects). */
    private static String withFormTargets(String policy, List<String> hosts) {
        StringBuilder targets = new StringBuilder("form-action 'self'");
        for (String host : hosts) {
            targets.append(" https://").append(host);
        }
        return policy.replace("form-action 'self'", targets.toString());
    }

    /** The Gatehouse this web layer serves. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The endpoints to mount, with the configured paths. */
    public List<WebRoute> routes() {
        List<WebRoute> routes = new ArrayList<>(endpoints.routes());
        for (FlowEndpoints flow : flows) {
            routes.addAll(flow.routes());
        }
        routes.add(new WebRoute("GET", assets.path(), assets::serve));
        List<WebRoute> admitted = new ArrayList<>();
        for (WebRoute route : routes) {
            WebRoute.Handler handler = route.handler();
            admitted.add(new WebRoute(route.method(), route.path(), (request, response) -> {
                if (admit(Exchange.of(this, request, response))) {
                    handler.handle(request, response);
                }
            }));
        }
        return List.copyOf(admitted);
    }

    /**
     * The door every request Gatehouse answers or guards passes first — its own endpoints and every
     * route with a rule: the default security headers, then a request whose body cannot be decoded
     * is refused. Answers the refusal itself and returns {@code false}.
     */
    private boolean admit(Exchange x) {
        securityHeaders(x);
        if (RequestCharset.of(x.request.header("Content-Type")).isEmpty()) {
            // 415, not 400: the fields may be fine, it is the media type (its charset) the server cannot read.
            // Not logged: a client's mistake, and one line per request would let anyone flood the log.
            jsonOrPage(x, 415, "UNSUPPORTED_CHARSET", Map.of());
            return false;
        }
        return true;
    }

    /**
     * What Spring Security sends by default: responses about users are not stored by browsers or
     * proxies, and are not sniffed into another type. A handler that sets its own
     * {@code Cache-Control} afterwards replaces it. HSTS only over HTTPS (RFC 6797 7.2).
     */
    private void securityHeaders(Exchange x) {
        x.response.header("Cache-Control", "no-store");
        x.response.header("X-Content-Type-Options", "nosniff");
        if (hsts.isPresent() && isHttps(x.request)) {
            x.response.header("Strict-Transport-Security", hsts.get());
        }
    }

    /**
     * Whether the client's connection is HTTPS: this server's own TLS, or — behind
     * {@code trusted-proxy-count} proxies — the {@code X-Forwarded-Proto} the outermost trusted
     * proxy saw (picked like {@code X-Forwarded-For}'s client). Without trusted proxies the header
     * is ignored: a client could send it over plain HTTP.
     */
    boolean isHttps(WebRequest request) {
        if (request.isSecure()) {
            return true;
        }
        if (trustedProxies <= 0) {
            return false;
        }
        String[] protos = request.header("X-Forwarded-Proto").orElse("").split(",");
        String proto = protos[Math.max(0, protos.length - trustedProxies)].strip();
        return proto.equalsIgnoreCase("https");
    }

    /**
     * Applies a rule before a handler runs: sets the security headers ({@code no-store},
     * {@code nosniff}, HSTS over HTTPS) and refuses an undecodable request charset (415), then
     * authenticates (token, session, basic — as the rule allows), checks freshness, roles and
     * permissions, then CSRF for unsafe methods on cookie- or Basic-authenticated requests. On
     * failure writes the response (415, 401, 403, 400 or a redirect) and returns {@code false}; the
     * adapter must then skip the handler. {@code OPTIONS} requests (CORS preflight) always pass.
     */
    public boolean enforce(WebRequest request, WebResponse response, AccessRule rule) {
        if (request.method().equals("OPTIONS")) {
            return true;
        }
        Exchange x = Exchange.of(this, request, response);
        if (!admit(x)) {
            return false;
        }
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
        if (isUnsafe(request.method()) && !csrfPasses(x, auth)) {
            csrfFailure(x);
            return false;
        }
        return true;
    }

    /**
     * The CSRF rule of an unsafe request: a request authenticated by a protected mechanism needs a
     * token bound to it; and a request that carries a valid session cookie is held to the
     * session's rule whatever it authenticated with, or a page on another site could send the
     * victim's cookie along with the attacker's own API token (and make, say, a logout end the
     * victim's session).
     */
    private boolean csrfPasses(Exchange x, Authentication auth) {
        if (csrfMechanisms.contains(auth.mechanism()) && !csrfValid(x)) {
            return false;
        }
        if (auth.mechanism() == Mechanism.SESSION || !csrfMechanisms.contains(Mechanism.SESSION)) {
            return true;
        }
        Optional<SessionRecord> cookieSession = cookieSession(x);
        return cookieSession.isEmpty() || csrfValid(x, Optional.of(sessionBinding(cookieSession.get())));
    }

    /** The live session the request's session cookie stands for, whatever the request authenticated with. */
    Optional<SessionRecord> cookieSession(Exchange x) {
        Optional<SessionRecord> authenticated = x.authentication == null ? Optional.empty()
                : x.authentication.flatMap(Authentication::session);
        if (authenticated.isPresent()) {
            return authenticated;
        }
        return x.request.cookie(cookies.session).flatMap(gatehouse.sessions()::resume).flatMap(Authentication::session);
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

    /**
     * Ends the request's session and remember-me grant and clears their cookies; a request that
     * authenticated by API token also ends that token's sign-in (its session, refresh tokens and
     * API tokens).
     */
    public void logout(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(this, request, response);
        if (x.authentication != null) {
            x.authentication.filter(a -> a.mechanism() == Mechanism.TOKEN)
                    .ifPresent(a -> a.familyId().ifPresent(family -> gatehouse.sessions().endFamily(a.user().id(), family,
                            x.client())));
        }
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
            result = tokenAuthentication(x);
        }
        if (result.isEmpty() && allowed.contains(Mechanism.SESSION)) {
            result = sessionAuthentication(x);
        }
        if (result.isEmpty() && allowed.contains(Mechanism.BASIC)) {
            result = x.request.header("Authorization").flatMap(basic::authenticate);
            result.ifPresent(auth -> AuthenticationLog.basic(x, auth.user()));
        }
        x.authentication = result;
        x.authenticatedWith = allowed;
        return result;
    }

    /** The API token the request presents, if it is valid; leaves the request's authentication alone. */
    Optional<Authentication> tokenAuthentication(Exchange x) {
        return presentedToken(x).flatMap(gatehouse.authTokens()::authenticate);
    }

    private Optional<String> presentedToken(Exchange x) {
        Optional<String> token = x.request.header(config.get(TOKEN_AUTHENTICATION_HEADER));
        if (token.isEmpty() && tokenInQueryAllowed(x.request.method())) {
            token = x.request.queryParam(config.get(TOKEN_AUTHENTICATION_KEY));
        }
        if (token.isEmpty() && isUnsafe(x.request.method())
                && ContentNegotiation.isJson(x.request.header("Content-Type").orElse(""))) {
            token = x.fields().text(config.get(TOKEN_AUTHENTICATION_KEY));
        }
        return token.filter(t -> !t.isEmpty());
    }

    /** {@code token-authentication-query}: whether an API token may come in the query string of this request. */
    private boolean tokenInQueryAllowed(String method) {
        return switch (tokenInQuery) {
            case ALWAYS -> true;
            case NEVER -> false;
            case NON_GET -> !(method.equals("GET") || method.equals("HEAD"));
        };
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
        if (rememberCookie.isEmpty() || x.response == null) {
            // Without a response the rotated remember-me cookie could not be handed out.
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
        AuthenticationLog.restored(x, issued.record().userId());
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        issued.rememberSecret().ifPresent(rotated -> x.response.addHeader("Set-Cookie", cookies.persistentCookie(
                cookies.remember, rotated, Duration.between(gatehouse.clock().instant(), issued.rememberExpiresAt().orElseThrow()))));
        return gatehouse.sessions().resume(issued.secret());
    }

    private void setSessionCookies(Exchange x, IssuedSession issued, Optional<Duration> rememberFor) {
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        issued.rememberSecret().ifPresent(secret -> x.response.addHeader("Set-Cookie",
                cookies.persistentCookie(cookies.remember, secret, rememberFor.orElse(config.get(REMEMBER_COOKIE_DURATION)))));
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
        String binding = csrfBinding(x, true).orElseGet(() -> {
            String nonce = OneTimeSecret.generate().value();
            x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.csrfNonce, nonce));
            // Later calls in this request (a page asks once for its form, once for its layout)
            // must bind to this nonce, not mint another one.
            x.csrfNonce = nonce;
            return "anonymous:" + nonce;
        });
        if (binding.equals(x.csrfBinding)) {
            return x.csrfToken;
        }
        String token = gatehouse.tokens().mac(CSRF_PURPOSE, binding);
        cookies.readableCsrf.ifPresent(name -> x.response.addHeader("Set-Cookie", cookies.readableCookie(name, token)));
        x.csrfBinding = binding;
        x.csrfToken = token;
        return token;
    }

    /**
     * What the CSRF token is bound to: the session's family when signed in by session, else the
     * nonce cookie — the one minted in this response if {@code issuing}, else only the request's.
     */
    private Optional<String> csrfBinding(Exchange x, boolean issuing) {
        Optional<SessionRecord> session = x.authentication == null ? Optional.empty()
                : x.authentication.flatMap(Authentication::session);
        if (session.isPresent()) {
            return Optional.of(sessionBinding(session.get()));
        }
        Optional<String> minted = issuing ? Optional.ofNullable(x.csrfNonce) : Optional.empty();
        return minted.or(() -> x.request.cookie(cookies.csrfNonce))
                .filter(n -> n.length() <= 128).map(n -> "anonymous:" + n);
    }

    private static String sessionBinding(SessionRecord session) {
        return "session:" + session.familyId();
    }

    boolean csrfValid(Exchange x) {
        return csrfValid(x, csrfBinding(x, false));
    }

    /** Whether the request carries a CSRF token bound to {@code binding}. */
    private boolean csrfValid(Exchange x, Optional<String> binding) {
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
        RefusalLog.csrf(x, missing);
        String message = x.text(missing ? "CSRF_MISSING" : "CSRF_INVALID");
        if (x.wantsJson()) {
            json(x, 400, Map.of(), List.of(message), Map.of("csrf_token", List.of(message)));
        } else {
            errorPage(x, 400, message);
        }
    }

    // ------------------------------------------------------------------ denials

    private void deny(Exchange x, Denial.Reason reason, Set<Mechanism> allowed, Identity identity) {
        RefusalLog.denied(x, reason, identity);
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
                    x.response.header("WWW-Authenticate", "Basic realm=\"" + config.get(HTTP_AUTH_REALM) + "\"");
                }
                if (x.wantsJson() || allowed.contains(Mechanism.BASIC)) {
                    jsonOrPage(x, 401, "UNAUTHENTICATED", Map.of());
                } else {
                    flashes.add(x, "info", "LOGIN");
                    redirect(x, withNext(url(config.get(LOGIN_URL)), x.request));
                }
            }
            case REAUTHENTICATION_REQUIRED -> {
                if (x.wantsJson()) {
                    jsonOrPage(x, 401, "REAUTHENTICATION_REQUIRED", Map.of("reauth_required", true));
                } else {
                    flashes.add(x, "info", "REFRESH");
                    redirect(x, withNext(url(config.get(VERIFY_URL)), x.request));
                }
            }
            case UNAUTHORIZED -> {
                if (!x.wantsJson() && config.get(UNAUTHORIZED_VIEW).isPresent()) {
                    redirect(x, config.get(UNAUTHORIZED_VIEW).get());
                } else {
                    jsonOrPage(x, 403, "UNAUTHORIZED", Map.of());
                }
            }
        }
    }

    private void jsonOrPage(Exchange x, int status, String messageKey, Map<String, ?> extra) {
        String message = x.text(messageKey);
        if (x.wantsJson()) {
            json(x, status, extra, List.of(message), Map.of());
        } else {
            errorPage(x, status, message);
        }
    }

    // ------------------------------------------------------------------ responses

    /** A configured path with the optional {@code url-prefix}. */
    String url(String path) {
        return config.get(URL_PREFIX).map(prefix -> prefix + path).orElse(path);
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
        // Error messages are in the client's language, like the pages.
        x.response.header("Content-Language", x.locale().toLanguageTag());
        x.response.addHeader("Vary", "Accept-Language");
        x.response.body("application/json", Json.errors(status, errors, fieldErrors, extra));
    }

    /** One of Gatehouse's pages: {@code gatehouse/<name>}. */
    void page(Exchange x, int status, String name, Map<String, Object> model) {
        writePage(x, status, "gatehouse/" + name, model);
    }

    void errorPage(Exchange x, int status, String message) {
        page(x, status, "error", Map.of("status", status, "message", message));
    }

    private void writePage(Exchange x, int status, String page, Map<String, ?> model) {
        String html = renderPage(x, page, model);
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.header("Content-Language", x.locale().toLanguageTag());
        x.response.addHeader("Vary", "Accept-Language");
        x.response.header("X-Content-Type-Options", "nosniff");
        // Pages carry next= and tokens in their URLs: never hand them to other sites.
        x.response.header("Referrer-Policy", "same-origin");
        contentSecurityPolicy.ifPresent(policy -> x.response.header("Content-Security-Policy", policy));
        x.response.body("text/html; charset=utf-8", html);
    }

    /**
     * The model every page gets, then the context processors' values, then the page's own:
     * {@code page}, {@code lang}, {@code texts}, {@code site_name}, {@code current_user},
     * {@code csrf_token}, {@code urls}, {@code flashes}.
     */
    private String renderPage(Exchange x, String page, Map<String, ?> model) {
        Identity user = (x.authentication != null ? x.authentication : authenticate(x, defaultMechanisms))
                .<Identity>map(Authentication::user).orElse(AnonymousUser.INSTANCE);
        Locale locale = x.locale();
        PageTexts texts = new PageTexts(messages, locale);
        Map<String, Object> all = new HashMap<>();
        all.put("page", page);
        all.put("lang", locale.toLanguageTag());
        all.put(PebblePages.TEXTS, texts);
        all.put("site_name", options.siteName);
        all.put("current_user", user);
        all.put("csrf_token", csrfToken(x));
        all.put("urls", urls());
        List<Map<String, String>> shown = new ArrayList<>();
        for (Flashes.Flash flash : flashes.take(x)) {
            shown.add(Map.of("category", flash.category(), "message", texts.resolve(flash.message())));
        }
        all.put("flashes", shown);
        PageContext context = new PageContext(page, x.request, user, locale);
        for (ContextProcessor processor : options.contextProcessors) {
            all.putAll(processor.values(context));
        }
        for (ContextProcessor processor : options.pageContextProcessors.getOrDefault(page, List.of())) {
            all.putAll(processor.values(context));
        }
        all.putAll(model);
        return pages.render(page, all);
    }

    /** Where the pages link to; only endpoints that are mounted. */
    private Map<String, Object> urls() {
        Map<String, Object> urls = new HashMap<>();
        urls.put("home", config.get(POST_LOGIN_VIEW));
        urls.put("login", url(config.get(LOGIN_URL)));
        urls.put("verify", url(config.get(VERIFY_URL)));
        urls.put("stylesheet", assets.stylesheetUrl());
        if (!config.get(LOGOUT_METHODS).isEmpty()) {
            urls.put("logout", url(config.get(LOGOUT_URL)));
            urls.put("logout_form", config.get(LOGOUT_METHODS).contains(LogoutMethod.POST));
        }
        if (registration.isMounted()) {
            urls.put("register", url(config.get(REGISTER_URL)));
        }
        if (confirmation.isMounted()) {
            urls.put("send_confirmation", url(config.get(CONFIRM_URL)));
        }
        if (recovery.isMounted()) {
            urls.put("forgot_password", url(config.get(RESET_URL)));
        }
        if (changePassword.isMounted()) {
            urls.put("change_password", url(config.get(CHANGE_URL)));
        }
        if (changeEmail.isMounted()) {
            urls.put("change_email", url(config.get(CHANGE_EMAIL_URL)));
        }
        if (usernames.isMounted()) {
            urls.put("change_username", url(config.get(CHANGE_USERNAME_URL)));
        }
        if (usernames.recoveryMounted()) {
            urls.put("recover_username", url(config.get(USERNAME_RECOVERY_URL)));
        }
        if (passwordless.isMounted()) {
            urls.put("us_signin", url(config.get(US_SIGNIN_URL)));
        }
        if (activeSessions.isMounted()) {
            urls.put("sessions", url(config.get(SESSIONS_URL)));
        }
        return urls;
    }

    // ------------------------------------------------------------------ for applications

    /**
     * Renders an application page with Gatehouse's renderer: with the default Pebble renderer,
     * the template {@code <page>.html} from the application's {@code templates/} folder, which
     * may extend {@code gatehouse/base.html}. The model gets everything Gatehouse's own pages
     * get ({@code current_user}, {@code csrf_token}, {@code flashes}, {@code msg(...)}, ...) and
     * the context processors' values; {@code model} wins over both.
     *
     * @param page the page name, e.g. {@code dashboard} or {@code gatehouse/error}
     */
    public void render(WebRequest request, WebResponse response, int status, String page, Map<String, ?> model) {
        Objects.requireNonNull(page, "page");
        writePage(Exchange.of(this, request, response), status, page, Objects.requireNonNull(model, "model"));
    }

    /**
     * Queues a flash message: shown once, on the next page rendered for this browser, typically
     * after a redirect. Kept in a signed cookie for up to two minutes; no server-side state.
     *
     * @param category {@code info}, {@code success} or {@code error}
     * @param message  a message key ({@code LOGOUT_DONE}) — shown in the reader's language — or a text
     */
    public void flash(WebRequest request, WebResponse response, String category, String message) {
        if (!(category.equals("info") || category.equals("success") || category.equals("error"))) {
            throw new IllegalArgumentException("a flash category is info, success or error, not " + category);
        }
        flashes.add(Exchange.of(this, request, response), category, Objects.requireNonNull(message, "message"));
    }

    /** The texts in the language chosen for this request ({@code Accept-Language}). */
    public PageTexts texts(WebRequest request) {
        return new PageTexts(messages, Exchange.of(this, request, null).locale());
    }

    /**
     * The mail delivery worker and the hourly purge, not yet started: the adapter starts them with
     * the server ({@link BackgroundWork#start()}) and closes them at shutdown.
     */
    public BackgroundWork background() {
        return background;
    }

    /**
     * The composer rendering Gatehouse's emails from the web layer's templates, in the recipient's
     * language; {@link #background()} delivers with it. For an application that runs its own
     * {@link dev.gatehouse.mail.MailDelivery}.
     */
    public MailComposer mailComposer() {
        return mailComposer;
    }

    /** The JSON description of a user: the configured payload, plus tokens when asked for. */
    Map<String, Object> userPayload(User user) {
        return new LinkedHashMap<>(options.userPayload.apply(user));
    }
}
