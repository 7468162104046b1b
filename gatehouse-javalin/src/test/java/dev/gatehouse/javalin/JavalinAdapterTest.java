package dev.gatehouse.javalin;

import static dev.gatehouse.request.Mechanism.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.contract.HttpClientSession;
import dev.gatehouse.web.contract.TestApp;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only the Javalin adapter has, over HTTP: several {@link Access} route roles on one route,
 * {@link Access#wrap}, HEAD requests answered by a GET route with its roles,
 * and {@code ctx.with(GatehousePlugin.class)}'s render and flash. Everything the adapter shares
 * with any other is gatehouse-web's contract suite, which this module runs too.
 */
class JavalinAdapterTest {

    private static TestApp app;
    /** How often the handler of {@code /admin-audited} ran. */
    private static final AtomicInteger adminHandlerRuns = new AtomicInteger();

    @BeforeAll
    static void start() {
        app = new TestApp(new JavalinHttpAdapter(config -> {
            config.routes.get("/two-roles", ctx -> ctx.result("two"), Access.rolesRequired("Admin"), Access.authRequired(TOKEN));
            config.routes.get("/wrapped", Access.rolesRequired("Admin").wrap(ctx -> ctx.result("wrapped")));
            config.routes.get("/admin-audited", ctx -> {
                adminHandlerRuns.incrementAndGet();
                ctx.result("audited");
            }, Access.rolesRequired("Admin"));
            // The contract suite's application page (gatehouse-web's test jar: templates/test/app_page.html),
            // through the plugin's own helpers.
            config.routes.get("/plugin-page", ctx -> ctx.with(GatehousePlugin.class).render("test/app_page",
                    Map.of("value", Objects.requireNonNullElse(ctx.queryParam("value"), ""))));
            config.routes.post("/plugin-flash", ctx -> {
                ctx.with(GatehousePlugin.class).flash(Objects.requireNonNullElse(ctx.queryParam("category"), "info"),
                        Objects.requireNonNullElse(ctx.queryParam("message"), "LOGOUT_DONE"));
                ctx.redirect("/plugin-page");
            });
        }), c -> { }, WebOptions.defaults(), parts -> { });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // ------------------------------------------------------------------ Access route roles

    @Test
    void two_access_roles_on_one_route_both_apply() {
        User admin = app.newUser("two-admin", "Admin");
        User plain = app.newUser("two-plain");
        String adminToken = app.client().loginForToken(admin.email(), TestApp.PASSWORD);
        String plainToken = app.client().loginForToken(plain.email(), TestApp.PASSWORD);

        assertThat(app.client().getJson("/two-roles", "Authentication-Token", adminToken).status()).isEqualTo(200);
        assertThat(app.client().getJson("/two-roles", "Authentication-Token", plainToken).status()).as("role").isEqualTo(403);
        assertThat(app.signedIn(admin).getJson("/two-roles").status()).as("token only").isEqualTo(401);
    }

    @Test
    void a_wrapped_handler_is_checked_like_a_route_role() {
        assertThat(app.client().getJson("/wrapped").status()).isEqualTo(401);
        HttpClientSession.Reply refused = app.signedIn(app.newUser("wrapped-plain")).getJson("/wrapped");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).doesNotContain("\"wrapped\"");
        HttpClientSession.Reply admitted = app.signedIn(app.newUser("wrapped-admin", "Admin")).getJson("/wrapped");
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.body()).isEqualTo("wrapped");
    }

    @Test
    void a_refused_get_or_head_request_never_runs_a_protected_handler() {
        int before = adminHandlerRuns.get();

        assertThat(app.client().getJson("/admin-audited").status()).isEqualTo(401);
        assertThat(app.signedIn(app.newUser("audited")).getJson("/admin-audited").status()).isEqualTo(403);
        HttpClientSession.Reply head = app.client().request("HEAD", "/admin-audited", "Accept", "application/json");
        assertThat(head.body()).isEmpty();
        assertThat(head.status()).as("HEAD is answered from the GET route, with its requirement").isEqualTo(401);
        HttpClientSession.Reply signedInHead = app.signedIn(app.newUser("audited-head"))
                .request("HEAD", "/admin-audited", "Accept", "application/json");
        assertThat(signedInHead.status()).isEqualTo(403);

        assertThat(adminHandlerRuns.get()).isEqualTo(before);
        assertThat(app.signedIn(app.newUser("audited-admin", "Admin")).getJson("/admin-audited").body()).isEqualTo("audited");
        assertThat(adminHandlerRuns.get()).isEqualTo(before + 1);
    }

    // ------------------------------------------------------------------ GatehousePlugin.render and flash

    @Test
    void render_and_flash_serve_application_pages_with_gatehouses_templates() {
        User user = app.newUser("plugin-page");
        HttpClientSession browser = app.signedIn(user);

        HttpClientSession.Reply redirect = browser.postRaw("/plugin-flash?category=error&message=LOGOUT_DONE", "text/plain", "");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("/plugin-page");

        HttpClientSession.Reply page = browser.get("/plugin-page?value=%3Cb%3E", "Accept-Language", "de");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<p id=\"value\">&lt;b&gt;</p>")
                .contains("<p id=\"user\">" + user.email() + "</p>")
                .contains("<p class=\"gh-flash gh-flash--error\">Sie wurden abgemeldet.</p>");
        assertThat(browser.get("/plugin-page").body()).as("a flash is shown once").doesNotContain("gh-flash");
    }
}
