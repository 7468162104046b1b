package dev.gatehouse.web;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.Optional;

/**
 * One way a request can prove who sent it, tried in the order of registration (the built-in
 * token, session and HTTP Basic first) and only where the route allows its {@link #mechanism()};
 * the first that answers wins — as Spring Security's {@code ProviderManager} walks its
 * {@code AuthenticationProvider}s. A module adds one with
 * {@link WebOptions.Builder#mechanism(AuthenticationMechanism)}; its name then counts in
 * {@code api-enabled-methods}, {@code csrf-protect-mechanisms} and {@link AccessRule#mechanisms}.
 *
 * <p>Called on every protected request: implementations are thread-safe and cheap when the
 * request carries nothing for them (answer empty without allocating).
 */
public interface AuthenticationMechanism {

    /** The name routes and settings refer to; unique among the registered mechanisms. */
    Mechanism mechanism();

    /**
     * Who the request proves to be, if it carries valid credentials of this kind; empty when it
     * carries none or invalid ones (the next mechanism is then tried). The returned
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
}
