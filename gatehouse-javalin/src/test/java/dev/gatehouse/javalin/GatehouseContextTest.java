package dev.gatehouse.javalin;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.with(GatehousePlugin.class)} in handlers of a real server: {@code user()} on protected
 * and unprotected routes, {@code currentUser()}, signing in and out from application code, the
 * CSRF token and texts; and the error when the plugin is not registered. Talks plain
 * {@link HttpClient} so that it depends on nothing but the plugin.
 */
class GatehouseContextTest {

    private static final String PASSWORD = "correct horse battery";

    private static TestGatehouse t;
    private static Javalin app;
    private static Javalin withoutPlugin;

    @BeforeAll
    static void start() {
        t = new TestGatehouse(c -> c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false).set(MAIL_BACKEND, MailBackend.NONE));
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(new GatehousePlugin(t.gatehouse));
            cfg.routes.get("/me", ctx -> ctx.result(gatehouse(ctx).user().email()), Access.authenticated());
            cfg.routes.get("/me-unprotected", ctx -> ctx.result(gatehouse(ctx).user().email()));
            cfg.routes.get("/who", ctx -> ctx.result(describe(gatehouse(ctx).currentUser())));
            cfg.routes.get("/hello", ctx -> ctx.result(gatehouse(ctx).signedInUser().map(User::email).orElse("nobody")));
            cfg.routes.get("/fresh", ctx -> ctx.result(gatehouse(ctx).user().email()),
                    Access.authenticated().within(Duration.ofMinutes(5)));
            cfg.routes.post("/sign-in/{id}", ctx -> {
                gatehouse(ctx).login(t.gatehouse.users().findUserById(Long.parseLong(ctx.pathParam("id"))).orElseThrow());
                ctx.result("signed in");
            });
            cfg.routes.post("/sign-out", ctx -> {
                gatehouse(ctx).logout();
                ctx.result("signed out");
            });
            cfg.routes.get("/csrf", ctx -> ctx.result(gatehouse(ctx).csrfToken()));
            cfg.routes.post("/note", ctx -> ctx.result("noted by " + gatehouse(ctx).user().email()), Access.authenticated());
            cfg.routes.get("/texts", ctx -> ctx.result(gatehouse(ctx).texts().get("LOGOUT_DONE")));
            cfg.routes.exception(NotSignedInException.class,
                    (e, ctx) -> ctx.status(500).result("NotSignedInException: " + e.getMessage()));
        }).start(0);
        // Created before Javalin.create: inside its lambda, without the plugin, Access stops the start.
        Handler wrapped = Access.authenticated().wrap(ctx -> ctx.result("wrapped"));
        withoutPlugin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.routes.get("/who", ctx -> ctx.result(describe(gatehouse(ctx).currentUser())));
            cfg.routes.get("/wrapped", wrapped);
            cfg.routes.exception(Exception.class, (e, ctx) -> ctx.status(500).result(e.getClass().getName() + ": " + e.getMessage()));
        }).start(0);
    }

    @AfterAll
    static void stop() {
        app.stop();
        withoutPlugin.stop();
        t.gatehouse.close();
    }

    private static GatehouseContext gatehouse(Context ctx) {
        return ctx.with(GatehousePlugin.class);
    }

    private static String describe(Identity identity) {
        return identity instanceof User user ? "user " + user.email() : "anonymous";
    }

    @Test
    void userIsTheSignedInUserOnAProtectedRouteAndCurrentUserTheSame() throws Exception {
        User alice = t.user("alice@example.com", PASSWORD);
        Browser browser = new Browser(app);
        assertThat(browser.post("/sign-in/" + alice.id(), Map.of()).body()).isEqualTo("signed in");

        assertThat(browser.get("/me").body()).isEqualTo("alice@example.com");
        assertThat(browser.get("/who").body()).isEqualTo("user alice@example.com");
        assertThat(browser.get("/fresh").statusCode()).as("login(user) counts as a fresh sign-in").isEqualTo(200);
    }

    @Test
    void userOnAnUnprotectedRouteIsTheSignedInUserIfThereIsOne() throws Exception {
        User bob = t.user("bob@example.com", PASSWORD);
        Browser browser = new Browser(app);
        browser.post("/sign-in/" + bob.id(), Map.of());

        HttpResponse<String> reply = browser.get("/me-unprotected");

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("bob@example.com");
    }

    @Test
    void signedInUserIsTheUserWithoutACastOrEmptyForAnonymousVisitors() throws Exception {
        User hugo = t.user("hugo@example.com", PASSWORD);
        Browser browser = new Browser(app);
        assertThat(new Browser(app).get("/hello").body()).isEqualTo("nobody");

        browser.post("/sign-in/" + hugo.id(), Map.of());

        assertThat(browser.get("/hello").body()).isEqualTo("hugo@example.com");
    }

    @Test
    void userWithNobodySignedInThrowsNotSignedInExceptionNamingTheRequest() throws Exception {
        Browser anonymous = new Browser(app);

        HttpResponse<String> reply = anonymous.get("/me-unprotected");

        assertThat(reply.statusCode()).isEqualTo(500);
        assertThat(reply.body()).startsWith("NotSignedInException: Nobody is signed in on GET /me-unprotected: ")
                .contains("Access.authenticated()", "currentUser()");
        assertThat(anonymous.get("/who").body()).as("currentUser() is the anonymous user").isEqualTo("anonymous");
        assertThat(anonymous.get("/me").statusCode()).as("a protected route turns the visitor away before user()")
                .isEqualTo(302);
    }

    @Test
    void logoutSignsTheUserOut() throws Exception {
        User dora = t.user("dora@example.com", PASSWORD);
        Browser browser = new Browser(app);
        browser.post("/sign-in/" + dora.id(), Map.of());
        String csrf = browser.get("/csrf").body();

        assertThat(browser.post("/sign-out", Map.of("X-CSRFToken", csrf)).body()).isEqualTo("signed out");

        assertThat(browser.get("/who").body()).isEqualTo("anonymous");
        assertThat(browser.get("/me").statusCode()).isEqualTo(302);
    }

    @Test
    void csrfTokenIsTheOneAProtectedUnsafeRouteAccepts() throws Exception {
        User dave = t.user("dave@example.com", PASSWORD);
        Browser browser = new Browser(app);
        browser.post("/sign-in/" + dave.id(), Map.of());

        assertThat(browser.post("/note", Map.of()).statusCode()).as("without the token").isNotEqualTo(200);
        HttpResponse<String> withToken = browser.post("/note", Map.of("X-CSRFToken", browser.get("/csrf").body()));

        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).isEqualTo("noted by dave@example.com");
    }

    @Test
    void textsAreInTheRequestsLanguage() throws Exception {
        Browser browser = new Browser(app);

        assertThat(browser.get("/texts", "Accept-Language", "fr").body()).isEqualTo("Vous avez été déconnecté.");
        assertThat(browser.get("/texts").body()).isEqualTo("You have been signed out.");
    }

    @Test
    void withoutThePluginCtxWithSaysItIsNotRegistered() throws Exception {
        Browser browser = new Browser(withoutPlugin);

        for (String path : new String[] {"/who", "/wrapped"}) {
            HttpResponse<String> reply = browser.get(path);
            assertThat(reply.statusCode()).as(path).isEqualTo(500);
            assertThat(reply.body()).as(path).isEqualTo("io.javalin.plugin.PluginNotRegisteredException: "
                    + "dev.gatehouse.javalin.GatehousePlugin was not registered as a plugin at startup");
        }
    }

    /** A client that keeps cookies, as a browser would; follows no redirects. */
    private static final class Browser {
        private final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        private final String base;

        Browser(Javalin server) {
            this.base = "http://127.0.0.1:" + server.port();
        }

        HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, Map<String, String> headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
