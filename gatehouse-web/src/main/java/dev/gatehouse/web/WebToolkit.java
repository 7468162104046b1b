package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.COOKIE_NAME_PREFIX;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.CSRF_COOKIE_NAME;
import static dev.gatehouse.config.Settings.REDIRECT_ALLOWED_HOSTS;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_NAME;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.SESSION_COOKIE_NAME;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.RefreshTokens;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-request tools every endpoint group works with, below them all: the request's
 * {@link Exchange}, authentication (the registered {@link AuthenticationMechanism}s), access
 * rules, CSRF tokens, and replies — Flask-Security's JSON envelope, pages, redirects, flash
 * messages. {@link GatehouseWeb} builds one and hands it to each {@link WebFeature}; features
 * never reach back into {@code GatehouseWeb}. The public methods are what a feature module needs;
 * Gatehouse's own endpoint groups use the package's parts too. Thread-safe.
 */
public final class WebToolkit {

    final Gatehouse gatehouse;
    final GatehouseConfig config;
    final WebOptions options;
    final Cookies cookies;
    final RedirectPolicy redirects;
    final int trustedProxies;
    final Messages messages;
    final Languages languages;
    final Flashes flashes;
    final Authenticator authenticator;
    final Csrf csrf;
    final Replies replies;
    final Guard guard;
    /** Where a first factor becomes a session, or a pending sign-in waiting for the second. */
    final TwoStepSignIn twoStep;
    /** The enabled features, set once by {@link GatehouseWeb} before any route is built. */
    List<WebFeature> features = List.of();
    /** The second factors features provide ({@link WebFeature#secondStep}), set once after the routes are built. */
    List<SecondStepMethod> secondSteps = List.of();
    /** {@code api-enabled-methods}: what routes that name no mechanism accept. */
    final Set<Mechanism> defaultMechanisms;

    WebToolkit(Gatehouse gatehouse, WebOptions options, Messages messages, Languages languages, PageRenderer pages,
            Map<String, Object> links, Optional<String> contentSecurityPolicy, Map<String, List<String>> pageScripts) {
        this.gatehouse = gatehouse;
        this.config = gatehouse.config();
        this.options = options;
        this.messages = messages;
        this.languages = languages;
        this.cookies = new Cookies(config.get(COOKIE_SECURE), config.get(CSRF_COOKIE_NAME), config.get(COOKIE_NAME_PREFIX),
                config.get(SESSION_COOKIE_NAME), config.get(REMEMBER_COOKIE_NAME));
        this.redirects = new RedirectPolicy(Set.copyOf(config.get(REDIRECT_ALLOWED_HOSTS)));
        this.trustedProxies = config.get(TRUSTED_PROXY_COUNT);
        this.flashes = new Flashes(gatehouse.tokens(), cookies);
        this.authenticator = new Authenticator(gatehouse, cookies, options.mechanisms);
        this.defaultMechanisms = authenticator.defaultMechanisms;
        this.csrf = new Csrf(gatehouse.tokens(), cookies, authenticator, config);
        this.replies = new Replies(config, options, messages, pages, flashes, authenticator, csrf, links, contentSecurityPolicy,
                pageScripts);
        this.guard = new Guard(config, options, gatehouse.clock(), authenticator, csrf, replies, flashes);
        this.twoStep = new TwoStepSignIn(this);
    }

    // ------------------------------------------------------------------ for feature modules

    /** The Gatehouse the endpoints serve: its flows, users and stores. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The configuration, for the feature's paths and switches. */
    public GatehouseConfig config() {
        return config;
    }

    /** Gatehouse's state for this request (parsed fields, format, language, client, authentication). */
    public Exchange exchange(WebRequest request, WebResponse response) {
        return Exchange.of(this, request, response);
    }

    /**
     * Applies {@code rule} as {@link GatehouseWeb#enforce} does; on {@code false} the refusal has
     * been answered and the handler must stop.
     */
    public boolean enforce(Exchange x, AccessRule rule) {
        return guard.enforce(x, rule);
    }

    /** Who sent the request, by the default mechanisms; at most once per request. */
    public Optional<Authentication> authenticate(Exchange x) {
        return authenticator.authenticate(x);
    }

    /** Flask-Security's success envelope: {@code {"meta":{"code":status},"response":response}}. */
    public void json(Exchange x, int status, Map<String, ?> response) {
        replies.json(x, status, response);
    }

    /**
     * Flask-Security's error envelope: {@code errors} lists every message, {@code field_errors}
     * maps fields to theirs (left out when empty), beside {@code extra}; in the client's language.
     */
    public void json(Exchange x, int status, Map<String, ?> extra, List<String> errors, Map<String, List<String>> fieldErrors) {
        replies.json(x, status, extra, errors, fieldErrors);
    }

    /** Renders a page as {@link GatehouseWeb#render} does, e.g. {@code gatehouse/error} or the feature's own. */
    public void render(Exchange x, int status, String page, Map<String, ?> model) {
        replies.render(x, status, page, model);
    }

    /** A 302 to {@code location}, not cached. */
    public void redirect(Exchange x, String location) {
        replies.redirect(x, location);
    }

    /** The CSRF token of this client, for a form or a JSON client about to post. */
    public String csrfToken(Exchange x) {
        return csrf.token(x);
    }

    /**
     * The roles a new account gets at registration ({@link WebOptions.Builder#registrationRoles}),
     * for a feature that creates accounts another way.
     */
    public Set<String> registrationRoles() {
        return options.registrationRoles;
    }

    /** A configured path with the {@code url-prefix}. */
    public String url(String path) {
        return replies.url(path);
    }

    /**
     * Signs {@code user} in on this response as the login endpoint does after a password check —
     * a first factor. A user with a second factor (or who must set one up, {@code two-factor-required})
     * gets no session: the request is answered with Flask-Security's {@code tf_required} (JSON 200,
     * browsers a redirect to {@code /tf-validate} or the setup) and this returns {@code false}; the
     * caller must then answer nothing more. Otherwise: a new session (no fixation), a remember-me
     * cookie if asked, the sign-in recorded (tracking, the {@code user_authenticated} event), and
     * {@code true}. For a feature that proves identity another way (an external provider, a
     * passkey); the caller has already checked the account may sign in.
     *
     * @param fresh whether this counts as a recent proof of identity (for freshness rules)
     * @return whether the user is signed in now
     */
    public boolean login(Exchange x, User user, boolean remember, boolean fresh) {
        return login(x, user, remember, fresh, safeNext(x));
    }

    /**
     * As {@link #login(Exchange, User, boolean, boolean)}, for a sign-in whose {@code next} did not
     * come with this request (an external provider's callback carries it in its own state): where
     * the browser goes after the second step, if there is one. Unsafe values are dropped.
     */
    public boolean login(Exchange x, User user, boolean remember, boolean fresh, Optional<String> next) {
        return twoStep.firstFactor(x, user, remember, Optional.empty(), fresh, next.flatMap(redirects::check), "external");
    }

    /**
     * Signs {@code user} in on a proof that covered both factors at once (a passkey with user
     * verification, Flask-Security's {@code WAN_ALLOW_AS_MULTI_FACTOR}): a new session, remember-me
     * if asked, the sign-in recorded, no second step whatever second factors the user has. The
     * caller has checked the account may sign in.
     */
    public void loginMultiFactor(Exchange x, User user, boolean remember) {
        authenticator.login(x, user, remember, Optional.empty(), true);
    }

    /**
     * Who has a second factor: Gatehouse's own ({@link Gatehouse#secondFactors()}) or one a
     * feature provides ({@link WebFeature#secondStep}). The web layer asks this one.
     */
    public SecondFactors secondFactors() {
        SecondFactors core = gatehouse.secondFactors();
        List<SecondStepMethod> extra = secondSteps;
        return extra.isEmpty() ? core
                : user -> core.isEnabledFor(user) || extra.stream().anyMatch(m -> m.users().isEnabledFor(user));
    }

    /**
     * The user of the request's pending sign-in (Flask-Security's {@code tf_state} {@code ready}):
     * a first factor was proven and the second is awaited. Empty if there is none, or it expired,
     * was used, or the user's security stamp changed since. For a feature's second step
     * ({@link SecondStepMethod}); the session does not exist yet.
     */
    public Optional<User> pendingSignIn(Exchange x) {
        return twoStep.pending.current(x).filter(c -> c.pending().state().equals(PendingSignIns.READY))
                .map(PendingSignIns.Current::user);
    }

    /**
     * Finishes the request's pending sign-in after a feature's second step proved {@code user}:
     * single use, the session as the first factor asked for (remember-me), the trusted-browser
     * cookie if configured, and the answer (JSON {@code user} and {@code csrf_token}, browsers a
     * redirect to the saved {@code next}). If the pending sign-in is gone or belongs to another user,
     * answers Flask-Security's {@code tf_illegal_state} instead and returns {@code false}.
     */
    public boolean completePendingSignIn(Exchange x, User user) {
        Optional<PendingSignIns.Current> current = twoStep.pending.current(x)
                .filter(c -> c.pending().state().equals(PendingSignIns.READY))
                .filter(c -> c.user().id() == user.id());
        if (current.isEmpty()) {
            twoStep.illegalState(x);
            return false;
        }
        return twoStep.complete(x, current.get().pending(), current.get().user(), "TWO_FACTOR_LOGIN_SUCCESSFUL");
    }

    /**
     * Marks the request's session freshly authenticated after the user proved who they are again
     * by other means than the password (an external provider), as {@code /verify} does: the
     * session is replaced by a new one (new id, remember-me grant kept) whose authentication time
     * is now. Logged as a re-authentication. Does nothing for a request without a session.
     */
    public void reauthenticated(Exchange x, User user) {
        Optional<SessionRecord> session = x.authentication().flatMap(Authentication::session);
        if (session.isPresent()) {
            AuthenticationLog.reauthenticated(x, user);
            authenticator.renewSession(x, session.get(), user);
        }
    }

    /**
     * The request's {@code next} parameter (query or form field), if it is a safe place to send
     * the browser ({@code redirect-allowed-hosts}, the same check as sign-in's).
     */
    public Optional<String> safeNext(Exchange x) {
        return nextParameter(x).flatMap(redirects::check);
    }

    /** {@code target} if it is a safe place to redirect to, by the same policy as {@link #safeNext}. */
    public Optional<String> safeRedirect(String target) {
        return redirects.check(target);
    }

    /**
     * Queues a flash message for the next page this browser sees (see {@link GatehouseWeb#flash}).
     *
     * @param category {@code info}, {@code success} or {@code error}
     * @param message  a message key, shown in the reader's language, or a text
     */
    public void flash(Exchange x, String category, String message) {
        flashes.add(x, category, message);
    }

    /**
     * Login CSRF for an endpoint anonymous visitors post to (a sign-in of another kind): the token
     * bound to the anonymous nonce cookie, as the login form carries. On {@code false} answer with
     * {@link #csrfFailure}.
     */
    public boolean loginCsrfPasses(Exchange x) {
        return csrf.loginPasses(x);
    }

    /** Answers a refused CSRF token as Gatehouse's own endpoints do (400 JSON or an error page). */
    public void csrfFailure(Exchange x) {
        replies.csrfFailure(x);
    }

    // ------------------------------------------------------------------ for the package's endpoint groups

    Optional<Authentication> authenticate(Exchange x, Set<Mechanism> allowed) {
        return authenticator.authenticate(x, allowed);
    }

    Optional<Authentication> tokenAuthentication(Exchange x) {
        return authenticator.tokenAuthentication(x);
    }

    boolean enforce(WebRequest request, WebResponse response, AccessRule rule) {
        return guard.enforce(Exchange.of(this, request, response), rule);
    }

    /**
     * A session for {@code user} whatever their second factors: for the application's own
     * {@link GatehouseWeb#login} and for a client that is fully signed in already (a password
     * change re-issuing its own session). Sign-ins on a first factor use {@link #firstFactor}.
     */
    void login(WebRequest request, WebResponse response, User user, boolean remember, Optional<Duration> rememberFor,
            boolean fresh) {
        authenticator.login(Exchange.of(this, request, response), user, remember, rememberFor, fresh);
    }

    /**
     * A first factor proven for {@code user} ({@code via}: password, us-code, us-link, confirm,
     * reset, register): see {@link #login(Exchange, User, boolean, boolean)}.
     *
     * @return whether the user is signed in now; if not, the request has been answered
     */
    boolean firstFactor(Exchange x, User user, boolean remember, String via) {
        return twoStep.firstFactor(x, user, remember, Optional.empty(), true, safeNext(x), via);
    }

    void logout(WebRequest request, WebResponse response) {
        authenticator.logout(Exchange.of(this, request, response));
    }

    void renewSession(Exchange x, SessionRecord old, User user) {
        authenticator.renewSession(x, old, user);
    }

    boolean csrfValid(Exchange x) {
        return csrf.valid(x);
    }

    void page(Exchange x, int status, String name, Map<String, Object> model) {
        replies.page(x, status, name, model);
    }

    void errorPage(Exchange x, int status, String message) {
        replies.errorPage(x, status, message);
    }

    /** The JSON description of a user: the configured payload, plus tokens when asked for. */
    Map<String, Object> userPayload(User user) {
        return new LinkedHashMap<>(options.userPayload.apply(user));
    }

    static Optional<String> nextParameter(Exchange x) {
        return x.request.queryParam("next").or(() -> x.fields().text("next"));
    }

    /**
     * What a re-authentication that met a lock answers beside the password field: with generic
     * responses exactly what a wrong password answers (as sign-in does), otherwise the lock and its end.
     */
    String lockedMessage(Exchange x, Optional<Instant> until) {
        if (config.get(RETURN_GENERIC_RESPONSES)) {
            return x.text("INVALID_PASSWORD");
        }
        return until.isPresent() ? x.text("LOCKED_OUT", Map.of("until", Lockout.untilText(until.get()))) : x.text("LOCKED_OUT_EMAIL");
    }

    /** {@code user} (with tokens when asked for) and a CSRF token for the new session. */
    Map<String, Object> authenticatedBody(Exchange x, User user) {
        Map<String, Object> payload = userPayload(user);
        Authentication auth = x.authentication.orElseThrow();
        boolean authToken = asked(x, "include_auth_token");
        boolean refreshToken = asked(x, "include_refresh_token");
        // Tokens belong to the sign-in they come from, so that ending it ends them. A client
        // without one (HTTP Basic; a token client whose sign-in a password change just ended) gets
        // a sign-in of its own: a session record whose cookie nobody holds, listed with the others.
        String family = !(authToken || refreshToken) ? null : auth.familyId().orElseGet(() -> gatehouse.sessions()
                .start(user, false, Optional.empty(), x.client()).record().familyId());
        if (authToken && !refreshToken) {
            payload.put("authentication_token", gatehouse.authTokens().issue(user, auth.authenticatedAt(), family));
        }
        if (refreshToken) {
            RefreshTokens.Issued issued = gatehouse.refreshTokens().issue(user, auth.authenticatedAt(), family,
                    x.client());
            payload.putIfAbsent("authentication_token", issued.authToken());
            payload.put("refresh_token", issued.refreshToken());
            payload.put("refresh_token_expires", issued.expiresAt().toEpochMilli());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", payload);
        body.put("csrf_token", csrf.token(x));
        return body;
    }

    /** A flag given as a query parameter ({@code ?include_auth_token}) or a body field. */
    private static boolean asked(Exchange x, String name) {
        return x.request.queryParam(name).map(v -> !v.equalsIgnoreCase("false") && !v.equals("0")).orElse(false)
                || x.fields().flag(name).orElse(false);
    }
}
