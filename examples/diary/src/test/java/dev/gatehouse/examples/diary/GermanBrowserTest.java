package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A browser set to German gets German pages — Gatehouse's and the diary's — and German JSON
 * errors, by nothing but its Accept-Language header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GermanBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.german();

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of());
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    /** What fetch() in this browser gets from the API: status and body. */
    private JsonNode fetch(String method, String path, String body) throws IOException {
        // From the stylesheet's URL: same origin, and no page CSP forbidding connections.
        BROWSER.open(diary.url() + "/gatehouse/static/gatehouse.css");
        Object result = ((JavascriptExecutor) BROWSER.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = {'Accept': 'application/json', 'Content-Type': 'application/json'};
                if (arguments[3]) { headers['X-CSRF-Token'] = arguments[3]; }
                fetch(arguments[0], {method: arguments[1], headers, body: arguments[2], credentials: 'same-origin'})
                  .then(r => r.text().then(t => done(JSON.stringify({status: r.status, body: JSON.parse(t)}))))
                  .catch(e => done(JSON.stringify({status: -1, body: String(e)})));
                """, path, method, body, csrf);
        return JSON.readTree((String) result);
    }

    private String csrf;

    @Test
    void pages_and_json_errors_are_german() throws IOException {
        BROWSER.open(diary.url() + "/login");
        assertThat(BROWSER.find("html").getAttribute("lang")).isEqualTo("de");
        assertThat(BROWSER.text("h1")).isEqualTo("Anmelden");
        assertThat(BROWSER.text("label[for=password]")).isEqualTo("Passwort");
        BROWSER.screenshot("login-de");

        BROWSER.type("email", "writer@example.com");
        BROWSER.type("password", "falsch");
        BROWSER.click("form[action='/login'] button[type=submit]");
        assertThat(BROWSER.text("[role=alert]")).isEqualTo("Ungültige Zugangsdaten");

        JsonNode anonymous = fetch("GET", "/api/entries", null);
        assertThat(anonymous.path("status").asInt()).isEqualTo(401);
        assertThat(anonymous.path("body").path("response").path("errors").get(0).asText())
                .isEqualTo("Sie sind nicht angemeldet. Bitte geben Sie gültige Zugangsdaten an.");

        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", "writer@example.com");
        BROWSER.type("password", "writerpass");
        BROWSER.click("form[action='/login'] button[type=submit]");
        assertThat(BROWSER.text("h1")).isEqualTo("Ihr Tagebuch");
        assertThat(BROWSER.text("label[for=content]")).isEqualTo("Was ist heute passiert?");
        BROWSER.screenshot("dashboard-de");
        csrf = BROWSER.find("form[action='/entries'] input[name=csrf_token]").getAttribute("value");

        JsonNode invalid = fetch("POST", "/api/entries", "{\"content\": \"\"}");
        assertThat(invalid.path("status").asInt()).isEqualTo(400);
        assertThat(invalid.path("body").path("error").asText()).isEqualTo("Ein Eintrag braucht 1 bis 280 Zeichen.");

        BROWSER.open(diary.url() + "/logout");
        assertThat(BROWSER.text("h1")).isEqualTo("Abmelden");
        BROWSER.click("main form[action='/logout'] button");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Sie wurden abgemeldet.");
        // The two refused API calls, nothing else; the favicon is asked for only because fetch()
        // ran on the bare stylesheet, which is no page.
        assertThat(BROWSER.consoleErrors()).filteredOn(error -> !error.contains("/favicon.ico")).containsExactly(diary.url()
                + "/api/entries - Failed to load resource: the server responded with a status of 401",
                diary.url() + "/api/entries - Failed to load resource: the server responded with a status of 400");
    }
}
