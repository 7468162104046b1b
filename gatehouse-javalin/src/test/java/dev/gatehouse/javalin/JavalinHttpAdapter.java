package dev.gatehouse.javalin;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.contract.HttpAdapter;
import dev.gatehouse.web.contract.TestRoute;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs gatehouse-web's HTTP contract suite on Javalin: a server with {@link GatehousePlugin}
 * registered as an application does, and each test route's rule declared as an {@link Access}
 * route role, so the plugin's {@code beforeMatched} check is what the suite exercises.
 * Registered in {@code META-INF/services/dev.gatehouse.web.contract.HttpAdapter}.
 */
public final class JavalinHttpAdapter implements HttpAdapter {

    private final Consumer<JavalinConfig> javalinRoutes;

    /** The adapter the contract suite finds. */
    public JavalinHttpAdapter() {
        this(config -> { });
    }

    /** With routes of Javalin's own API added, for the tests of what only Javalin has. */
    JavalinHttpAdapter(Consumer<JavalinConfig> javalinRoutes) {
        this.javalinRoutes = javalinRoutes;
    }

    @Override
    public RunningServer start(Gatehouse gatehouse, WebOptions options, List<TestRoute> appRoutes) {
        GatehousePlugin plugin = new GatehousePlugin(gatehouse, options);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.registerPlugin(plugin);
            for (TestRoute route : appRoutes) {
                RouteRole[] roles = route.rule().map(rule -> new RouteRole[] {access(rule)}).orElse(new RouteRole[0]);
                config.routes.addHttpHandler(HandlerType.findOrDefault(route.method()), route.path(),
                        ctx -> route.handler().handle(plugin.web(), new JavalinWebRequest(ctx), new JavalinWebResponse(ctx)),
                        roles);
            }
            javalinRoutes.accept(config);
        }).start(0);
        return new RunningServer() {
            @Override
            public int port() {
                return app.port();
            }

            @Override
            public GatehouseWeb web() {
                return plugin.web();
            }

            @Override
            public void close() {
                app.stop();
            }
        };
    }

    /**
     * The route role an application would write for {@code rule}, built with {@code Access}'s
     * own factories; checked to say exactly what the rule says, so no requirement is lost.
     */
    static Access access(AccessRule rule) {
        Access access = rule.mechanisms().isEmpty() ? Access.authenticated()
                : Access.authRequired(rule.mechanisms().toArray(Mechanism[]::new));
        if (!rule.roles().isEmpty()) {
            access = access.and(Access.rolesRequired(rule.roles().toArray()));
        }
        if (!rule.permissionsAll().isEmpty()) {
            access = access.and(Access.permissionsRequired(rule.permissionsAll().toArray(String[]::new)));
        }
        if (!rule.permissionsAny().isEmpty()) {
            access = access.and(Access.permissionsAccepted(rule.permissionsAny().toArray(String[]::new)));
        }
        if (rule.freshWithin().isPresent()) {
            access = access.within(rule.freshWithin().get());
        }
        if (!access.rule().equals(rule)) {
            throw new IllegalArgumentException("Access cannot say " + rule + ", only " + access.rule());
        }
        return access;
    }
}
