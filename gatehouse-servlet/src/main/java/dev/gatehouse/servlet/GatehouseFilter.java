package dev.gatehouse.servlet;

import static dev.gatehouse.config.Settings.URL_PREFIX;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.WebRoute;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gatehouse for Jakarta Servlet 6 containers (Tomcat, Jetty, Undertow, Spring MVC's): one filter
 * that serves Gatehouse's endpoints and pages ({@code /login}, {@code /logout}, {@code /register},
 * ... as configured), enforces the access rules declared per path pattern, and passes every other
 * request down the chain with {@link GatehouseServlet} attached, the request's user on demand.
 *
 * <pre>{@code
 * GatehouseFilter filter = GatehouseFilter.builder(gatehouse)
 *         .protect("/api/*", AccessRule.mechanisms(TOKEN, SESSION))
 *         .protect("/admin/*", AccessRule.rolesRequired("Admin"))
 *         .protect("/account", AccessRule.authenticated())
 *         .build();
 * servletContext.addFilter("gatehouse", filter).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * Map it to {@code /*} and first, so nothing reads the body or answers before it. Patterns are
 * Servlet URL patterns, relative to the context path: exact ({@code /account}), prefix
 * ({@code /api/*}, also matching {@code /api}) or extension ({@code *.pdf}); they are matched
 * against the path the container dispatches on (decoded and normalised), and every pattern that
 * matches applies. {@code OPTIONS} (CORS preflight) is never checked. A {@code HEAD} request to a
 * Gatehouse page is answered by its {@code GET} route without a body; another method on a
 * Gatehouse path that has no route for it goes down the chain, as in Javalin.
 *
 * <p>Deployed under a context path ({@code /app}), {@code url-prefix} must start with it, since the
 * web layer builds its links and redirects from configured paths; {@link #init} refuses otherwise.
 * The filter starts Gatehouse's background work (mail delivery, purge) in {@link #init} and stops
 * it in {@link #destroy}. Thread-safe; one instance per application.
 */
public final class GatehouseFilter implements Filter {

    private final GatehouseWeb web;
    private final List<PathRule> rules;

    private GatehouseFilter(GatehouseWeb web, List<PathRule> rules) {
        this.web = web;
        this.rules = List.copyOf(rules);
    }

    /** A builder for a filter serving {@code gatehouse}'s web layer. */
    public static Builder builder(Gatehouse gatehouse) {
        return new Builder(gatehouse);
    }

    /** The framework-neutral web layer this filter serves. */
    public GatehouseWeb web() {
        return web;
    }

    /**
     * Checks the context path against {@code url-prefix} and starts the background work.
     *
     * @throws ServletException if the application has a context path that {@code url-prefix} does not start with
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        String contextPath = config.getServletContext().getContextPath();
        String prefix = web.gatehouse().config().get(URL_PREFIX).orElse("");
        if (!contextPath.isEmpty() && !(prefix.equals(contextPath) || prefix.startsWith(contextPath + "/"))) {
            throw new ServletException("GatehouseFilter: the application runs under the context path " + contextPath
                    + " but url-prefix is '" + prefix + "'; set url-prefix=" + contextPath
                    + " (or " + contextPath + "/auth, ...) so that Gatehouse's links and redirects reach it");
        }
        web.background().start();
    }

    @Override
    public void destroy() {
        web.background().close();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request && res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        ServletWebRequest webRequest = new ServletWebRequest(request);
        ServletWebResponse webResponse = new ServletWebResponse(response, request.getMethod().equals("HEAD"));
        request.setAttribute(GatehouseServlet.ATTRIBUTE, new GatehouseServlet(web, webRequest, webResponse));
        dispatch(request, response, chain, webRequest, webResponse);
        // Not in a finally block: after an exception the container answers 500 and nothing of ours goes out.
        webResponse.finish();
    }

    /** Gatehouse's endpoint if the path is one, else the rules, then the rest of the chain. */
    private void dispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            ServletWebRequest webRequest, ServletWebResponse webResponse) throws IOException, ServletException {
        Optional<WebRoute> route = web.route(webRequest.method(), webRequest.path());
        if (route.isPresent()) {
            route.get().handler().handle(webRequest, webResponse);
            return;
        }
        Optional<AccessRule> rule = ruleFor(ServletWebRequest.pathInContext(request));
        if (rule.isPresent() && !web.enforce(webRequest, webResponse, rule.get())) {
            return;
        }
        try {
            // Always wrapped: a later access check or currentUser() may still read the body before the application does.
            chain.doFilter(new ReadBodyRequest(request, webRequest), response);
        } catch (RuntimeException | ServletException e) {
            // An application handler asking for the current user may check an HTTP Basic password
            // and find no free hashing slot: 503, as on Gatehouse's own endpoints.
            Optional<HashingCapacityException> busy = busyCause(e);
            if (busy.isEmpty() || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            web.busy(webRequest, webResponse, busy.get());
        }
    }

    private static Optional<HashingCapacityException> busyCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HashingCapacityException busy) {
                return Optional.of(busy);
            }
        }
        return Optional.empty();
    }

    /** Every rule whose pattern matches, combined; empty when none does. */
    private Optional<AccessRule> ruleFor(String path) {
        AccessRule combined = null;
        for (PathRule rule : rules) {
            if (rule.matches(path)) {
                combined = combined == null ? rule.rule() : combined.and(rule.rule());
            }
        }
        return Optional.ofNullable(combined);
    }

    /** Builds a {@link GatehouseFilter}: the web options, then the rules per path pattern. Not thread-safe. */
    public static final class Builder {

        private final Gatehouse gatehouse;
        private WebOptions options = WebOptions.defaults();
        private final List<PathRule> rules = new ArrayList<>();

        private Builder(Gatehouse gatehouse) {
            this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        }

        /** The user payload, denial handler, pages, texts, mechanisms and features; the defaults unless set. */
        public Builder options(WebOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Requires {@code rule} on every path {@code pattern} matches (see the class comment for
         * the patterns); several rules on one path all apply.
         *
         * @throws IllegalArgumentException if the pattern is not a Servlet URL pattern
         */
        public Builder protect(String pattern, AccessRule rule) {
            rules.add(new PathRule(pattern, rule));
            return this;
        }

        /**
         * The filter, with Gatehouse's web layer built from the options.
         *
         * @throws IllegalArgumentException if the options or configuration are inconsistent (see {@link GatehouseWeb})
         */
        public GatehouseFilter build() {
            return new GatehouseFilter(new GatehouseWeb(gatehouse, options), rules);
        }
    }
}
