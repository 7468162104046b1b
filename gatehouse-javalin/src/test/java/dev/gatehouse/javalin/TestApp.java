package dev.gatehouse.javalin;

import static dev.gatehouse.request.Mechanism.BASIC;
import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EMAIL_SENDER;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.AnyOf;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import dev.gatehouse.config.MailBackend;

/**
 * A real Javalin server with the Gatehouse plugin and a handful of routes covering every kind of
 * access requirement, started on a free port. Cookies are not Secure by default here because the
 * tests speak plain HTTP; tests of the secure cookie attributes turn it back on. Rate limits are
 * off and mail stays in the outbox unless a test's configuration says otherwise.
 */
final class TestApp implements AutoCloseable {

    /** The password of every user made by {@link #newUser}. */
    static final String PASSWORD = "correct horse battery";
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    final TestGatehouse t;
    final Gatehouse gatehouse;
    final GatehousePlugin plugin;
    final Javalin app;
    /** How often the handler of {@code /admin-audited} ran. */
    final java.util.concurrent.atomic.AtomicInteger adminHandlerRuns = new java.util.concurrent.atomic.AtomicInteger();

    TestApp() {
        this(c -> { }, WebOptions.defaults());
    }

    TestApp(Consumer<GatehouseConfig.Builder> config) {
        this(config, WebOptions.defaults());
    }

    TestApp(WebOptions options) {
        this(c -> { }, options);
    }

    TestApp(Consumer<GatehouseConfig.Builder> config, WebOptions options) {
        this(config, options, parts -> { });
    }

    /** With {@code parts} choosing stores on the Gatehouse builder (e.g. the JDBC ones). */
    TestApp(Consumer<GatehouseConfig.Builder> config, WebOptions options, Consumer<Gatehouse.Builder> parts) {
        this.t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            // The test clock stands still, so every request of a class falls into one rate-limit
            // window; tests of the limits turn them back on. No mail leaves unless a test says where.
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
            config.accept(c);
        }, parts);
        this.gatehouse = t.gatehouse;
        UsedSecrets.add(TestGatehouse.SECRET);
        UsedSecrets.add(PASSWORD);
        this.plugin = new GatehousePlugin(gatehouse, options);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/public", ctx -> ctx.result(describe(Gatehouse.currentUser(ctx))));
            cfg.routes.get("/account", ctx -> ctx.result("account"));
            cfg.routes.get("/denied", ctx -> ctx.result("denied page"));
            cfg.routes.get("/session-or-basic", ctx -> ctx.result(describe(ctx)), Access.authRequired(SESSION, BASIC));
            cfg.routes.get("/token-or-session", ctx -> ctx.result(describe(ctx)), Access.authRequired(TOKEN, SESSION));
            cfg.routes.get("/via", ctx -> ctx.result(describe(ctx)), Access.authRequired(TOKEN, SESSION, BASIC));
            cfg.routes.get("/api/me", ctx -> ctx.json(me(Gatehouse.currentUser(ctx))), Access.authenticated());
            cfg.routes.post("/api/me", ctx -> ctx.json(me(Gatehouse.currentUser(ctx))), Access.authenticated());
            cfg.routes.put("/api/me", ctx -> ctx.json(me(Gatehouse.currentUser(ctx))), Access.authenticated());
            cfg.routes.patch("/api/me", ctx -> ctx.json(me(Gatehouse.currentUser(ctx))), Access.authenticated());
            cfg.routes.delete("/api/me", ctx -> ctx.json(me(Gatehouse.currentUser(ctx))), Access.authenticated());
            // A handler with caching rules of its own, which win over Gatehouse's no-store.
            cfg.routes.get("/cacheable", ctx -> ctx.header("Cache-Control", "private, max-age=60").result("ok"),
                    Access.authenticated());
            cfg.routes.get("/token-only", ctx -> ctx.result("token"), Access.authRequired(TOKEN));
            cfg.routes.get("/session-only", ctx -> ctx.result("session"), Access.authRequired(SESSION));
            cfg.routes.get("/basic", ctx -> ctx.result("basic " + Gatehouse.currentUser(ctx)), Access.authRequired(BASIC));
            cfg.routes.post("/basic", ctx -> ctx.result("basic post"), Access.authRequired(BASIC));
            cfg.routes.get("/admin", ctx -> ctx.result("admin"), Access.rolesRequired("Admin"));
            cfg.routes.get("/admin-audited", ctx -> {
                adminHandlerRuns.incrementAndGet();
                ctx.result("audited");
            }, Access.rolesRequired("Admin"));
            cfg.routes.get("/writers", ctx -> ctx.result("writers"), Access.rolesAccepted("Writer", "Editor"));
            cfg.routes.get("/staff-writers", ctx -> ctx.result("staff-writers"), Access.rolesRequired("Staff", "Writer"));
            cfg.routes.get("/mixed", ctx -> ctx.result("mixed"), Access.rolesRequired("Staff", AnyOf.anyOf("Writer", "Editor")));
            cfg.routes.get("/perm", ctx -> ctx.result("perm"), Access.permissionsRequired("entries:delete"));
            cfg.routes.get("/any-perm", ctx -> ctx.result("any-perm"), Access.permissionsAccepted("a:x", "entries:read"));
            cfg.routes.get("/fresh", ctx -> ctx.result("fresh"), Access.authenticated().within(Duration.ofMinutes(5)));
            cfg.routes.get("/two-roles", ctx -> ctx.result("two"), Access.rolesRequired("Admin"), Access.authRequired(TOKEN));
            cfg.routes.options("/api/me", ctx -> ctx.result("preflight"), Access.authenticated());
            cfg.routes.get("/wrapped", Access.rolesRequired("Admin").wrap(ctx -> ctx.result("wrapped")));
            cfg.routes.post("/programmatic-login/{id}", ctx -> {
                User user = gatehouse.users().findUserById(Long.parseLong(ctx.pathParam("id"))).orElseThrow();
                Gatehouse.login(ctx, user, false, java.util.Optional.empty(), false);
                ctx.result("logged in");
            });
            cfg.routes.post("/programmatic-login-remember/{id}", ctx -> {
                User user = gatehouse.users().findUserById(Long.parseLong(ctx.pathParam("id"))).orElseThrow();
                Gatehouse.login(ctx, user, true, java.util.Optional.of(Duration.ofDays(2)), true);
                ctx.result("logged in");
            });
            // An application page rendered with Gatehouse's templates (src/test/resources/templates/test/).
            cfg.routes.get("/app-page", ctx -> GatehousePlugin.render(ctx, "test/app_page",
                    Map.of("value", java.util.Objects.requireNonNullElse(ctx.queryParam("value"), ""))));
            cfg.routes.post("/flash", ctx -> {
                GatehousePlugin.flash(ctx, java.util.Objects.requireNonNullElse(ctx.queryParam("category"), "info"),
                        java.util.Objects.requireNonNullElse(ctx.queryParam("message"), "LOGOUT_DONE"));
                ctx.redirect("/app-page");
            });
            cfg.routes.post("/programmatic-logout", ctx -> {
                Gatehouse.logout(ctx);
                ctx.result("logged out");
            });
        }).start(0);
    }

    /**
     * A server whose emails go to {@code smtp} (GreenMail) through the plugin's own delivery
     * worker, polling every 50 ms; links in them start with {@link Inbox#SITE}.
     */
    static TestApp withMail(dev.gatehouse.mail.smtp.SmtpServer smtp, Consumer<GatehouseConfig.Builder> config) {
        return withMail(smtp, config, options -> { });
    }

    static TestApp withMail(dev.gatehouse.mail.smtp.SmtpServer smtp, Consumer<GatehouseConfig.Builder> config,
            Consumer<WebOptions.Builder> options) {
        return withMail(smtp, config, options, parts -> { });
    }

    static TestApp withMail(dev.gatehouse.mail.smtp.SmtpServer smtp, Consumer<GatehouseConfig.Builder> config,
            Consumer<WebOptions.Builder> options, Consumer<Gatehouse.Builder> parts) {
        WebOptions.Builder web = WebOptions.builder().mailDelivery(d -> d.pollInterval(Duration.ofMillis(50)));
        options.accept(web);
        return new TestApp(c -> {
            c.set(EXTERNAL_URL, Inbox.SITE).set(EMAIL_SENDER, "no-reply@example.com")
                    .set(MAIL_BACKEND, MailBackend.SMTP).set(MAIL_SERVER, "127.0.0.1").set(MAIL_PORT, smtp.port);
            config.accept(c);
        }, web.build(), parts);
    }

    /** The web layer the plugin mounted. */
    dev.gatehouse.web.GatehouseWeb web() {
        return plugin.web();
    }

    int port() {
        return app.port();
    }

    HttpClientSession client() {
        return new HttpClientSession(port());
    }

    User user(String email, String password, String... roles) {
        return t.user(email, password, roles);
    }

    /** Unique per call, so tests sharing one server never share a user. */
    static String email(String name) {
        return name + "-" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    /** A fresh user with a unique email and this password. */
    User newUser(String name, String... roles) {
        return user(email(name), PASSWORD, roles);
    }

    /** A client signed in (over JSON, with a CSRF token) as {@code user}. */
    HttpClientSession signedIn(User user) {
        return signedIn(user, Map.of());
    }

    HttpClientSession signedIn(User user, Map<String, ?> extra) {
        HttpClientSession client = client();
        HttpClientSession.Reply reply = client.login(user.email(), PASSWORD, extra);
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply);
        }
        return client;
    }

    /** "user <email> via <MECHANISM>", from how Gatehouse authenticated this request. */
    private static String describe(io.javalin.http.Context ctx) {
        return GatehousePlugin.web(ctx).authentication(new JavalinWebRequest(ctx), new JavalinWebResponse(ctx))
                .map(a -> "user " + a.user().email() + " via " + a.mechanism())
                .orElse("anonymous");
    }

    private static String describe(Identity identity) {
        return identity instanceof User user ? "user " + user.email() : "anonymous";
    }

    private static Map<String, Object> me(Identity identity) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("authenticated", identity.isAuthenticated());
        if (identity instanceof User user) {
            me.put("email", user.email());
        }
        return me;
    }

    @Override
    public void close() {
        app.stop();
        gatehouse.close();
    }
}
