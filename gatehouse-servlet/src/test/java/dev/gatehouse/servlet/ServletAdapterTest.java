package dev.gatehouse.servlet;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.URL_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.contract.HttpClientSession;
import dev.gatehouse.web.contract.TestApp;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Servlet adapter has, over HTTP on the container of this run (Tomcat or Jetty):
 * paths passed down the chain, a form body Gatehouse read handed on to the application, the order
 * of filters, {@link GatehouseServlet}, rules on the dispatched path, {@code HEAD} and other methods
 * on Gatehouse's paths, and an application under a context path. Everything the adapter shares with
 * any other is gatehouse-web's contract suite, which this module runs too.
 */
class ServletAdapterTest {

    private TestGatehouse t = testGatehouse(c -> { });
    /** What the application's filters and servlet saw, in order. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ServletContainer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        t.gatehouse.close();
    }

    @Test
    void a_protected_path_gives_the_servlet_its_user_and_turns_visitors_away_before_it_runs() {
        HttpClientSession client = start("", b -> b.protect("/api/*", AccessRule.authenticated()));
        User writer = t.user("writer@example.com", TestApp.PASSWORD, "Writer");

        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
        HttpClientSession.Reply browser = client.get("/api/me", "Accept", "text/html");
        assertThat(browser.status()).isEqualTo(302);
        assertThat(browser.header("Location")).isEqualTo("/login?next=%2Fapi%2Fme");
        assertThat(seen).isEmpty();

        assertThat(client.login(writer.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        HttpClientSession.Reply me = client.get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("GET /api/me by writer@example.com");
        assertThat(me.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void an_unprotected_path_goes_down_the_chain_where_the_user_is_anonymous_and_user_is_refused() {
        HttpClientSession client = start("", b -> b.protect("/api/*", AccessRule.authenticated()));

        HttpClientSession.Reply hello = client.get("/hello?x=1");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("GET /hello anonymous, user(): not signed in");
        // Not one of Gatehouse's answers: no security headers on the application's own paths.
        assertThat(hello.header("X-Content-Type-Options")).isNull();
    }

    @Test
    void a_form_whose_csrf_token_gatehouse_read_from_the_body_still_reaches_the_application_whole() {
        HttpClientSession client = start("", b -> b.protect("/entries", AccessRule.authenticated()));
        User writer = t.user("forms@example.com", TestApp.PASSWORD);
        client.login(writer.email(), TestApp.PASSWORD);
        String csrf = client.csrfToken();

        HttpClientSession.Reply posted = client.postRaw("/entries?from=query", "application/x-www-form-urlencoded",
                "csrf_token=" + csrf + "&entry=Liebes+Tageb%C3%BCch&tag=a&tag=b");
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("entry=Liebes Tagebüch tags=[a, b] from=query body=csrf_token=" + csrf
                + "&entry=Liebes+Tageb%C3%BCch&tag=a&tag=b");

        HttpClientSession.Reply refused = client.postRaw("/entries", "application/x-www-form-urlencoded", "entry=x");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(seen).containsExactly("servlet POST /entries");
    }

    @Test
    void a_body_that_a_check_after_the_filter_read_still_reaches_the_application_whole() {
        HttpClientSession client = start("", b -> { });
        User writer = t.user("later@example.com", TestApp.PASSWORD);
        client.login(writer.email(), TestApp.PASSWORD);
        String csrf = client.csrfToken();

        HttpClientSession.Reply posted = client.postRaw("/checked", "application/x-www-form-urlencoded",
                "csrf_token=" + csrf + "&entry=sp%C3%A4t");
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("checked entry=spät body=csrf_token=" + csrf + "&entry=sp%C3%A4t");
        assertThat(client.postRaw("/checked", "application/x-www-form-urlencoded", "entry=x").status()).isEqualTo(400);
    }

    @Test
    void filters_before_gatehouse_see_no_gatehouse_and_those_after_it_see_the_user_of_a_checked_request_only() {
        LinkedHashMap<String, Filter> filters = new LinkedHashMap<>();
        filters.put("before", recording("before"));
        filters.put("gatehouse", GatehouseFilter.builder(t.gatehouse).protect("/api/*", AccessRule.authenticated()).build());
        filters.put("after", recording("after"));
        HttpClientSession client = start("", filters);
        User writer = t.user("order@example.com", TestApp.PASSWORD);

        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
        assertThat(seen).containsExactly("before: no GatehouseFilter yet");
        seen.clear();

        client.login(writer.email(), TestApp.PASSWORD);
        seen.clear();
        assertThat(client.get("/api/me").status()).isEqualTo(200);
        assertThat(seen).containsExactly("before: no GatehouseFilter yet", "after: order@example.com",
                "servlet GET /api/me");
    }

    @Test
    void a_rule_applies_to_the_path_the_container_dispatches_however_the_request_spells_it() {
        HttpClientSession client = start("", b -> b.protect("/api/*", AccessRule.authenticated()));

        for (String spelling : List.of("/%61pi/me", "/API/../api/me", "/api/./me", "/api;x=1/me", "/api")) {
            HttpClientSession.Reply reply = client.getJson(spelling);
            assertThat(reply.status()).as(spelling).isIn(400, 401, 404);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void every_matching_pattern_applies() {
        HttpClientSession client = start("", b -> b.protect("/admin/*", AccessRule.authenticated())
                .protect("*.csv", AccessRule.rolesRequired("Admin")));
        User writer = t.user("patterns@example.com", TestApp.PASSWORD, "Writer");
        User admin = t.user("admin@example.com", TestApp.PASSWORD, "Admin");
        client.login(writer.email(), TestApp.PASSWORD);

        assertThat(client.get("/admin/report").status()).isEqualTo(200);
        assertThat(client.getJson("/admin/report.csv").status()).isEqualTo(403);
        assertThat(client.getJson("/exports/all.csv").status()).isEqualTo(403);
        HttpClientSession adminClient = new HttpClientSession(server.port());
        adminClient.login(admin.email(), TestApp.PASSWORD);
        assertThat(adminClient.get("/admin/report.csv").status()).isEqualTo(200);
    }

    @Test
    void head_gets_a_gatehouse_page_without_its_body_and_a_method_gatehouse_lacks_goes_to_the_application() {
        HttpClientSession client = start("", b -> { });

        HttpClientSession.Reply head = client.request("HEAD", "/login", "Accept", "text/html");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Type")).startsWith("text/html");
        assertThat(seen).isEmpty();

        assertThat(client.request("PUT", "/login").body()).isEqualTo("PUT /login anonymous, user(): not signed in");
        assertThat(seen).containsExactly("servlet PUT /login");
    }

    @Test
    void under_a_context_path_gatehouse_answers_below_url_prefix_and_redirects_back_into_the_application() {
        t.gatehouse.close();
        t = testGatehouse(c -> c.set(URL_PREFIX, "/app"));
        HttpClientSession client = start("/app", b -> b.protect("/api/*", AccessRule.authenticated()));
        User writer = t.user("context@example.com", TestApp.PASSWORD);

        HttpClientSession.Reply page = client.get("/app/login", "Accept", "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/app/login").contains("/app/gatehouse/static/gatehouse.css");
        HttpClientSession.Reply browser = client.get("/app/api/me", "Accept", "text/html");
        assertThat(browser.status()).isEqualTo(302);
        assertThat(browser.header("Location")).isEqualTo("/app/login?next=%2Fapp%2Fapi%2Fme");

        String csrf = client.getJson("/app/login").json().path("response").path("csrf_token").asText();
        assertThat(client.postJson("/app/login", Map.of("email", writer.email(), "password", TestApp.PASSWORD),
                "X-CSRFToken", csrf).status()).isEqualTo(200);
        assertThat(client.get("/app/api/me").body()).isEqualTo("GET /api/me by context@example.com");
        assertThat(client.getJson("/login").status()).isEqualTo(404);
    }

    @Test
    void a_context_path_that_url_prefix_does_not_start_with_stops_the_application_from_starting() {
        assertThatThrownBy(() -> start("/app", b -> { })).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ the application

    private static TestGatehouse testGatehouse(Consumer<GatehouseConfig.Builder> config) {
        return new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false);
            config.accept(c);
        });
    }

    /** The application with GatehouseFilter first, its rules declared by {@code rules}. */
    private HttpClientSession start(String contextPath, Consumer<GatehouseFilter.Builder> rules) {
        GatehouseFilter.Builder builder = GatehouseFilter.builder(t.gatehouse);
        rules.accept(builder);
        LinkedHashMap<String, Filter> filters = new LinkedHashMap<>();
        filters.put("gatehouse", builder.build());
        return start(contextPath, filters);
    }

    private HttpClientSession start(String contextPath, LinkedHashMap<String, Filter> filters) {
        server = ServletContainer.start(contextPath, filters, new Application());
        return new HttpClientSession(server.port());
    }

    private static String describe(Identity identity) {
        return identity instanceof User user ? user.email() : "anonymous";
    }

    /** A filter noting whom it sees: the user after GatehouseFilter, nothing before it. */
    private Filter recording(String name) {
        return new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                try {
                    seen.add(name + ": " + describe(GatehouseServlet.currentUser(request)));
                } catch (IllegalStateException e) {
                    seen.add(name + ": no GatehouseFilter yet");
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** Echoes what it got: the user, a form's fields and the body. */
    private final class Application extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = ServletWebRequest.pathInContext(request);
            seen.add("servlet " + request.getMethod() + " " + path);
            String answer;
            if (request.getMethod().equals("POST") && path.equals("/checked")) {
                // A per-handler check after the filter (as the Spring MVC interceptor makes): it reads the body first.
                if (!GatehouseServlet.of(request).enforce(AccessRule.authenticated())) {
                    return;
                }
                answer = "checked entry=" + request.getParameter("entry")
                        + " body=" + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } else if (request.getMethod().equals("POST")) {
                answer = "entry=" + request.getParameter("entry") + " tags=" + Arrays.toString(request.getParameterValues("tag"))
                        + " from=" + request.getParameter("from")
                        + " body=" + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } else if (path.startsWith("/api/")) {
                answer = request.getMethod() + " " + path + " by " + GatehouseServlet.user(request).email();
            } else {
                String user;
                try {
                    user = GatehouseServlet.user(request).email();
                } catch (IllegalStateException e) {
                    user = "not signed in";
                }
                answer = request.getMethod() + " " + path + " " + describe(GatehouseServlet.currentUser(request)) + ", user(): " + user;
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(answer);
        }
    }
}
