package dev.gatehouse.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.web.contract.LogCapture;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 point 4: an application that forgot {@code registerPlugin(new GatehousePlugin(...))}.
 * A wrapped handler fails closed: 500, the handler never runs, and the log says what to add. (With
 * the plugin the same wrapper checks like a route role: {@code JavalinAdapterTest}.) Route roles
 * alone cannot be caught: see {@link Access}.
 */
class AccessWithoutPluginTest {

    @Test
    void a_wrapped_handler_in_an_app_without_the_plugin_refuses_every_request_with_500_and_says_what_to_add()
            throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/admin", Access.rolesRequired("Admin").wrap(ctx -> {
                runs.incrementAndGet();
                ctx.result("admin page");
            }));
            config.routes.post("/edit", Access.authenticated().wrap(ctx -> {
                runs.incrementAndGet();
                ctx.result("edited");
            }));
        }).start(0);
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
}
