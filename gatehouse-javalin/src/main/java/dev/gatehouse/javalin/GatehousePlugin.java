package dev.gatehouse.javalin;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.BackgroundWork;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.WebRoute;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.plugin.ContextPlugin;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Gatehouse for Javalin 7: mounts the endpoints ({@code /login}, {@code /logout}, {@code /verify},
 * {@code /refresh-token}, and those of the account lifecycle features that are on — registration,
 * confirmation, reset, password, email and username change, passwordless sign-in, unlock — at
 * their configured paths), checks every route's {@link Access} roles in a {@code beforeMatched}
 * handler (a password check there that finds no free hashing slot is answered 503 with
 * {@code Retry-After}, also when an application handler's {@code currentUser()} met it), and runs
 * Gatehouse's background work with the server: the mail delivery worker (as
 * {@code mail-backend} says; see {@link BackgroundWork}) and the hourly purge start when the
 * server has started and stop when it stops. Register it before the routes that use
 * {@code Access}: an {@code Access} declared without it stops {@code Javalin.create} (see {@link Access}).
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new GatehousePlugin(gatehouse));
 *     config.routes.get("/admin", Admin::index, Access.rolesRequired("Admin"));
 * });
 * }</pre>
 *
 * <p>It is a Javalin context plugin: inside handlers, {@code ctx.with(GatehousePlugin.class)} gives
 * the request's {@link GatehouseContext} — {@code .user()} the signed-in {@code User} on a protected
 * route, {@code .currentUser()} the user or the anonymous user, {@code .login(user)},
 * {@code .logout()}, {@code .render(page, model)} with Gatehouse's templates (same layout, texts and
 * flash messages as the account pages), {@code .flash(...)} for a notice on the next page. Without
 * the plugin registered, {@code ctx.with} throws Javalin's {@code PluginNotRegisteredException}.
 */
public final class GatehousePlugin extends ContextPlugin<Void, GatehouseContext> {

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

    /** Gatehouse for the request being handled; Javalin calls this for {@code ctx.with(GatehousePlugin.class)}. */
    @Override
    public GatehouseContext createExtension(Context ctx) {
        return new GatehouseContext(web, ctx);
    }

    /** Lets the {@link Access} roles declared after this registration through (see {@link Access}). */
    @Override
    public void onInitialize(JavalinState state) {
        Access.pluginRegistered();
    }

    @Override
    public void onStart(JavalinState state) {
        Access.pluginStarted();
        this.router = state.internalRouter;
        Set<String> headPaths = new HashSet<>();
        for (WebRoute route : web.routes()) {
            if (route.method().equals("HEAD")) {
                headPaths.add(route.path());
            }
        }
        for (WebRoute route : web.routes()) {
            state.routes.addHttpHandler(HandlerType.findOrDefault(route.method()), route.path(),
                    ctx -> route.handler().handle(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx)));
            // Without a HEAD route Javalin answers HEAD with a bare 200 and never runs the GET
            // handler, so the page's headers (no-store, nosniff, CSP) would be missing; the twin
            // answers as the servlet adapter does: the GET's status and headers, no body.
            if (route.method().equals("GET") && headPaths.add(route.path())) {
                state.routes.addHttpHandler(HandlerType.HEAD, route.path(),
                        ctx -> route.handler().handle(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx)));
            }
        }
        state.routes.beforeMatched(this::enforce);
        // An application handler asking for the current user may check an HTTP Basic password.
        state.routes.exception(HashingCapacityException.class,
                (e, ctx) -> web.busy(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx), e));
        // Queued mail goes out while the server runs; a stopped server leaves it in the outbox
        // for the next start (or another node).
        state.events.serverStarted(() -> web.background().start());
        state.events.serverStopping(() -> web.background().close());
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
}
