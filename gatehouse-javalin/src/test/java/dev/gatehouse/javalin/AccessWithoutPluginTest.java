package dev.gatehouse.javalin;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import dev.gatehouse.web.contract.LogCapture;
import io.javalin.Javalin;
import io.javalin.apibuilder.ApiBuilder;
import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.http.Handler;
import io.javalin.plugin.Plugin;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 point 4: an application that forgot {@code registerPlugin(new GatehousePlugin(...))},
 * or registered it after its routes. An {@code Access} created while Javalin configures the
 * application without the plugin registered before it stops {@code Javalin.create} with a message
 * naming what to add; with the plugin registered first the roles are checked. An {@code Access}
 * created before {@code Javalin.create} cannot be caught that way: wrapped with
 * {@link Access#wrap}, it fails closed with 500 and a log line saying what to add.
 */
class AccessWithoutPluginTest {

    private static final Handler OK = ctx -> ctx.result("admin page");

    private static TestGatehouse t;

    @BeforeAll
    static void gatehouse() {
        t = new TestGatehouse(c -> c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false)
                .set(MAIL_BACKEND, MailBackend.NONE));
    }

    @AfterAll
    static void close() {
        t.gatehouse.close();
    }

    @Test
    void an_access_role_in_an_app_without_the_plugin_stops_javalin_create_and_says_what_to_add() {
        AtomicReference<Javalin> started = new AtomicReference<>();

        assertThatThrownBy(() -> started.set(Javalin.create(quiet(config ->
                config.routes.get("/admin", OK, Access.rolesRequired("Admin")))).start(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Access[roles=[Admin]] is declared")
                .hasMessageContaining("is declared in a Javalin app without GatehousePlugin: nothing would check it")
                .hasMessageContaining("Add config.registerPlugin(new GatehousePlugin(gatehouse)) to Javalin.create");
        assertThat(started).as("no server was started").hasValue(null);
    }

    @Test
    void an_access_role_in_api_builder_routes_without_the_plugin_stops_javalin_create() {
        assertThatThrownBy(() -> Javalin.create(quiet(config -> config.routes.apiBuilder(() ->
                ApiBuilder.path("/reports", () -> ApiBuilder.get(OK, Access.authenticated().and(Access.rolesRequired("Admin"))))))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GatehousePlugin")
                .hasMessageContaining("config.registerPlugin(");
    }

    @Test
    void the_plugin_registered_after_an_access_route_stops_javalin_create_and_says_to_register_it_before() {
        assertThatThrownBy(() -> Javalin.create(quiet(config -> {
            config.routes.get("/admin", OK, Access.rolesRequired("Admin"));
            config.registerPlugin(new GatehousePlugin(t.gatehouse));
        }))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the routes that use Access");
    }

    @Test
    void a_static_access_constant_first_loaded_inside_the_configuration_is_checked_too() {
        assertThatThrownBy(() -> Javalin.create(quiet(config ->
                config.routes.get("/admin", OK, AdminOnly.ADMIN))))
                .isInstanceOf(ExceptionInInitializerError.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Add config.registerPlugin(new GatehousePlugin(gatehouse))");
    }

    /** Loaded on first use, which is inside the configuration lambda above. */
    private static final class AdminOnly {
        static final Access ADMIN = Access.rolesRequired("Admin");
    }

    @Test
    void a_second_app_configured_on_the_same_thread_needs_its_own_plugin() {
        Javalin first = Javalin.create(quiet(config -> {
            config.registerPlugin(new GatehousePlugin(t.gatehouse));
            config.routes.get("/admin", OK, Access.rolesRequired("Admin"));
        }));
        assertThat(first).isNotNull();

        assertThatThrownBy(() -> Javalin.create(quiet(config ->
                config.routes.get("/admin", OK, Access.rolesRequired("Admin")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without GatehousePlugin");
    }

    @Test
    void an_access_route_declared_in_a_plugin_started_without_gatehouse_stops_javalin_create() throws Exception {
        // On a fresh thread: where a GatehousePlugin has already started, a later app's plugins are
        // taken to start after it in the same app (see Access.pluginStarted).
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread configuring = new Thread(() -> {
            try {
                Javalin.create(quiet(config -> config.registerPlugin(new AdminRoutes())));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        configuring.start();
        configuring.join();

        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Add config.registerPlugin(new GatehousePlugin(gatehouse))");
    }

    @Test
    void with_the_plugin_registered_first_the_app_starts_and_the_roles_are_checked() throws Exception {
        User writer = t.user("writer@example.com", "correct horse battery");
        User admin = t.user("admin@example.com", "correct horse battery", "Admin");
        Javalin app = Javalin.create(quiet(config -> {
            config.registerPlugin(new GatehousePlugin(t.gatehouse));
            config.routes.get("/admin", OK, Access.rolesRequired("Admin"));
            config.routes.apiBuilder(() -> ApiBuilder.get("/api-admin", OK, Access.rolesRequired("Admin")));
            // A plugin started after GatehousePlugin declares routes in the same application.
            config.registerPlugin(new AdminRoutes());
            config.routes.post("/sign-in/{id}", ctx -> ctx.with(GatehousePlugin.class).login(
                    t.gatehouse.users().findUserById(Long.parseLong(ctx.pathParam("id"))).orElseThrow()));
        })).start(0);
        try {
            URI base = URI.create("http://127.0.0.1:" + app.port());
            for (String path : new String[] {"/admin", "/api-admin", "/plugin-admin"}) {
                assertThat(get(HttpClient.newHttpClient(), base, path).statusCode()).as("anonymous " + path).isEqualTo(401);
                assertThat(get(signedIn(base, writer), base, path).statusCode()).as("writer " + path).isEqualTo(403);
                HttpResponse<String> asAdmin = get(signedIn(base, admin), base, path);
                assertThat(asAdmin.statusCode()).as("admin " + path).isEqualTo(200);
                assertThat(asAdmin.body()).isEqualTo("admin page");
            }
        } finally {
            app.stop();
        }
    }

    @Test
    void access_created_in_a_request_handler_is_not_mistaken_for_configuration() throws Exception {
        Javalin app = Javalin.create(quiet(config ->
                config.routes.get("/describe", ctx -> ctx.result(Access.rolesRequired("Admin").toString())))).start(0);
        try {
            HttpResponse<String> reply = get(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + app.port()), "/describe");

            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).contains("roles=[Admin]");
        } finally {
            app.stop();
        }
    }

    @Test
    void a_wrapped_handler_created_before_an_app_without_the_plugin_refuses_every_request_with_500_and_says_what_to_add()
            throws Exception {
        AtomicInteger runs = new AtomicInteger();
        // Created outside Javalin.create, where no start-up check can see it.
        Handler admin = Access.rolesRequired("Admin").wrap(ctx -> {
            runs.incrementAndGet();
            ctx.result("admin page");
        });
        Handler edit = Access.authenticated().wrap(ctx -> {
            runs.incrementAndGet();
            ctx.result("edited");
        });
        Javalin app = Javalin.create(quiet(config -> {
            config.routes.get("/admin", admin);
            config.routes.post("/edit", edit);
        })).start(0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://localhost:" + app.port());

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("/admin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/edit"))
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(500);
            assertThat(post.statusCode()).isEqualTo(500);
            assertThat(get.body()).doesNotContain("admin page");
            assertThat(runs).hasValue(0);
            assertThat(LogCapture.text()).contains("Refused GET /admin: the route requires Access",
                    "GatehousePlugin is not registered; add config.registerPlugin(new GatehousePlugin(gatehouse))");
        } finally {
            app.stop();
        }
    }

    /** A plugin of the application's that adds an admin route when Javalin starts the plugins. */
    private static final class AdminRoutes extends Plugin<Void> {
        @Override
        public void onStart(JavalinState state) {
            state.routes.get("/plugin-admin", OK, Access.rolesRequired("Admin"));
        }
    }

    private static Consumer<JavalinConfig> quiet(Consumer<JavalinConfig> routes) {
        return config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            routes.accept(config);
        };
    }

    /** A client signed in as {@code user} through the plugin's {@code login}, keeping the session cookie. */
    private static HttpClient signedIn(URI base, User user) throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        HttpResponse<String> signIn = client.send(HttpRequest.newBuilder(base.resolve("/sign-in/" + user.id()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as("sign-in of " + user.email()).isEqualTo(200);
        return client;
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
