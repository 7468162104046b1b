package dev.gatehouse.javalin;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.WebRoute;
import io.javalin.config.JavalinState;
import io.javalin.config.Key;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.util.Objects;
import java.util.Set;

/**
 * Gatehouse for Javalin 7: mounts the endpoints ({@code /login}, {@code /logout}, {@code /verify},
 * {@code /refresh-token}, at their configured paths) and checks every route's {@link Access}
 * roles in a {@code beforeMatched} handler.
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new GatehousePlugin(gatehouse));
 *     config.routes.get("/admin", Admin::index, Access.rolesRequired("Admin"));
 * });
 * }</pre>
 *
 * Inside handlers, {@code Gatehouse.currentUser(ctx)} is the user or the anonymous user.
 */
public final class GatehousePlugin extends Plugin<Void> {

    static final Key<GatehouseWeb> WEB = new Key<>("dev.gatehouse.javalin.GatehouseWeb");

    private final GatehouseWeb web;
    private InternalRouter router;

    /** Gatehouse's web layer with default options. */
    public GatehousePlugin(Gatehouse gatehouse) {
        this(gatehouse, WebOptions.defaults());
    }

    /** Gatehouse's web layer with the given user payload, denial handler, pages and texts. */
    public GatehousePlugin(Gatehouse gatehouse, WebOptions options) {
        this.web = new GatehouseWeb(Objects.requireNonNull(gatehouse, "gatehouse"), options);
    }

    /** The framework-neutral web layer this plugin mounts. */
    public GatehouseWeb web() {
        return web;
    }

    @Override
    public void onStart(JavalinState state) {
        state.appData(WEB, web);
        this.router = state.internalRouter;
        for (WebRoute route : web.routes()) {
            state.routes.addHttpHandler(HandlerType.findOrDefault(route.method()), route.path(),
                    ctx -> route.handler().handle(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx)));
        }
        state.routes.beforeMatched(this::enforce);
    }

    private void enforce(Context ctx) {
        AccessRule rule = null;
        for (RouteRole role : rolesOf(ctx)) {
            if (role instanceof Access access) {
                rule = rule == null ? access.rule() : rule.and(access.rule());
            }
        }
        if (rule != null && !web.enforce(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), rule)) {
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * The route's roles. Javalin answers a HEAD request from the GET route when there is no HEAD
     * route, but hands {@code beforeMatched} no roles for it; those of the GET route apply.
     */
    private Set<RouteRole> rolesOf(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (!roles.isEmpty() || !ctx.method().equals(HandlerType.HEAD)
                || router.findFirstHttpHandlerEntry(HandlerType.HEAD, ctx.path()) != null) {
            return roles;
        }
        ParsedEndpoint get = router.findFirstHttpHandlerEntry(HandlerType.GET, ctx.path());
        Roles getRoles = get == null ? null : get.endpoint.metadata(Roles.class);
        return getRoles == null ? roles : getRoles.getRoles();
    }

    static GatehouseWeb web(Context ctx) {
        try {
            return ctx.appData(WEB);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("GatehousePlugin is not registered with this Javalin app", e);
        }
    }
}
