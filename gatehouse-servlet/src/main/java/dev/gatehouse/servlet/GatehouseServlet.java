package dev.gatehouse.servlet;

import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.PageTexts;
import jakarta.servlet.ServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Gatehouse inside one request that passed {@link GatehouseFilter}: who is making it, signing in
 * and out, the CSRF token, pages and flash messages in Gatehouse's look. The Servlet counterpart
 * of the Javalin plugin's {@code GatehouseContext}:
 *
 * <pre>{@code
 * protected void doGet(HttpServletRequest request, HttpServletResponse response) {
 *     User user = GatehouseServlet.user(request);             // on a path the filter protects
 *     GatehouseServlet.of(request).render("dashboard", Map.of("entries", entries.of(user.id())));
 * }
 * }</pre>
 *
 * The filter keeps it in the request attribute {@link #ATTRIBUTE}. Who made the request is worked
 * out once, on first use (or by the filter's access check) and kept on the request. Not for use
 * outside the request's thread and lifetime.
 */
public final class GatehouseServlet {

    /** The request attribute holding this request's {@code GatehouseServlet}. */
    public static final String ATTRIBUTE = GatehouseServlet.class.getName();

    private final GatehouseWeb web;
    private final ServletWebRequest request;
    private final ServletWebResponse response;

    GatehouseServlet(GatehouseWeb web, ServletWebRequest request, ServletWebResponse response) {
        this.web = web;
        this.request = request;
        this.response = response;
    }

    /**
     * Gatehouse for {@code request}.
     *
     * @throws IllegalStateException if {@link GatehouseFilter} did not handle the request: it is
     *                               not registered, not mapped to this path, or comes later in the chain
     */
    public static GatehouseServlet of(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof GatehouseServlet gatehouse) {
            return gatehouse;
        }
        throw new IllegalStateException("GatehouseFilter did not handle this request: register it for /* "
                + "(servletContext.addFilter(\"gatehouse\", filter).addMappingForUrlPatterns(null, false, \"/*\")) before "
                + "the filters and servlets that ask for the user");
    }

    /**
     * The signed-in user on a path the filter protects, where there always is one.
     *
     * @throws IllegalStateException if nobody is signed in (the path has no rule; use
     *                               {@link #currentUser(ServletRequest)} where visitors are welcome)
     *                               or the filter did not handle the request
     */
    public static User user(ServletRequest request) {
        return of(request).user();
    }

    /** The user making the request, or the anonymous user; never null. See {@link #currentUser()}. */
    public static Identity currentUser(ServletRequest request) {
        return of(request).currentUser();
    }

    /** See {@link #user(ServletRequest)}. */
    public User user() {
        if (currentUser() instanceof User user) {
            return user;
        }
        throw new IllegalStateException("Nobody is signed in on " + request.method() + " " + request.path()
                + ": protect the path (GatehouseFilter.builder(...).protect(pattern, AccessRule.authenticated())) "
                + "or use currentUser(), which gives the anonymous user");
    }

    /**
     * The user making the request, or the anonymous user; never null. On a path without a rule
     * this authenticates with the mechanisms of {@code api-enabled-methods} (token and session).
     */
    public Identity currentUser() {
        return web.currentUser(request, response);
    }

    /** The signed-in user if there is one, else empty. */
    public Optional<User> signedInUser() {
        return currentUser() instanceof User user ? Optional.of(user) : Optional.empty();
    }

    /** How the request authenticated — user, mechanism, when — if it did. */
    public Optional<Authentication> authentication() {
        return web.authentication(request, response);
    }

    /**
     * Applies {@code rule} to this request as the filter does for a protected path, for adapters
     * that decide per handler (the Spring MVC interceptor of {@code gatehouse-spring-boot-starter});
     * see {@link GatehouseWeb#enforce}. On {@code false} the refusal (401, 403, a redirect, ...) is
     * the response, written when the filter chain returns: the caller must not run the handler.
     */
    public boolean enforce(AccessRule rule) {
        return web.enforce(request, response, rule);
    }

    /** Signs {@code user} in on this response, not remembered, as a fresh sign-in; see {@link GatehouseWeb#login}. */
    public void login(User user) {
        login(user, false, Optional.empty(), true);
    }

    /** Signs {@code user} in on this response; see {@link GatehouseWeb#login}. */
    public void login(User user, boolean remember, Optional<Duration> rememberFor, boolean fresh) {
        web.login(request, response, user, remember, rememberFor, fresh);
    }

    /** Signs the request's user out: ends the session and its remember-me grant, clears the cookies. */
    public void logout() {
        web.logout(request, response);
    }

    /** The CSRF token for a form or script of the application's own; see {@link GatehouseWeb#csrfToken}. */
    public String csrfToken() {
        return web.csrfToken(request, response);
    }

    /**
     * Renders an application page with Gatehouse's renderer and page model, with the response's
     * current status (200 unless set); see
     * {@link GatehouseWeb#render}. The page is written when the filter chain returns, so the
     * servlet must write nothing itself.
     */
    public void render(String page, Map<String, ?> model) {
        web.render(request, response, response.status(), page, model);
    }

    /** Queues a flash message for the next page this browser sees; see {@link GatehouseWeb#flash}. */
    public void flash(String category, String message) {
        web.flash(request, response, category, message);
    }

    /** The texts in the language chosen for this request. */
    public PageTexts texts() {
        return web.texts(request);
    }

    /** Gatehouse's state for this request, for the APIs of feature modules that take an {@link Exchange}. */
    public Exchange exchange() {
        return web.exchange(request, response);
    }

    /** The web layer serving this request. */
    public GatehouseWeb web() {
        return web;
    }

    ServletWebRequest webRequest() {
        return request;
    }

    ServletWebResponse webResponse() {
        return response;
    }
}
