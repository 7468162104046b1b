package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against an in-process HTTP server that plays the Pwned Passwords range API. */
class HaveIBeenPwnedCheckTest {

    // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
    private static final String PREFIX = "5BAA6";
    private static final String SUFFIX = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "";
    private volatile boolean hang;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/range/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " padding=" + exchange.getRequestHeaders().getFirst("Add-Padding"));
            if (hang) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HaveIBeenPwnedCheck.Builder check() {
        return HaveIBeenPwnedCheck.builder()
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/range"))
                .requestTimeout(Duration.ofSeconds(5));
    }

    private static String range(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    @Test
    void a_password_whose_suffix_is_listed_is_breached_and_only_the_prefix_is_sent() {
        body = range("003D68EB55068C33ACE09247EE4C639306B:3", SUFFIX + ":10434004", "01330C689E5D64F660D6947A93AD634EF8F:1");

        boolean breached = check().build().isBreached("password");

        assertThat(breached).isTrue();
        assertThat(requests).containsExactly("GET /range/" + PREFIX + " padding=true");
    }

    @Test
    void suffixes_are_compared_ignoring_case() {
        body = range(SUFFIX.toLowerCase(java.util.Locale.ROOT) + ":2");

        assertThat(check().build().isBreached("password")).isTrue();
    }

    @Test
    void a_password_whose_suffix_is_absent_is_not_breached() {
        body = range("003D68EB55068C33ACE09247EE4C639306B:3", "01330C689E5D64F660D6947A93AD634EF8F:1");

        assertThat(check().build().isBreached("password")).isFalse();
    }

    @Test
    void padding_entries_with_count_zero_do_not_count() {
        body = range(SUFFIX + ":0");

        assertThat(check().build().isBreached("password")).isFalse();
    }

    @Test
    void the_threshold_is_configurable() {
        body = range(SUFFIX + ":5");

        assertThat(check().minimumCount(5).build().isBreached("password")).isTrue();
        assertThat(check().minimumCount(6).build().isBreached("password")).isFalse();
    }

    @Test
    void a_server_error_lets_the_password_pass_when_failing_open() {
        status = 503;

        assertThat(check().build().isBreached("password")).isFalse();
        assertThat(requests).hasSize(1);
    }

    @Test
    void a_server_error_is_reported_when_failing_closed() {
        status = 503;

        assertThatThrownBy(() -> check().failClosed(true).build().isBreached("password"))
                .isInstanceOfSatisfying(BreachCheckUnavailableException.class, e -> {
                    assertThat(e.code()).isEqualTo("PASSWORD_BREACHED_SITE_ERROR");
                    assertThat(e.getMessage()).contains("503").doesNotContain(PREFIX);
                });
    }

    @Test
    void a_timeout_is_reported_when_failing_closed_and_passes_when_failing_open() {
        hang = true;

        assertThatThrownBy(() -> check().requestTimeout(Duration.ofMillis(200)).failClosed(true).build().isBreached("password"))
                .isInstanceOf(BreachCheckUnavailableException.class)
                .hasMessageContaining("HttpTimeoutException");
        assertThat(check().requestTimeout(Duration.ofMillis(200)).build().isBreached("password")).isFalse();
    }

    @Test
    void an_unreachable_service_is_reported_when_failing_closed() {
        int port = server.getAddress().getPort();
        server.stop(0);

        assertThatThrownBy(() -> HaveIBeenPwnedCheck.builder().baseUri(URI.create("http://127.0.0.1:" + port + "/range/"))
                .failClosed(true).build().isBreached("password"))
                .isInstanceOf(BreachCheckUnavailableException.class);
    }

    @Test
    void the_policy_refuses_a_breached_password_through_the_check() {
        // SHA-1("correct horse battery staple") = ABF7AAD6438836DBE526AA231ABDE2D0EEF74D42
        body = range("AD6438836DBE526AA231ABDE2D0EEF74D42:1");
        PasswordPolicy policy = PasswordPolicy.builder().noStrengthEstimate().breachedPasswordCheck(check().build()).build();

        assertThat(policy.check("correct horse battery staple")).extracting(PolicyViolation::code)
                .containsExactly("PASSWORD_BREACHED");
        assertThat(requests).containsExactly("GET /range/ABF7A padding=true");
    }

    @Test
    void settings_are_validated() {
        assertThatThrownBy(() -> HaveIBeenPwnedCheck.builder().minimumCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HaveIBeenPwnedCheck.builder().requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HaveIBeenPwnedCheck.builder().baseUri(URI.create("ftp://example.org/")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
