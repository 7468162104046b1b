package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CSRF_IGNORE_UNAUTH_ENDPOINTS;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.token.TokenSigner;
import java.util.Optional;
import java.util.Set;

/**
 * Synchronizer-token CSRF protection: tokens are MACs of what they are bound to — the session's
 * family when signed in by session, else an anonymous nonce cookie — so that even the login form
 * is protected. Thread-safe.
 */
final class Csrf {

    static final String PURPOSE = "csrf";

    private final TokenSigner tokens;
    private final Cookies cookies;
    private final Authenticator authenticator;
    private final GatehouseConfig config;

    Csrf(TokenSigner tokens, Cookies cookies, Authenticator authenticator, GatehouseConfig config) {
        this.tokens = tokens;
        this.cookies = cookies;
        this.authenticator = authenticator;
        this.config = config;
    }

    static boolean isUnsafe(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"));
    }

    /**
     * The CSRF rule of an unsafe request: a request authenticated by a protected mechanism needs a
     * token bound to it; and a request that carries a valid session cookie is held to the
     * session's rule whatever it authenticated with, or a page on another site could send the
     * victim's cookie along with the attacker's own API token (and make, say, a logout end the
     * victim's session).
     */
    boolean passes(Exchange x, Authentication auth) {
        Set<Mechanism> protectedMechanisms = authenticator.csrfMechanisms;
        if (protectedMechanisms.contains(auth.mechanism()) && !valid(x)) {
            return false;
        }
        if (auth.mechanism().equals(Mechanism.SESSION) || !protectedMechanisms.contains(Mechanism.SESSION)) {
            return true;
        }
        Optional<SessionRecord> cookieSession = authenticator.cookieSession(x);
        return cookieSession.isEmpty() || valid(x, Optional.of(sessionBinding(cookieSession.get())));
    }

    /**
     * Login CSRF: the form carries a token bound to the anonymous nonce cookie. With
     * {@code csrf-ignore-unauth-endpoints}, clients that send none (API clients) may sign in, but a
     * browser request from another origin is still refused.
     */
    boolean loginPasses(Exchange x) {
        if (valid(x)) {
            return true;
        }
        return config.get(CSRF_IGNORE_UNAUTH_ENDPOINTS) && !presented(x) && !isCrossOrigin(x.request);
    }

    /** Whether the request carries a CSRF token at all, valid or not. */
    static boolean presented(Exchange x) {
        return x.request.header("X-CSRF-Token").isPresent() || x.request.header("X-CSRFToken").isPresent()
                || x.request.header("X-XSRF-Token").isPresent() || x.fields().has("csrf_token");
    }

    /** The token for this client; sets the anonymous nonce cookie if it has none yet. */
    String token(Exchange x) {
        String binding = binding(x, true).orElseGet(() -> {
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
        String token = tokens.mac(PURPOSE, binding);
        cookies.readableCsrf.ifPresent(name -> x.response.addHeader("Set-Cookie", cookies.readableCookie(name, token)));
        x.csrfBinding = binding;
        x.csrfToken = token;
        return token;
    }

    /**
     * What the CSRF token is bound to: the session's family when signed in by session, else the
     * nonce cookie — the one minted in this response if {@code issuing}, else only the request's.
     */
    private Optional<String> binding(Exchange x, boolean issuing) {
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

    /**
     * Whether the request lacks what a token would be bound to: no session it signed in with and
     * no nonce cookie. A right token cannot be told from a wrong one then; the usual cause is a
     * client that did not send back the cookies (e.g. {@code Secure} cookies over plain HTTP).
     */
    boolean bindingMissing(Exchange x) {
        return binding(x, false).isEmpty();
    }

    /** Whether the request carries a token bound to what it authenticated with (or its nonce). */
    boolean valid(Exchange x) {
        return valid(x, binding(x, false));
    }

    /** Whether the request carries a CSRF token bound to {@code binding}. */
    private boolean valid(Exchange x, Optional<String> binding) {
        if (binding.isEmpty()) {
            return false;
        }
        Optional<String> presented = x.request.header("X-CSRF-Token")
                .or(() -> x.request.header("X-CSRFToken"))
                .or(() -> x.request.header("X-XSRF-Token"))
                .or(() -> x.fields().text("csrf_token"));
        return presented.isPresent() && tokens.verifyMac(PURPOSE, binding.get(), presented.get());
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
}
