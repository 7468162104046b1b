package dev.gatehouse.javalin;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.testing.FuzzInput;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.contract.HttpClientSession;
import dev.gatehouse.web.contract.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Fuzzes requests to a real Javalin server with the Gatehouse plugin, written byte for byte on
 * a socket, so that what no in-process test reaches is fuzzed too: the framework's decoding of
 * the body in the charset the {@code Content-Type} names, its parsing of cookies and headers,
 * and the plugin between them and Gatehouse. Whatever the request: no 5xx answer, and
 * {@code /api/me} (signed-in users only) answers 200 only to a genuine credential, except to
 * {@code OPTIONS}: CORS preflights are never checked (see {@link Access}), and the test
 * application's preflight handler reveals nothing.
 *
 * <p>Input lines: method, path (with {@code ?query}), Content-Type, Authorization, Cookie,
 * Authentication-Token, X-Forwarded-For, then the body. {@code {TOKEN}}, {@code {SESSION}} and
 * {@code {BASIC}} stand for genuine credentials of a user of the server.
 */
class HttpRequestFuzzTest {

    private static final TestApp APP = new TestApp(new JavalinHttpAdapter(), c -> c.set(EXTERNAL_URL, "https://site.example")
            .set(REGISTERABLE, true).set(RECOVERABLE, true).set(CHANGEABLE, true).set(CHANGE_EMAIL, true).set(UNIFIED_SIGNIN, true).set(TRUSTED_PROXY_COUNT, 1),
            WebOptions.defaults(), parts -> { });
    private static final User USER = APP.newUser("fuzz");
    private static final Map<String, String> GENUINE;

    static {
        // Jazzer's SSRF detector fails any connection it was not told about: the test's own
        // connections go to this server only, so one from Gatehouse elsewhere is still a finding.
        BugDetectors.allowNetworkConnections(HttpRequestFuzzTest::isThisServer);
        GENUINE = genuine();
    }

    /** Signs in over HTTP as a client would, and keeps what it was given. */
    private static Map<String, String> genuine() {
        HttpClientSession client = APP.client();
        HttpClientSession.Reply reply = client.login(USER.email(), TestApp.PASSWORD, Map.of("include_auth_token", true));
        assertThat(reply.status()).isEqualTo(200);
        return Map.of(
                "{TOKEN}", reply.user().path("authentication_token").asText(),
                "{SESSION}", client.cookie("gatehouse_session"),
                "{BASIC}", "Basic " + Base64.getEncoder().encodeToString(
                        (USER.email() + ":" + TestApp.PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @FuzzTest
    @DictionaryEntries({"POST", "GET", "/login", "/logout", "/verify", "/change", "/register", "/reset",
        "/refresh-token", "/api/me", "application/json", "; charset=", "utf-8", "UTF-16", "x-bogus",
        "application/x-www-form-urlencoded", "gatehouse_session=", "\"email\"", "\"password\"", "{TOKEN}", "{SESSION}"})
    void noRequestIsA500OrSignsInWithoutCredentials(byte[] data) throws IOException {
        // The detector's permission holds for the calling thread's test run only: renew it.
        BugDetectors.allowNetworkConnections(HttpRequestFuzzTest::isThisServer);
        FuzzInput input = FuzzInput.of(data);
        String method = token(input.line(), "GET");
        String target = headerValue(FuzzInput.substitute(input.line(), GENUINE));
        String contentType = headerValue(input.line());
        String authorization = headerValue(FuzzInput.substitute(input.line(), GENUINE));
        String cookie = headerValue(FuzzInput.substitute(input.line(), GENUINE));
        String authToken = headerValue(FuzzInput.substitute(input.line(), GENUINE));
        String forwardedFor = headerValue(input.line());
        byte[] body = FuzzInput.substitute(input.rest(), GENUINE).getBytes(StandardCharsets.UTF_8);

        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target.startsWith("/") ? target : "/" + target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: ").append(body.length).append("\r\n");
        appendHeader(head, "Content-Type", contentType);
        appendHeader(head, "Authorization", authorization);
        appendHeader(head, "Cookie", cookie);
        appendHeader(head, "Authentication-Token", authToken);
        appendHeader(head, "X-Forwarded-For", forwardedFor);
        head.append("\r\n");

        int status = exchange(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);

        assertThat(status).as("status of %s %s", method, target).isBetween(100, 499);
        if (status == 200 && target.startsWith("/api/me") && !method.equals("OPTIONS")) {
            String all = target + "\n" + authorization + "\n" + cookie + "\n" + authToken + "\n" + new String(body, StandardCharsets.UTF_8);
            assertThat(GENUINE.values().stream().anyMatch(all::contains))
                    .as("/api/me let in a request without a genuine credential").isTrue();
        }
    }

    /**
     * Sends the request on a new connection; the status code of the answer. A connection that ends
     * or stalls without any answer is tried once more on a new one: Jetty 12 now and then fails its
     * own request-buffer bookkeeping under fuzzing ("already released", jetty/jetty.project#12939,
     * seen here with inputs that answer normally when replayed). A server that drops or stalls on
     * the request itself does so again, and the second attempt fails the test.
     */
    private static int exchange(byte[] head, byte[] body) throws IOException {
        try {
            return exchangeOnce(head, body);
        } catch (AssertionError | java.net.SocketTimeoutException | UncheckedIOException e) {
            System.err.println("No answer on one connection (" + e.getClass().getSimpleName() + "); trying a new one");
            return exchangeOnce(head, body);
        }
    }

    private static int exchangeOnce(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), APP.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
            return Integer.parseInt(text.substring(9, 12));
        } catch (java.net.SocketException e) {
            throw new UncheckedIOException("the server dropped the connection", e);
        }
    }

    private static boolean isThisServer(String host, int port) {
        return port == APP.port() && (host.equals("localhost") || InetAddress.getLoopbackAddress().getHostAddress().equals(host));
    }

    private static void appendHeader(StringBuilder head, String name, String value) {
        if (!value.isEmpty()) {
            head.append(name).append(": ").append(value).append("\r\n");
        }
    }

    /** A header value as a client can send one: no line breaks (they would start another header). */
    private static String headerValue(String text) {
        return text.replace("\r", "").replace("\n", "");
    }

    private static String token(String text, String fallback) {
        String method = text.replaceAll("[^A-Za-z]", "");
        return method.isEmpty() ? fallback : method.toUpperCase(java.util.Locale.ROOT);
    }
}
