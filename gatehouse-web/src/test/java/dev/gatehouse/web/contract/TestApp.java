package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EMAIL_SENDER;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.request.Mechanism.BASIC;
import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;
import static dev.gatehouse.web.contract.TestRoute.guarded;
import static dev.gatehouse.web.contract.TestRoute.open;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.AnyOf;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real server of the adapter under test ({@link HttpAdapter#find()}) with Gatehouse's endpoints
 * and a handful of application routes covering every kind of access requirement, started on a
 * free port. Cookies are not Secure by default here because the tests speak plain HTTP; tests of
 * the secure cookie attributes turn it back on. Rate limits are off and mail stays in the outbox
 * unless a test's configuration says otherwise.
 */
public final class TestApp implements AutoCloseable {

    /** The password of every user made by {@link #newUser}. */
    public static final String PASSWORD = "correct horse battery";
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Gatehouse under test, with its test clock and cheap password hasher. */
    final TestGatehouse t;
    final Gatehouse gatehouse;
    private final HttpAdapter.RunningServer server;

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
        this(HttpAdapter.find(), config, options, parts);
    }

    /**
     * A server of {@code adapter}, for an adapter's own tests (which may mount routes of their
     * own through it), with the test application's routes and the suite's defaults.
     */
    public TestApp(HttpAdapter adapter, Consumer<GatehouseConfig.Builder> config, WebOptions options,
            Consumer<Gatehouse.Builder> parts) {
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
        this.server = adapter.start(gatehouse, options, routes(gatehouse));
    }

    /** The application's routes, written against gatehouse-web's neutral types. */
    private static List<TestRoute> routes(Gatehouse gatehouse) {
        return List.of(
                open("GET", "/public", (web, req, res) -> text(res, describe(web.currentUser(req, res)))),
                open("GET", "/account", (web, req, res) -> text(res, "account")),
                open("GET", "/denied", (web, req, res) -> text(res, "denied page")),
                guarded("GET", "/session-or-basic", AccessRule.mechanisms(SESSION, BASIC), TestApp::describeAuthentication),
                guarded("GET", "/token-or-session", AccessRule.mechanisms(TOKEN, SESSION), TestApp::describeAuthentication),
                guarded("GET", "/via", AccessRule.mechanisms(TOKEN, SESSION, BASIC), TestApp::describeAuthentication),
                guarded("GET", "/api/me", AccessRule.authenticated(), TestApp::me),
                guarded("POST", "/api/me", AccessRule.authenticated(), TestApp::me),
                guarded("PUT", "/api/me", AccessRule.authenticated(), TestApp::me),
                guarded("PATCH", "/api/me", AccessRule.authenticated(), TestApp::me),
                guarded("DELETE", "/api/me", AccessRule.authenticated(), TestApp::me),
                // A handler with caching rules of its own, which win over Gatehouse's no-store.
                guarded("GET", "/cacheable", AccessRule.authenticated(), (web, req, res) -> {
                    res.header("Cache-Control", "private, max-age=60");
                    text(res, "ok");
                }),
                guarded("GET", "/token-only", AccessRule.mechanisms(TOKEN), (web, req, res) -> text(res, "token")),
                guarded("GET", "/session-only", AccessRule.mechanisms(SESSION), (web, req, res) -> text(res, "session")),
                guarded("GET", "/basic", AccessRule.mechanisms(BASIC),
                        (web, req, res) -> text(res, "basic " + web.currentUser(req, res))),
                guarded("POST", "/basic", AccessRule.mechanisms(BASIC), (web, req, res) -> text(res, "basic post")),
                guarded("GET", "/admin", AccessRule.rolesRequired("Admin"), (web, req, res) -> text(res, "admin")),
                guarded("GET", "/writers", AccessRule.rolesAccepted("Writer", "Editor"), (web, req, res) -> text(res, "writers")),
                guarded("GET", "/staff-writers", AccessRule.rolesRequired("Staff", "Writer"),
                        (web, req, res) -> text(res, "staff-writers")),
                guarded("GET", "/mixed", AccessRule.rolesRequired("Staff", AnyOf.anyOf("Writer", "Editor")),
                        (web, req, res) -> text(res, "mixed")),
                guarded("GET", "/perm", AccessRule.permissionsRequired("entries:delete"), (web, req, res) -> text(res, "perm")),
                guarded("GET", "/any-perm", AccessRule.permissionsAccepted("a:x", "entries:read"),
                        (web, req, res) -> text(res, "any-perm")),
                guarded("GET", "/fresh", AccessRule.authenticated().within(Duration.ofMinutes(5)),
                        (web, req, res) -> text(res, "fresh")),
                guarded("OPTIONS", "/api/me", AccessRule.authenticated(), (web, req, res) -> text(res, "preflight")),
                open("POST", "/programmatic-login/*", (web, req, res) -> {
                    web.login(req, res, userOfLastSegment(gatehouse, req), false, Optional.empty(), false);
                    text(res, "logged in");
                }),
                open("POST", "/programmatic-login-remember/*", (web, req, res) -> {
                    web.login(req, res, userOfLastSegment(gatehouse, req), true, Optional.of(Duration.ofDays(2)), true);
                    text(res, "logged in");
                }),
                open("POST", "/programmatic-logout", (web, req, res) -> {
                    web.logout(req, res);
                    text(res, "logged out");
                }),
                // An application page rendered with Gatehouse's templates (src/test/resources/templates/test/).
                open("GET", "/app-page", (web, req, res) -> web.render(req, res, 200, "test/app_page",
                        Map.of("value", req.queryParam("value").orElse("")))),
                open("POST", "/flash", (web, req, res) -> {
                    web.flash(req, res, req.queryParam("category").orElse("info"), req.queryParam("message").orElse("LOGOUT_DONE"));
                    res.status(302);
                    res.header("Location", "/app-page");
                }));
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

    /** The web layer the server mounted. */
    GatehouseWeb web() {
        return server.web();
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Stops the server (and with it the web layer's background work) but leaves Gatehouse open. */
    void stopServer() {
        server.close();
    }

    /** A new client without cookies. */
    public HttpClientSession client() {
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
    public User newUser(String name, String... roles) {
        return user(email(name), PASSWORD, roles);
    }

    /** A client signed in (over JSON, with a CSRF token) as {@code user}. */
    public HttpClientSession signedIn(User user) {
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

    /** Answers "user <email> via <MECHANISM>", from how Gatehouse authenticated this request. */
    private static void describeAuthentication(GatehouseWeb web, WebRequest request, WebResponse response) {
        text(response, web.authentication(request, response)
                .map(a -> "user " + a.user().email() + " via " + a.mechanism())
                .orElse("anonymous"));
    }

    private static void text(WebResponse response, String text) {
        response.body("text/plain", text);
    }

    /** The user whose id is the last segment of the path ({@code /programmatic-login/42}). */
    private static User userOfLastSegment(Gatehouse gatehouse, WebRequest request) {
        String path = request.path();
        return gatehouse.users().findUserById(Long.parseLong(path.substring(path.lastIndexOf('/') + 1))).orElseThrow();
    }

    private static String describe(Identity identity) {
        return identity instanceof User user ? "user " + user.email() : "anonymous";
    }

    /** Answers {@code {"authenticated": ..., "email": ...}} for the current user. */
    private static void me(GatehouseWeb web, WebRequest request, WebResponse response) {
        Identity identity = web.currentUser(request, response);
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("authenticated", identity.isAuthenticated());
        if (identity instanceof User user) {
            me.put("email", user.email());
        }
        try {
            response.body("application/json", JSON.writeValueAsString(me));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server and closes Gatehouse. */
    @Override
    public void close() {
        server.close();
        gatehouse.close();
    }
}
