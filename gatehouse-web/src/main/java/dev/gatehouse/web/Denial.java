package dev.gatehouse.web;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.user.Identity;
import java.util.Set;

/**
 * Why a request was refused, handed to a replaceable {@link DenialHandler}. A handler that only
 * wants to adjust some cases can call {@link #respondWithDefault()} for the others.
 */
public final class Denial {

    /** The three ways access can be refused, as in Flask-Security. */
    public enum Reason {
        /** Nobody is signed in (401, or a redirect to the login page). */
        UNAUTHENTICATED,
        /** Signed in, but without the required roles or permissions (403). */
        UNAUTHORIZED,
        /** Signed in, but not recently enough (401 with {@code reauth_required}, or a redirect to verify). */
        REAUTHENTICATION_REQUIRED
    }

    private final Reason reason;
    private final boolean wantsJson;
    private final Set<Mechanism> mechanisms;
    private final Identity identity;
    private final Runnable defaultResponse;

    Denial(Reason reason, boolean wantsJson, Set<Mechanism> mechanisms, Identity identity, Runnable defaultResponse) {
        this.reason = reason;
        this.wantsJson = wantsJson;
        this.mechanisms = mechanisms;
        this.identity = identity;
        this.defaultResponse = defaultResponse;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the client asked for JSON rather than HTML. */
    public boolean wantsJson() {
        return wantsJson;
    }

    /** The mechanisms the route allows. */
    public Set<Mechanism> mechanisms() {
        return mechanisms;
    }

    /** Who was refused: the anonymous user when unauthenticated. */
    public Identity identity() {
        return identity;
    }

    /** Writes Gatehouse's own response for this denial. */
    public void respondWithDefault() {
        defaultResponse.run();
    }
}
