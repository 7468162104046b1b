package dev.gatehouse.javalin;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.web.AccessRule;
import io.javalin.http.Handler;
import io.javalin.plugin.PluginNotRegisteredException;
import io.javalin.security.RouteRole;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Javalin route demands, given as a route role and checked by {@link GatehousePlugin}
 * before the handler runs:
 *
 * <pre>{@code
 * config.routes.get("/", Home::show, Access.authenticated());
 * config.routes.get("/admin", Admin::index, Access.rolesRequired("Admin"));
 * config.routes.post("/edit/{id}", Diary::edit, Access.rolesAccepted("Writer", "Editor"));
 * config.routes.get("/api/entries", Api::list, Access.authRequired(TOKEN, SESSION));
 * config.routes.post("/change", Account::change, Access.authenticated().within(Duration.ofMinutes(10)));
 * config.routes.get("/welcome", Pages::welcome, Access.anonymous());
 * config.routes.get("/staff", Staff::index, Access.rolesRequired("Writer").and(Access.check(a -> a.user().email().endsWith("@example.com"))));
 * }</pre>
 *
 * Several {@code Access} roles on one route all apply, as does {@link #and(Access)}. Every
 * requirement but {@link #anonymous()} implies authentication. {@code OPTIONS} (CORS preflight) is never checked.
 *
 * <p><b>Register the plugin first.</b> Javalin itself ignores route roles: only a registered
 * {@link GatehousePlugin} checks them. So an {@code Access} created while Javalin configures an
 * application ({@code Javalin.create}'s lambda, and the plugins' {@code onStart} unless an
 * earlier application on the same thread started a {@code GatehousePlugin}) with no
 * {@code GatehousePlugin} registered before it throws {@link IllegalStateException}, which stops
 * the application at start-up with a message naming what to add. An {@code Access} created
 * before {@code Javalin.create} (a static constant of a class already loaded, a value passed in)
 * cannot be checked that way: Javalin never calls a route role's methods, so if such a value is
 * used as a route role in an application without the plugin, nothing checks it. Where that risk
 * matters (a library of routes), use {@link #wrap}, which fails closed: without the plugin every
 * request to the route is refused with 500, and the log says what to add. Immutable and thread-safe.
 */
public final class Access implements RouteRole {

    private static final Logger LOG = LoggerFactory.getLogger(Access.class);

    /**
     * Whether a {@link GatehousePlugin} was registered in the Javalin application being configured
     * on this thread: {@link #REGISTERED} from its {@code onInitialize} until its {@code onStart},
     * then {@link #STARTED}. Strings, not an enum of ours, so that a stale value left on a pooled
     * thread pins no class loader.
     */
    private static final ThreadLocal<String> PLUGIN = new ThreadLocal<>();
    private static final String REGISTERED = "registered";
    private static final String STARTED = "started";
    private static final StackWalker STACK = StackWalker.getInstance();

    private final AccessRule rule;

    private Access(AccessRule rule) {
        this.rule = rule;
        requirePluginWhileConfiguring();
    }

    /** Called by {@link GatehousePlugin#onInitialize}: the routes declared after it are checked. */
    static void pluginRegistered() {
        PLUGIN.set(REGISTERED);
    }

    /**
     * Called by {@link GatehousePlugin#onStart}, which runs after the configuration lambda: a later
     * application configured on this thread must register its own plugin. Plugins started after
     * Gatehouse in the same application may still declare routes with {@code Access}.
     */
    static void pluginStarted() {
        PLUGIN.set(STARTED);
    }

    /**
     * Throws if Javalin is configuring an application on this thread and no GatehousePlugin was
     * registered in it before this point. The stack is walked only when the plugin is not marked
     * registered, so never for the routes of a correctly configured application.
     */
    private void requirePluginWhileConfiguring() {
        String plugin = PLUGIN.get();
        if (plugin == REGISTERED) {
            return;
        }
        ConfigurationPhase phase = STACK.walk(Access::configurationPhase);
        // Javalin starts the plugins in one go right after the lambda, so STARTED seen in a plugin's
        // onStart is taken to be this application's GatehousePlugin, started before that plugin.
        // (Left over from an earlier application on this thread, it lets the role through unchecked.)
        if (phase == ConfigurationPhase.NONE || (phase == ConfigurationPhase.PLUGIN_START && plugin == STARTED)) {
            return;
        }
        throw new IllegalStateException(this + " is declared in a Javalin app without GatehousePlugin: nothing "
                + "would check it. Add config.registerPlugin(new GatehousePlugin(gatehouse)) to Javalin.create, "
                + "before the routes that use Access.");
    }

    private enum ConfigurationPhase { NONE, USER_CONFIG, PLUGIN_START }

    /**
     * Where Javalin 7 is in configuring an application: {@code Javalin.create} calls
     * {@code JavalinState.applyUserConfig}, which runs the application's lambda and then
     * {@code PluginManager.startPlugins}. Request handlers run under neither.
     */
    private static ConfigurationPhase configurationPhase(Stream<StackWalker.StackFrame> frames) {
        boolean pluginStart = false;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            String type = frame.getClassName();
            String method = frame.getMethodName();
            if (type.equals("io.javalin.plugin.PluginManager") && method.equals("startPlugins")) {
                pluginStart = true;
            } else if (method.equals("applyUserConfig") && (type.equals("io.javalin.config.JavalinState")
                    || type.equals("io.javalin.config.JavalinState$Companion"))) {
                return pluginStart ? ConfigurationPhase.PLUGIN_START : ConfigurationPhase.USER_CONFIG;
            }
        }
        return ConfigurationPhase.NONE;
    }

    /** Any signed-in user, by the default mechanisms ({@code api-enabled-methods}: token and session). */
    public static Access authenticated() {
        return new Access(AccessRule.authenticated());
    }

    /**
     * Only visitors nobody is signed in with, as Flask-Security's {@code anonymous_user_required}:
     * a signed-in JSON client gets 400 ({@code ANONYMOUS_USER_REQUIRED}), a signed-in browser is
     * redirected to {@code post-login-view}. Combines with no other requirement ({@link #and} throws).
     */
    public static Access anonymous() {
        return new Access(AccessRule.anonymous());
    }

    /**
     * Any signed-in user (by the default mechanisms) for whom {@code predicate} holds, over the
     * {@link Authentication}: the user, the mechanism, when they signed in, the scopes. False is a
     * 403, as a missing role is; combine with {@link #and}:
     * {@code Access.rolesRequired("Writer").and(Access.check(a -> a.user().hasPermission("entries:write")))}.
     * The predicate runs on every request of the route and must be thread-safe.
     */
    public static Access check(Predicate<Authentication> predicate) {
        return new Access(AccessRule.check(predicate));
    }

    /**
     * Any user authenticated by one of these mechanisms, tried in the order they are registered:
     * token, session, basic, then those a module adds ({@code Mechanism.of("api-key")}).
     */
    public static Access authRequired(Mechanism... mechanisms) {
        return new Access(AccessRule.mechanisms(mechanisms));
    }

    /** A user holding every listed role; an entry may be an {@code AnyOf.anyOf(...)} group. */
    public static Access rolesRequired(Object... roles) {
        return new Access(AccessRule.rolesRequired(roles));
    }

    /** A user holding at least one of the roles. */
    public static Access rolesAccepted(String... roles) {
        return new Access(AccessRule.rolesAccepted(roles));
    }

    /** A user granted every listed permission. */
    public static Access permissionsRequired(String... permissions) {
        return new Access(AccessRule.permissionsRequired(permissions));
    }

    /** A user granted at least one of the permissions. */
    public static Access permissionsAccepted(String... permissions) {
        return new Access(AccessRule.permissionsAccepted(permissions));
    }

    /**
     * A request whose credential grants every listed OAuth 2.0 scope, such as a bearer token's
     * {@code scp}: {@code Access.authRequired(BEARER).and(Access.scopesRequired("entries.read"))}.
     * Session, API-token and Basic sign-ins grant no scopes; lacking one is a 403 with the
     * mechanism's {@code insufficient_scope} challenge. See {@link AccessRule#scopes(String...)}.
     */
    public static Access scopesRequired(String... scopes) {
        return new Access(AccessRule.scopes(scopes));
    }

    /** This requirement, and the user must have proved who they are within {@code window} (Flask-Security's {@code within}). */
    public Access within(Duration window) {
        return new Access(rule.within(window));
    }

    /**
     * Both requirements.
     *
     * @throws IllegalArgumentException if one is {@link #anonymous()} and the other is not, or their mechanisms exclude each other
     */
    public Access and(Access other) {
        return new Access(rule.and(other.rule));
    }

    /** The framework-neutral rule. */
    public AccessRule rule() {
        return rule;
    }

    /**
     * The same check as a handler wrapper, for code that prefers wrapping to route roles:
     * {@code get("/admin", Access.rolesRequired("Admin").wrap(Admin::index))}. Unlike a route
     * role it cannot fail open: in an application without {@link GatehousePlugin} registered,
     * every request is refused with 500 (the handler never runs) and an error is logged naming
     * what to add.
     */
    public Handler wrap(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            GatehouseContext gatehouse;
            try {
                gatehouse = ctx.with(GatehousePlugin.class);
            } catch (PluginNotRegisteredException e) {
                LOG.error("Refused {} {}: the route requires {} but GatehousePlugin is not registered; add "
                        + "config.registerPlugin(new GatehousePlugin(gatehouse)) to Javalin.create", ctx.method(),
                        ctx.path(), this);
                throw e;   // Javalin answers 500, as for ctx.with(GatehousePlugin.class) in any handler
            }
            if (gatehouse.enforce(rule)) {
                handler.handle(ctx);
            }
        };
    }

    @Override
    public String toString() {
        // Only what the route demands, e.g. Access[roles=[Admin]], for start-up and refusal messages.
        StringBuilder text = new StringBuilder("Access[");
        if (rule.anonymousOnly()) {
            text.append("anonymous, ");
        }
        append(text, "mechanisms", rule.mechanisms());
        append(text, "roles", rule.roles());
        append(text, "permissions", rule.permissionsAll());
        append(text, "any permission of", rule.permissionsAny());
        append(text, "scopes", rule.scopes());
        rule.freshWithin().ifPresent(window -> text.append("within=").append(window).append(", "));
        if (!rule.checks().isEmpty()) {
            text.append("checks=").append(rule.checks().size()).append(", ");
        }
        if (text.length() == "Access[".length()) {
            text.append("authenticated, ");
        }
        return text.replace(text.length() - 2, text.length(), "]").toString();
    }

    private static void append(StringBuilder text, String name, Collection<?> values) {
        if (!values.isEmpty()) {
            text.append(name).append('=').append(values).append(", ");
        }
    }
}
