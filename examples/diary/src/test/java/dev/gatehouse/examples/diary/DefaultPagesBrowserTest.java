package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;

/**
 * Every default page, and the diary's own, in the browser and in the W3C HTML checker: valid
 * markup, nothing on the browser console, usable on a phone-sized screen. Screenshots of each
 * are saved under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultPagesBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

    private TestDiary diary;
    private HttpSession writer;
    private long entryId;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of());
        writer = diary.signedIn("writer@example.com", "writerpass");
        writer.write("An entry to look at: <em>not markup</em> & friends.");
        String dashboard = writer.get("/").body();
        entryId = Long.parseLong(dashboard.replaceAll("(?s).*?href=\"/entry/(\\d+)\".*", "$1"));
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    /** Checks the page's markup as served, then shows it in the browser and keeps a screenshot. */
    private void check(String name, HttpSession.Reply served, String path) throws IOException {
        assertThat(served.header("Content-Type")).startsWith("text/html");
        assertThat(HtmlChecker.problems(served.body())).as("HTML checker on %s", name).isEmpty();
        BROWSER.open(diary.url() + path);
        BROWSER.screenshot(name);
        assertThat(BROWSER.consoleErrors()).as("console of %s", name).isEmpty();
    }

    private void signInBrowserAs(String email, String password) {
        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", email);
        BROWSER.type("password", password);
        BROWSER.click("form[action='/login'] button[type=submit]");
    }

    @Test
    void the_pages_for_visitors_are_valid_quiet_and_pictured() throws IOException {
        HttpSession visitor = diary.client();
        check("login", visitor.get("/login"), "/login");
        check("register", visitor.get("/register"), "/register");

        String csrf = visitor.get("/login").csrf();
        HttpSession.Reply failedLogin = visitor.postForm("/login", Map.of("email", "nobody@example.com", "password", "x",
                "csrf_token", csrf));
        assertThat(HtmlChecker.problems(failedLogin.body())).as("login with errors").isEmpty();
        HttpSession.Reply failedRegistration = visitor.postForm("/register", Map.of("email", "bad", "password", "short",
                "password_confirm", "other", "csrf_token", visitor.get("/register").csrf()));
        assertThat(HtmlChecker.problems(failedRegistration.body())).as("registration with errors").isEmpty();
        assertThat(failedRegistration.body()).contains("aria-invalid=\"true\"");

        // The same failed registration in the browser, for its picture.
        BROWSER.open(diary.url() + "/register");
        BROWSER.type("email", "bad@");
        BROWSER.type("password", "short");
        BROWSER.type("password_confirm", "other");
        BROWSER.navigate(() -> BROWSER.find("form[action='/register']").submit());
        BROWSER.screenshot("register-errors");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    void the_pages_for_signed_in_users_are_valid_quiet_and_pictured() throws IOException {
        signInBrowserAs("admin@example.com", "adminpass");
        HttpSession admin = diary.admin();

        check("dashboard", admin.get("/"), "/");
        check("entry", admin.get("/entry/" + entryId), "/entry/" + entryId);
        check("edit_entry", admin.get("/edit_entry/" + entryId), "/edit_entry/" + entryId);
        check("verify", admin.get("/verify"), "/verify");
        check("logout", admin.get("/logout"), "/logout");

        HttpSession.Reply notFound = admin.get("/entry/999999");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(HtmlChecker.problems(notFound.body())).as("404 page").isEmpty();
        BROWSER.open(diary.url() + "/entry/999999");
        BROWSER.screenshot("error-404");
        assertThat(BROWSER.consoleErrors()).containsExactly(diary.url()
                + "/entry/999999 - Failed to load resource: the server responded with a status of 404");
        BROWSER.click("header form[action='/logout'] button");
    }

    @Test
    void the_forbidden_page_is_valid_and_the_sign_in_page_fits_a_phone() throws IOException {
        HttpSession.Reply forbidden = writer.get("/edit_entry/" + entryId);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(HtmlChecker.problems(forbidden.body())).as("403 page").isEmpty();

        Dimension desktop = BROWSER.driver().manage().window().getSize();
        try {
            BROWSER.driver().manage().window().setSize(new Dimension(375, 740));
            BROWSER.open(diary.url() + "/login");
            BROWSER.screenshot("login-phone");
            Object overflow = ((org.openqa.selenium.JavascriptExecutor) BROWSER.driver())
                    .executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
            assertThat(overflow).as("no sideways scrolling on a phone").isEqualTo(false);
            assertThat(BROWSER.find("#email").getSize().getWidth()).as("fields use the width").isGreaterThan(250);
        } finally {
            BROWSER.driver().manage().window().setSize(desktop);
        }
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }
}
