package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 5: a Content-Type naming a charset the server cannot decode (unknown, malformed,
 * empty) is the client's mistake — 415 in Flask-Security's envelope, on Gatehouse's endpoints and on
 * the application's protected routes alike — and never a 500 with a stack trace in the log.
 */
@HttpContract
class RequestCharsetTest {

    private static final List<String> BAD_CHARSETS = List.of("x-bogus", "@@@", "");
    private static final List<String> ENDPOINTS = List.of("/login", "/register", "/reset", "/refresh-token",
            "/change", "/verify", "/api/me");

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(REGISTERABLE, true).set(RECOVERABLE, true).set(CHANGEABLE, true).set(EXTERNAL_URL, Inbox.SITE));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void an_unknown_json_charset_is_a_415_in_the_envelope_on_every_endpoint_and_logs_no_stack_trace() {
        HttpClientSession browser = app.signedIn(app.newUser("charset-json"));
        String csrf = browser.csrfToken();
        for (String path : ENDPOINTS) {
            for (String charset : BAD_CHARSETS) {
                Captured reply = capture(() -> browser.postRaw(path, "application/json; charset=" + charset,
                        "{\"email\":\"a@example.com\",\"password\":\"x\"}", "Accept", "application/json", "X-CSRF-Token", csrf));

                assertThat(reply.reply.status()).as(path + " charset=" + charset + ": " + reply.reply).isEqualTo(415);
                assertThat(reply.reply.json().path("meta").path("code").asInt()).isEqualTo(415);
                assertThat(reply.reply.errors()).as(path).containsExactly("The request's character set is not supported; send UTF-8.");
                assertNoStackTrace(reply.log);
            }
        }
    }

    @Test
    void an_unknown_form_charset_is_a_415_page_for_browsers() {
        for (String path : List.of("/login", "/register", "/reset")) {
            Captured reply = capture(() -> app.client().postRaw(path,
                    "application/x-www-form-urlencoded; charset=x-bogus", "email=a%40example.com&password=x"));

            assertThat(reply.reply.status()).as(path + ": " + reply.reply).isEqualTo(415);
            assertThat(reply.reply.header("Content-Type")).startsWith("text/html");
            assertThat(reply.reply.body()).contains("The request&#39;s character set is not supported; send UTF-8.");
            assertNoStackTrace(reply.log);
        }
    }

    @Test
    void a_token_in_the_query_string_of_a_request_with_an_unknown_charset_is_refused_not_a_500() {
        String token = app.client().loginForToken(app.newUser("charset-query").email(), TestApp.PASSWORD);

        Captured reply = capture(() -> app.client().get("/api/me?auth_token=" + token,
                "Content-Type", "application/json; charset=@@@", "Accept", "application/json"));

        assertThat(reply.reply.status()).as(reply.reply.toString()).isEqualTo(415);
        assertNoStackTrace(reply.log);
    }

    @Test
    void the_current_user_on_an_unprotected_route_survives_an_unknown_charset() {
        String token = app.client().loginForToken(app.newUser("charset-public").email(), TestApp.PASSWORD);

        Captured bogus = capture(() -> app.client().get("/public", "Authentication-Token", token,
                "Content-Type", "application/json; charset=x-bogus"));

        assertThat(bogus.reply.status()).as(bogus.reply.toString()).isEqualTo(200);
        assertThat(bogus.reply.body()).startsWith("user charset-public");
        assertNoStackTrace(bogus.log);
    }

    @Test
    void a_quoted_or_differently_cased_known_charset_is_read() {
        HttpClientSession client = app.client();
        String email = app.newUser("charset-quoted").email();

        HttpClientSession.Reply reply = client.postRaw("/login", "application/json; charset=\"UTF-8\"",
                "{\"email\":\"" + email + "\",\"password\":\"" + TestApp.PASSWORD + "\"}",
                "Accept", "application/json", "X-CSRF-Token", client.csrfToken());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private record Captured(HttpClientSession.Reply reply, String log) {
    }

    /** Runs a request with System.err captured: slf4j-simple, the test binding, logs there (Javalin's 500s too). */
    private static Captured capture(Supplier<HttpClientSession.Reply> request) {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            HttpClientSession.Reply reply = request.get();
            return new Captured(reply, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private static void assertNoStackTrace(String log) {
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
        // Not counted: Gatehouse's own background threads and GreenMail's, which in a JVM shared with
        // earlier tests (a mail delivery worker finishing its last round) may log at any moment, and
        // once put lines into this capture.
        assertThat(log.lines().filter(line -> !fromBackgroundThread(line)).count()).as(log).isLessThanOrEqualTo(1);
    }

    /** slf4j-simple writes {@code [thread] LEVEL logger - message}. */
    private static boolean fromBackgroundThread(String line) {
        return line.startsWith("[gatehouse-") || line.startsWith("[smtp:");
    }
}
