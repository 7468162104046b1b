package dev.gatehouse.javalin;

import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * {@link Access#wrap}, {@link Access#anonymous()} and {@link Access#check}, HEAD requests answered by a GET route with its roles,
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
            config.routes.get("/visitors-only", ctx -> ctx.result("welcome, visitor"), Access.anonymous());
            config.routes.post("/visitors-only", ctx -> ctx.result("posted, visitor"), Access.anonymous());
            config.routes.get("/checked", ctx -> ctx.result("checked"),
                    Access.check(a -> a.user().email().startsWith("check-ok")));
            config.routes.get("/checked-writer", ctx -> ctx.result("checked writer"),
                    Access.rolesAccepted("Writer").and(Access.check(a -> a.mechanism().equals(SESSION))));
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

    @Test
    void an_anonymous_route_serves_visitors_and_refuses_signed_in_clients_as_anonymous_user_required_does() {
        assertThat(app.client().getJson("/visitors-only").body()).isEqualTo("welcome, visitor");
        assertThat(app.client().postJson("/visitors-only", Map.of()).body()).isEqualTo("posted, visitor");
        User user = app.newUser("visitor-signed-in");

        HttpClientSession.Reply json = app.signedIn(user).getJson("/visitors-only");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.errors()).containsExactly("You can only access this endpoint when not logged in.");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        assertThat(app.client().postJson("/visitors-only", Map.of(), "Authentication-Token", token).status()).isEqualTo(400);
        HttpClientSession.Reply browser = app.signedIn(user).get("/visitors-only");
        assertThat(browser.status()).isEqualTo(302);
        assertThat(browser.header("Location")).as("post-login-view").isEqualTo("/");
        assertThat(browser.body()).doesNotContain("visitor");
    }

    @Test
    void a_checked_route_needs_a_signed_in_user_for_whom_the_predicate_holds() {
        assertThat(app.client().getJson("/checked").status()).isEqualTo(401);
        assertThat(app.signedIn(app.newUser("check-no")).getJson("/checked").status()).isEqualTo(403);
        HttpClientSession.Reply admitted = app.signedIn(app.newUser("check-ok")).getJson("/checked");
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.body()).isEqualTo("checked");
    }

    @Test
    void a_check_combines_with_roles_and_both_must_hold() {
        User writer = app.newUser("checked-writer", "Writer");
        String token = app.client().loginForToken(writer.email(), TestApp.PASSWORD);

        assertThat(app.signedIn(writer).getJson("/checked-writer").body()).isEqualTo("checked writer");
        assertThat(app.client().getJson("/checked-writer", "Authentication-Token", token).status())
                .as("the check wants a session").isEqualTo(403);
        assertThat(app.signedIn(app.newUser("checked-reader")).getJson("/checked-writer").status())
                .as("the role is missing").isEqualTo(403);
    }

    @Test
    void anonymous_cannot_be_combined_with_a_requirement_for_signed_in_users() {
        assertThatThrownBy(() -> Access.anonymous().and(Access.authenticated())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Access.check(a -> true).and(Access.anonymous())).isInstanceOf(IllegalArgumentException.class);
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
