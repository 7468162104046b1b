package dev.gatehouse.javalin;

/**
 * {@link GatehouseContext#user()} was called while nobody is signed in: a programming error, as
 * the route has no {@link Access} requirement that would have turned the visitor away first.
 * Protect the route (e.g. {@link Access#authenticated()}), or use
 * {@link GatehouseContext#currentUser()}, which gives the anonymous user.
 */
public final class NotSignedInException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    NotSignedInException(String request) {
        super("Nobody is signed in on " + request + ": protect the route with an Access requirement "
                + "(e.g. Access.authenticated()) or use currentUser(), which gives the anonymous user");
    }
}
