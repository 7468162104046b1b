package dev.gatehouse.javalin;

import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.PageTexts;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Gatehouse inside one Javalin handler: who is making the request, signing in and out, the CSRF
 * token, and pages and flash messages in Gatehouse's look. Obtained with
 * {@code ctx.with(GatehousePlugin.class)}:
 *
 * <pre>{@code
 * config.routes.get("/dashboard", ctx -> {
 *     User user = ctx.with(GatehousePlugin.class).user();
 *     ctx.with(GatehousePlugin.class).render("dashboard", Map.of("entries", entries.of(user.id())));
 * }, Access.authenticated());
 * }</pre>
 *
 * <p>Javalin makes one per {@code ctx.with} call; it holds nothing but the context and the
 * plugin's web layer, and what it learns about the request (who made it) is kept on the request,
 * so asking twice costs no second check. Not for use outside the request's handlers.
 */
public final class GatehouseContext {

    private final GatehouseWeb web;
    private final Context ctx;

    GatehouseContext(GatehouseWeb web, Context ctx) {
        this.web = web;
        this.ctx = ctx;
    }

    /**
     * The signed-in user, for routes that require sign-in ({@link Access#authenticated()} or any
     * other {@link Access} requirement), where there always is one.
     *
     * @throws NotSignedInException if nobody is signed in: the route lacks an {@link Access}
     *                              requirement; use {@link #currentUser()} where anonymous visitors are welcome
     */
    public User user() {
        if (currentUser() instanceof User user) {
            return user;
        }
        throw new NotSignedInException(ctx.method().name() + " " + ctx.path());
    }

    /**
     * The user making the request, or the anonymous user; never null. On a route without an
     * {@link Access} requirement this authenticates with the mechanisms of
     * {@code api-enabled-methods} (token and session by default).
     */
    public Identity currentUser() {
        return web.currentUser(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    /**
     * The signed-in user if there is one, else empty: for routes open to anonymous visitors that
     * still want the user's email or id, without casting {@link #currentUser()}'s {@link Identity}.
     * Authenticates as {@link #currentUser()} does.
     */
    public Optional<User> signedInUser() {
        return currentUser() instanceof User user ? Optional.of(user) : Optional.empty();
    }

    /** How the request authenticated — user, mechanism, when — if it did; see {@link #currentUser()}. */
    public Optional<Authentication> authentication() {
        return web.authentication(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    /**
     * Signs {@code user} in on this response, not remembered, as a fresh sign-in: what an
     * application does after checking who the user is by means of its own. See
     * {@link #login(User, boolean, Optional, boolean)}.
     */
    public void login(User user) {
        login(user, false, Optional.empty(), true);
    }

    /**
     * Signs {@code user} in on this response: a new session (a new id, so no session fixation) and,
     * if {@code remember}, a remember-me cookie. Flask-Security's
     * {@code login_user(user, remember, duration, fresh)}.
     *
     * @param rememberFor lifetime of the remember-me cookie; empty for {@code remember-cookie-duration}
     * @param fresh       whether the sign-in counts as a recent proof of identity ({@link Access#within})
     */
    public void login(User user, boolean remember, Optional<Duration> rememberFor, boolean fresh) {
        web.login(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), user, remember, rememberFor, fresh);
    }

    /** Signs the request's user out: ends the session and its remember-me grant, clears the cookies. */
    public void logout() {
        web.logout(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    /**
     * The CSRF token for a form or script of the application's own; see {@link GatehouseWeb#csrfToken}.
     * Pages rendered with {@link #render} have it as {@code csrf_token} already.
     */
    public String csrfToken() {
        return web.csrfToken(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    /**
     * Renders an application page, e.g. {@code templates/dashboard.html} for {@code "dashboard"},
     * with Gatehouse's renderer and page model; see {@link GatehouseWeb#render}. Uses the
     * context's current status (200 unless set).
     */
    public void render(String page, Map<String, ?> model) {
        web.render(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), ctx.statusCode(), page, model);
    }

    /**
     * Queues a flash message for the next page this browser sees; see {@link GatehouseWeb#flash}.
     *
     * @param category {@code info}, {@code success} or {@code error}
     * @param message  a message key or a text
     */
    public void flash(String category, String message) {
        web.flash(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), category, message);
    }

    /** The texts in the language chosen for this request, for an application's own messages and JSON errors. */
    public PageTexts texts() {
        return web.texts(new JavalinWebRequest(ctx));
    }

    /**
     * Gatehouse's state for this request, for the APIs of feature modules that take an
     * {@link Exchange}, e.g. {@code oidcFeature.accessToken(ctx.with(GatehousePlugin.class).exchange(), scope)}.
     */
    public Exchange exchange() {
        return web.exchange(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx));
    }

    /** Checks {@code rule} as a route's {@link Access} roles do; {@code false} if the response now denies. */
    boolean enforce(AccessRule rule) {
        return web.enforce(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), rule);
    }
}
