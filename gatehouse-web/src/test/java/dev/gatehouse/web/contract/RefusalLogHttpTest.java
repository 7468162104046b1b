package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refused requests are logged (ASVS 16.3.2, 16.3.3) through a real server: one line each on the
 * {@code dev.gatehouse.security} logger, with the user id, method and path, never a cookie, token
 * or password. The test tree logs through slf4j-simple, which writes to {@code System.err} as it
 * is at the time of writing, so the test captures that stream.
 */
@HttpContract
class RefusalLogHttpTest {

    private static TestApp app;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(RATE_LIMITS_ENABLED, true).set(FRESHNESS, Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void capture() {
        app.t.clock.advance(Duration.ofMinutes(10)); // a fresh rate-limit window
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setErr(originalErr);
    }

    private List<String> refusals() {
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.contains("dev.gatehouse.security")).toList();
    }

    @Test
    void a_forbidden_request_is_an_info_line_with_user_method_and_path_and_no_token() {
        User alice = app.newUser("alice");
        HttpClientSession client = app.client();
        String token = client.loginForToken(alice.email(), TestApp.PASSWORD);

        assertThat(client.getJson("/admin?auth_token=" + token).status()).isEqualTo(403);

        assertThat(refusals()).singleElement().satisfies(line -> {
            assertThat(line).contains("INFO", "Refused GET /admin: forbidden", "user " + alice.id());
            assertThat(line).doesNotContain(token).doesNotContain("auth_token");
        });
    }

    @Test
    void re_authentication_required_is_an_info_line() {
        User alice = app.newUser("alice");
        HttpClientSession client = app.signedIn(alice);
        app.t.clock.advance(Duration.ofMinutes(6));

        assertThat(client.getJson("/fresh").status()).isEqualTo(401);

        assertThat(refusals()).singleElement().asString()
                .contains("INFO", "Refused GET /fresh: re-authentication required", "user " + alice.id());
    }

    @Test
    void an_anonymous_401_is_a_debug_line_since_every_browser_meets_one() {
        assertThat(app.client().getJson("/api/me").status()).isEqualTo(401);

        assertThat(refusals()).singleElement().asString().contains("DEBUG", "Refused GET /api/me: not signed in");
    }

    @Test
    void csrf_failures_say_missing_or_invalid_and_never_quote_the_token_or_cookie() {
        User alice = app.newUser("alice");
        HttpClientSession client = app.signedIn(alice);
        String forged = "forged-" + "x".repeat(30);

        assertThat(client.postJson("/api/me", Map.of()).status()).isEqualTo(400);
        assertThat(client.postJson("/api/me", Map.of(), "X-CSRF-Token", forged).status()).isEqualTo(400);

        assertThat(refusals()).hasSize(2);
        assertThat(refusals().get(0)).contains("INFO", "Refused POST /api/me: CSRF token missing", "user " + alice.id());
        assertThat(refusals().get(1)).contains("Refused POST /api/me: CSRF token invalid");
        String all = String.join("\n", refusals());
        assertThat(all).doesNotContain(forged).doesNotContain(client.cookie("gatehouse_session"))
                .doesNotContain(client.csrfToken());
    }

    @Test
    void an_off_site_next_and_a_rate_limit_are_logged_without_the_password_or_the_target() {
        User alice = app.newUser("alice");
        HttpClientSession client = app.client();
        assertThat(client.postJson("/login?next=https://evil.example/steal", Map.of("email", alice.email(),
                "password", TestApp.PASSWORD), "X-CSRFToken", client.csrfToken()).status()).isEqualTo(400);
        HttpClientSession.Reply reply = null;
        for (int i = 0; i < 20 && (reply == null || reply.status() != 429); i++) {
            reply = app.client().login("nobody" + i + "@example.com", "guessed password " + i);
        }
        assertThat(reply.status()).isEqualTo(429);

        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("INFO", "Refused POST /login: off-site next"));
        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("INFO", "Refused POST /login: rate limit"));
        assertThat(String.join("\n", refusals())).doesNotContain("evil.example").doesNotContain(TestApp.PASSWORD)
                .doesNotContain("guessed password").doesNotContain("nobody");
    }

    @Test
    void authentications_other_than_sign_in_are_logged_without_their_credentials_asvs_16_3_1() {
        User alice = app.newUser("alice");
        HttpClientSession browser = app.signedIn(alice, Map.of("remember", true));
        String remember = browser.cookie("gatehouse_remember");
        HttpClientSession api = app.client();
        String refresh = api.login(alice.email(), TestApp.PASSWORD, Map.of("include_refresh_token", true)).user()
                .path("refresh_token").asText();

        assertThat(browser.postJson("/verify", Map.of("password", TestApp.PASSWORD), "X-CSRFToken", browser.csrfToken())
                .status()).isEqualTo(200);
        assertThat(api.postJson("/refresh-token", Map.of("refresh_token", refresh)).status()).isEqualTo(200);
        browser.cookies.remove("gatehouse_session");
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);
        assertThat(app.client().get("/basic", "Authorization", HttpClientSession.basic(alice.email(), TestApp.PASSWORD))
                .status()).isEqualTo(200);

        String user = "user " + alice.id();
        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("INFO",
                "Authenticated POST /verify: re-authenticated with the password", user));
        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("INFO",
                "Authenticated POST /refresh-token: refresh token exchanged", user));
        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("INFO",
                "Authenticated GET /api/me: session restored from the remember-me cookie", user));
        assertThat(refusals()).anySatisfy(line -> assertThat(line).contains("DEBUG", "Authenticated GET /basic: HTTP Basic",
                user));
        assertThat(String.join("\n", refusals())).doesNotContain(TestApp.PASSWORD).doesNotContain(refresh)
                .doesNotContain(remember);
    }

    /** Writes to the console as before and into the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
