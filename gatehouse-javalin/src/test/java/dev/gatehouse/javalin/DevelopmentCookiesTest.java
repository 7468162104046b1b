package dev.gatehouse.javalin;

import static dev.gatehouse.config.Settings.DEVELOPMENT;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.TestGatehouse;
import io.javalin.Javalin;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code development=true} on a real server over plain HTTP: a script client (the JDK's, which,
 * like Python {@code requests}, keeps {@code Secure} cookies for https) signs in through the JSON
 * API and stays signed in, because no cookie is marked {@code Secure}; with the default settings the
 * same client never sends its cookies back, so its sign-in is refused.
 */
class DevelopmentCookiesTest {

    private static final String PASSWORD = "correct horse battery";
    private static final Pattern CSRF = Pattern.compile("\"csrf_token\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void in_development_cookies_lack_secure_and_a_plain_http_client_stays_signed_in() throws Exception {
        SignIn result = signIn(c -> c.set(DEVELOPMENT, true));

        assertThat(result.loginStatus).isEqualTo(200);
        assertThat(result.setCookies).anyMatch(c -> c.startsWith("gatehouse_session="));
        assertThat(result.setCookies).noneMatch(DevelopmentCookiesTest::isSecure);
        assertThat(result.meStatus).as("the session cookie came back over http").isEqualTo(200);
    }

    @Test
    void by_default_cookies_are_secure_and_a_plain_http_client_does_not_send_them_back() throws Exception {
        SignIn result = signIn(c -> { });

        assertThat(result.setCookies).isNotEmpty().allMatch(DevelopmentCookiesTest::isSecure);
        assertThat(result.loginStatus).as("the cookie binding the CSRF token stayed behind").isEqualTo(400);
        assertThat(result.meStatus).isEqualTo(401);
    }

    private static boolean isSecure(String setCookie) {
        return List.of(setCookie.toLowerCase(Locale.ROOT).split(";")).stream().map(String::strip).anyMatch("secure"::equals);
    }

    private record SignIn(int loginStatus, List<String> setCookies, int meStatus) {
    }

    private static SignIn signIn(Consumer<GatehouseConfig.Builder> settings) throws Exception {
        TestGatehouse t = new TestGatehouse(c -> {
            c.set(RATE_LIMITS_ENABLED, false).set(MAIL_BACKEND, MailBackend.NONE);
            settings.accept(c);
        });
        t.user("dev@example.com", PASSWORD);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(new GatehousePlugin(t.gatehouse));
            cfg.routes.get("/me", ctx -> ctx.result(ctx.with(GatehousePlugin.class).user().email()), Access.authenticated());
        }).start(0);
        try {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
            String base = "http://127.0.0.1:" + app.port();
            HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher csrf = CSRF.matcher(form.body());
            assertThat(csrf.find()).as("a CSRF token in %s", form.body()).isTrue();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Accept", "application/json").header("Content-Type", "application/json")
                    .header("X-CSRF-Token", csrf.group(1))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"dev@example.com\",\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create(base + "/me"))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            List<String> setCookies = new ArrayList<>(form.headers().allValues("Set-Cookie"));
            setCookies.addAll(login.headers().allValues("Set-Cookie"));
            return new SignIn(login.statusCode(), setCookies, me.statusCode());
        } finally {
            app.stop();
            t.gatehouse.close();
        }
    }
}
