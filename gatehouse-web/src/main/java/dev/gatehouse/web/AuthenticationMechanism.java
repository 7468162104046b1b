package dev.gatehouse.web;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.List;
import java.util.Optional;

/**
 * One way a request can prove who sent it, tried in the order of registration (the built-in
 * token, session and HTTP Basic first) and only where the route allows its {@link #mechanism()};
 * the first that answers wins — as Spring Security's {@code ProviderManager} walks its
 * {@code AuthenticationProvider}s. A module adds one with
 * {@link WebOptions.Builder#mechanism(AuthenticationMechanism)}; its name then counts in
 * {@code api-enabled-methods}, {@code csrf-protect-mechanisms} and {@link AccessRule#mechanisms}.
 *
 * <p>Three answers: a user ({@link Authentication}); nothing of this kind was sent (empty, and the
 * next mechanism is tried); or credentials of this kind were sent and are invalid, which the
 * mechanism records with {@link Exchange#reject(Mechanism, String)} before answering empty — the
 * walk then stops, as if it were the last mechanism, and the request gets a 401 with the
 * mechanism's own challenge (RFC 6750 3: {@code Bearer error="invalid_token", ...}), never a redirect
 * to the login page. A mechanism tried earlier still wins: a valid session cookie beats a bad bearer
 * token on a route that allows both.
 *
 * <p>Called on every protected request: implementations are thread-safe and cheap when the
 * request carries nothing for them (answer empty without allocating).
 */
public interface AuthenticationMechanism {

    /** The name routes and settings refer to; unique among the registered mechanisms. */
    Mechanism mechanism();

    /**
     * Who the request proves to be, if it carries valid credentials of this kind; empty when it
     * carries none (the next mechanism is then tried) or invalid ones (the next mechanism is tried
     * too, unless the mechanism called {@link Exchange#reject}). The returned
     * {@link Authentication} names {@link #mechanism()}.
     */
    Optional<Authentication> authenticate(Exchange exchange);

    /**
     * The {@code WWW-Authenticate} value sent with a 401 on routes that allow this mechanism, if
     * any: a challenge also makes browsers get the 401 rather than a redirect to the login page.
     */
    default Optional<String> challenge() {
        return Optional.empty();
    }

    /**
     * The {@code WWW-Authenticate} value sent with the 403 when a request this mechanism
     * authenticated lacks some of a route's {@link AccessRule#scopes() scopes}, such as RFC 6750's
     * {@code Bearer error="insufficient_scope", scope="..."}; empty (the default) sends the 403
     * without one. Only called on that refusal.
     *
     * @param required every scope the route requires, in the order the rule names them
     */
    default Optional<String> insufficientScope(List<String> required) {
        return Optional.empty();
    }
}
