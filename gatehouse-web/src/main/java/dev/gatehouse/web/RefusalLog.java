package dev.gatehouse.web;

import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per refused request (ASVS 16.3.2, 16.3.3), on the logger {@code dev.gatehouse.security}
 * so that operators can route it apart: who (user id, client address), what (method, path) and why.
 *
 * <p>Never logged: query strings (they may carry {@code auth_token} or {@code next} with tokens),
 * path segments long enough to be a token (emailed links carry theirs in the path),
 * cookie, header and body values, CSRF tokens, the refused {@code next}. What is logged and comes
 * from the client — the path and the address — is neutralised first: control characters (CR, LF,
 * …) become {@code _}, so a request cannot forge log lines (ASVS 16.4.1), and long values are cut.
 *
 * <p>Levels: INFO for refusals that a well-behaved client rarely meets and that may show an attack
 * (403, CSRF, re-authentication required, off-site {@code next}, rate limits); DEBUG for a plain
 * 401 of an anonymous request, which every browser meets when it opens a protected page before
 * signing in — at INFO it would drown the rest. Credentials a mechanism rejected
 * ({@link Exchange#reject}) are logged at INFO with the mechanism's name, never the credentials.
 */
final class RefusalLog {

    /** The logger's name. */
    static final String NAME = "dev.gatehouse.security";
    private static final Logger LOG = LoggerFactory.getLogger(NAME);
    private static final int MAX_TEXT = 200;
    /** Path segments at least this long are taken for secrets (tokens, digests) and not logged. */
    private static final int SECRET_LENGTH = 32;

    private RefusalLog() {
    }

    static void denied(Exchange x, Denial.Reason reason, Identity identity) {
        switch (reason) {
            case UNAUTHENTICATED -> {
                if (x.rejectedBy != null) {
                    // Presented and invalid (a forged or expired bearer token): worth an operator's eye, unlike a plain 401.
                    LOG.info("Refused {} {}: invalid {} credentials (client {})", x.request.method(), path(x),
                            x.rejectedBy.settingName(), address(x));
                } else if (LOG.isDebugEnabled()) {
                    LOG.debug("Refused {} {}: not signed in (client {})", x.request.method(), path(x), address(x));
                }
            }
            case REAUTHENTICATION_REQUIRED -> LOG.info("Refused {} {}: re-authentication required (user {}, client {})",
                    x.request.method(), path(x), userId(identity), address(x));
            case UNAUTHORIZED -> LOG.info("Refused {} {}: forbidden, lacking a role, permission or scope (user {}, client {})",
                    x.request.method(), path(x), userId(identity), address(x));
        }
    }

    /** {@code reason}: the text key, {@code CSRF_MISSING}, {@code CSRF_INVALID}, {@code CSRF_COOKIE_MISSING…}. */
    static void csrf(Exchange x, String reason) {
        String what = switch (reason) {
            case "CSRF_MISSING" -> "token missing";
            case "CSRF_INVALID" -> "token invalid";
            case "CSRF_COOKIE_MISSING_OVER_HTTP" -> "token sent without the cookie it is bound to, over plain HTTP "
                    + "while cookie-secure is on (Secure cookies are not sent over HTTP)";
            default -> "token sent without the cookie it is bound to";
        };
        LOG.info("Refused {} {}: CSRF {} (user {}, client {})", x.request.method(), path(x), what, userId(x), address(x));
    }

    static void offSiteNext(Exchange x) {
        LOG.info("Refused {} {}: off-site next (user {}, client {})", x.request.method(), path(x), userId(x), address(x));
    }

    /**
     * At DEBUG, unlike the other refusals: it is the server's state, not the client's behaviour, and a
     * sign-in flood would otherwise write a line per refused attempt.
     */
    static void busy(Exchange x) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Refused {} {}: no password hashing slot free (user {}, client {})", x.request.method(), path(x),
                    userId(x), address(x));
        }
    }

    static void rateLimited(Exchange x) {
        LOG.info("Refused {} {}: rate limit (user {}, client {})", x.request.method(), path(x), userId(x), address(x));
    }

    private static String userId(Identity identity) {
        return identity instanceof User user ? Long.toString(user.id()) : "-";
    }

    /** The user the request authenticated as, if it already did; never authenticates for the log. */
    private static String userId(Exchange x) {
        return x.authentication == null ? "-" : x.authentication.map(a -> Long.toString(a.user().id())).orElse("-");
    }

    static String path(Exchange x) {
        return neutralised(withoutSecrets(x.request.path()));
    }

    /**
     * Segments that are long enough to be a secret become {@code …}: emailed links carry their
     * token in the path ({@code /us-verify-link/<token>}, {@code /confirm/<token>}), and a refused
     * POST to one must not write the still-valid token into the log. No route's own name is that
     * long.
     */
    static String withoutSecrets(String path) {
        if (path.length() < SECRET_LENGTH) {
            return path;
        }
        StringBuilder kept = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            kept.append(end - start >= SECRET_LENGTH ? "…" : path.substring(start, end));
            if (end < path.length()) {
                kept.append('/');
            }
            start = end + 1;
        }
        return kept.toString();
    }

    static String address(Exchange x) {
        return x.client().ip().map(RefusalLog::neutralised).orElse("-");
    }

    /** {@code value} safe for one log line: control characters replaced, at most {@value #MAX_TEXT} characters. */
    static String neutralised(String value) {
        StringBuilder safe = new StringBuilder(Math.min(value.length(), MAX_TEXT + 1));
        for (int i = 0; i < value.length() && safe.length() < MAX_TEXT; i++) {
            char c = value.charAt(i);
            safe.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '_' : c);
        }
        if (value.length() > MAX_TEXT) {
            safe.append('…');
        }
        return safe.toString();
    }
}
