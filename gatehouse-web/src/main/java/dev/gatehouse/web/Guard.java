package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.HSTS_INCLUDE_SUBDOMAINS;
import static dev.gatehouse.config.Settings.HSTS_MAX_AGE;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static dev.gatehouse.config.Settings.UNAUTHORIZED_VIEW;
import static dev.gatehouse.config.Settings.VERIFY_URL;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Identity;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The door of every request Gatehouse answers or guards: security headers, the request charset,
 * then a route's {@link AccessRule} — authentication, freshness, roles and permissions, CSRF —
 * and the answers to refusals (or the application's {@link DenialHandler}). Thread-safe.
 */
final class Guard {

    private final GatehouseConfig config;
    private final WebOptions options;
    private final Clock clock;
    private final Authenticator authenticator;
    private final Csrf csrf;
    private final Replies replies;
    private final Flashes flashes;
    /** The {@code Strict-Transport-Security} value, if HTTPS responses carry one. */
    private final Optional<String> hsts;
    private final int trustedProxies;

    Guard(GatehouseConfig config, WebOptions options, Clock clock, Authenticator authenticator, Csrf csrf,
            Replies replies, Flashes flashes) {
        this.config = config;
        this.options = options;
        this.clock = clock;
        this.authenticator = authenticator;
        this.csrf = csrf;
        this.replies = replies;
        this.flashes = flashes;
        // Plain-HTTP cookies mean local development: no HSTS to stick to localhost for a year.
        this.hsts = config.get(COOKIE_SECURE) && !config.get(HSTS_MAX_AGE).isZero()
                ? Optional.of("max-age=" + config.get(HSTS_MAX_AGE).toSeconds()
                        + (config.get(HSTS_INCLUDE_SUBDOMAINS) ? "; includeSubDomains" : ""))
                : Optional.empty();
        this.trustedProxies = config.get(TRUSTED_PROXY_COUNT);
    }

    /**
     * The door every request Gatehouse answers or guards passes first — its own endpoints and every
     * route with a rule: the default security headers, then a request whose body cannot be decoded
     * is refused. Answers the refusal itself and returns {@code false}.
     */
    boolean admit(Exchange x) {
        securityHeaders(x);
        if (RequestCharset.of(x.request.header("Content-Type")).isEmpty()) {
            // 415, not 400: the fields may be fine, it is the media type (its charset) the server cannot read.
            // Not logged: a client's mistake, and one line per request would let anyone flood the log.
            replies.jsonOrPage(x, 415, "UNSUPPORTED_CHARSET", Map.of());
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

    /** See {@link ClientAddresses#isHttps}; behind {@code trusted-proxy-count} proxies. */
    boolean isHttps(WebRequest request) {
        return ClientAddresses.isHttps(request, trustedProxies);
    }

    /** See {@link GatehouseWeb#enforce}. */
    boolean enforce(Exchange x, AccessRule rule) {
        if (x.request.method().equals("OPTIONS")) {
            return true;
        }
        if (!admit(x)) {
            return false;
        }
        try {
            return enforceAdmitted(x, rule);
        } catch (HashingCapacityException e) {
            // HTTP Basic checks a password on the way in: with no hashing slot free, nothing is known.
            replies.busy(x, e);
            return false;
        }
    }

    private boolean enforceAdmitted(Exchange x, AccessRule rule) {
        if (rule.anonymousOnly()) {
            return anonymousOnly(x);
        }
        Set<Mechanism> allowed = rule.mechanisms().isEmpty() ? authenticator.defaultMechanisms : rule.mechanisms();
        Optional<Authentication> authentication = authenticator.authenticate(x, allowed);
        if (authentication.isEmpty()) {
            deny(x, Denial.Reason.UNAUTHENTICATED, allowed, AnonymousUser.INSTANCE, null);
            return false;
        }
        Authentication auth = authentication.get();
        if (rule.freshWithin().isPresent() && !auth.isFreshWithin(rule.freshWithin().get(), clock.instant())) {
            deny(x, Denial.Reason.REAUTHENTICATION_REQUIRED, allowed, auth.user(), null);
            return false;
        }
        if (!rule.isGranted(auth)) {
            // RFC 6750 3.1: 403, and the mechanism's challenge names the scopes the route needs.
            deny(x, Denial.Reason.UNAUTHORIZED, allowed, auth.user(),
                    authenticator.insufficientScope(auth.mechanism(), rule.scopes()).orElse(null));
            return false;
        }
        if (!rule.isAuthorized(auth.user()) || !rule.passesChecks(auth)) {
            deny(x, Denial.Reason.UNAUTHORIZED, allowed, auth.user(), null);
            return false;
        }
        if (Csrf.isUnsafe(x.request.method()) && !csrf.passes(x, auth)) {
            replies.csrfFailure(x);
            return false;
        }
        return true;
    }

    /**
     * Flask-Security's {@code anonymous_user_required}: a signed-in JSON client gets 400
     * {@code ANONYMOUS_USER_REQUIRED}, a signed-in browser goes to {@code post-login-view} (not to
     * {@code next}, which could loop). Not a {@link Denial}: nobody lacks a right here. No CSRF check
     * either: without a session there is nothing to forge a request with.
     */
    private boolean anonymousOnly(Exchange x) {
        if (authenticator.authenticate(x, authenticator.defaultMechanisms).isEmpty()) {
            return true;
        }
        if (x.wantsJson()) {
            replies.jsonOrPage(x, 400, "ANONYMOUS_USER_REQUIRED", Map.of());
        } else {
            replies.redirect(x, config.get(POST_LOGIN_VIEW));
        }
        return false;
    }

    /**
     * @param scopeChallenge the WWW-Authenticate value of a 403 for a missing scope, or null; a 401's
     *                       challenges come from the allowed mechanisms, or the one that rejected the request
     */
    private void deny(Exchange x, Denial.Reason reason, Set<Mechanism> allowed, Identity identity, String scopeChallenge) {
        RefusalLog.denied(x, reason, identity);
        Denial denial = new Denial(reason, x.wantsJson(), allowed, identity,
                () -> defaultDenial(x, reason, allowed, scopeChallenge));
        if (options.denialHandler.isPresent()) {
            options.denialHandler.get().handle(denial, x.request, x.response);
        } else {
            denial.respondWithDefault();
        }
    }

    private void defaultDenial(Exchange x, Denial.Reason reason, Set<Mechanism> allowed, String scopeChallenge) {
        switch (reason) {
            case UNAUTHENTICATED -> {
                // Credentials a mechanism rejected: its challenge says what was wrong with them, and
                // the other mechanisms' plain challenges would only invite the client to try them.
                List<String> challenges = x.rejectedBy != null && allowed.contains(x.rejectedBy)
                        ? List.of(x.rejection) : authenticator.challenges(allowed);
                for (int i = 0; i < challenges.size(); i++) {
                    if (i == 0) {
                        x.response.header("WWW-Authenticate", challenges.get(i));
                    } else {
                        x.response.addHeader("WWW-Authenticate", challenges.get(i));
                    }
                }
                if (x.wantsJson() || !challenges.isEmpty()) {
                    replies.jsonOrPage(x, 401, "UNAUTHENTICATED", Map.of());
                } else {
                    flashes.add(x, "info", "LOGIN");
                    replies.redirect(x, Replies.withNext(replies.url(config.get(LOGIN_URL)), x.request));
                }
            }
            case REAUTHENTICATION_REQUIRED -> {
                if (x.wantsJson()) {
                    replies.jsonOrPage(x, 401, "REAUTHENTICATION_REQUIRED", Map.of("reauth_required", true));
                } else {
                    flashes.add(x, "info", "REFRESH");
                    replies.redirect(x, Replies.withNext(replies.url(config.get(VERIFY_URL)), x.request));
                }
            }
            case UNAUTHORIZED -> {
                if (scopeChallenge != null) {
                    // An API client's token lacks a scope: the challenge is for it, not a page for a browser.
                    x.response.header("WWW-Authenticate", scopeChallenge);
                    replies.jsonOrPage(x, 403, "UNAUTHORIZED", Map.of());
                } else if (!x.wantsJson() && config.get(UNAUTHORIZED_VIEW).isPresent()) {
                    replies.redirect(x, config.get(UNAUTHORIZED_VIEW).get());
                } else {
                    replies.jsonOrPage(x, 403, "UNAUTHORIZED", Map.of());
                }
            }
        }
    }
}
