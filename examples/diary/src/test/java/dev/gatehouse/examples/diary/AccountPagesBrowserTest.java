package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account lifecycle's pages — forgotten password and reset, confirmation, username recovery,
 * passwordless sign-in, password, email and username change — in the browser and in the W3C HTML
 * checker, with every feature switched on through the diary's environment: valid markup, nothing
 * on the console, a screenshot each under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountPagesBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of("GATEHOUSE_CONFIRMABLE", "true", "GATEHOUSE_CHANGE_EMAIL", "true",
                "GATEHOUSE_USERNAME_ENABLE", "true", "GATEHOUSE_USERNAME_RECOVERY", "true",
                "GATEHOUSE_UNIFIED_SIGNIN", "true", "GATEHOUSE_LOCKOUT_UNLOCK", "both"));
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    /** Checks the page's markup as served, then shows it in the browser and keeps a screenshot. */
    private void check(String name, HttpSession.Reply served, String path) throws IOException {
        assertThat(served.status()).as(name).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("text/html");
        assertThat(HtmlChecker.problems(served.body())).as("HTML checker on %s", name).isEmpty();
        BROWSER.open(diary.url() + path);
        BROWSER.screenshot(name);
        assertThat(BROWSER.consoleErrors()).as("console of %s", name).isEmpty();
    }

    /** Checks a page a form post answered with (an error, the code form): markup only. */
    private static void checkMarkup(String name, HttpSession.Reply served) {
        assertThat(served.header("Content-Type")).as(name).startsWith("text/html");
        assertThat(HtmlChecker.problems(served.body())).as("HTML checker on %s", name).isEmpty();
    }

    @Test
    void the_pages_for_visitors_are_valid_quiet_and_pictured() throws IOException {
        HttpSession visitor = diary.client();
        check("login-all-features", visitor.get("/login"), "/login");
        check("forgot_password", visitor.get("/reset"), "/reset");
        check("send_confirmation", visitor.get("/confirm"), "/confirm");
        check("recover_username", visitor.get("/recover-username"), "/recover-username");
        check("us_signin", visitor.get("/us-signin"), "/us-signin");
        check("register-with-username", visitor.get("/register"), "/register");

        checkMarkup("forgot_password with errors", visitor.postForm("/reset", Map.of("email", "not an address",
                "csrf_token", visitor.get("/reset").csrf())));
        HttpSession.Reply codeForm = visitor.postForm("/us-signin/send-code", Map.of("identity", "writer@example.com",
                "csrf_token", visitor.get("/us-signin").csrf()));
        checkMarkup("us_signin_code", codeForm);
        checkMarkup("us_signin_code with errors", visitor.postForm("/us-signin", Map.of("passcode", "12",
                "csrf_token", codeForm.csrf())));

        // The reset form, from the link the development mailer wrote.
        HttpSession asker = diary.client();
        asker.postForm("/reset", Map.of("email", "writer@example.com", "csrf_token", asker.get("/reset").csrf()));
        String link = TestDiary.link(firstMail("writer@example.com", "Password reset instructions"), "/reset");
        check("reset_password", visitor.get(link), link);
        checkMarkup("reset_password with errors", visitor.postForm(link, Map.of("password", "short",
                "password_confirm", "other", "csrf_token", visitor.get(link).csrf())));

        // The page an emailed sign-in link shows (its button signs in; following the link does not).
        String signinLink = TestDiary.link(firstMail("writer@example.com", "Your sign-in code"), "/us-verify-link");
        check("email_link", visitor.get(signinLink), signinLink);

        // The code form in the browser: ask for a code, see the form.
        BROWSER.open(diary.url() + "/us-signin");
        BROWSER.type("identity", "writer@example.com");
        BROWSER.click("form[action='/us-signin/send-code'] button[type=submit]");
        assertThat(BROWSER.find("#passcode").getAttribute("autocomplete")).isEqualTo("one-time-code");
        BROWSER.screenshot("us_signin_code");
        assertThat(BROWSER.consoleErrors()).isEmpty();
    }

    @Test
    void the_pages_for_signed_in_users_are_valid_quiet_and_pictured() throws IOException {
        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", "admin@example.com");
        BROWSER.type("password", "adminpass");
        BROWSER.click("form[action='/login'] button[type=submit]");
        HttpSession admin = diary.admin();

        check("change_password", admin.get("/change"), "/change");
        check("change_email", admin.get("/change-email"), "/change-email");
        check("change_username", admin.get("/change-username"), "/change-username");
        check("sessions", admin.get("/sessions"), "/sessions");
        checkMarkup("change_password with errors", admin.postForm("/change", Map.of("password", "wrong",
                "new_password", "short", "new_password_confirm", "other", "csrf_token", admin.get("/change").csrf())));
        checkMarkup("change_email with errors", admin.postForm("/change-email", Map.of("email", "not an address",
                "password", "wrong", "csrf_token", admin.get("/change-email").csrf())));
        checkMarkup("change_username with errors", admin.postForm("/change-username", Map.of("username", "a b",
                "csrf_token", admin.get("/change-username").csrf())));
        BROWSER.click("header form[action='/logout'] button");
    }

    /** The first message to {@code to} with this subject in the mail folder. */
    private String firstMail(String to, String subject) {
        for (int n = 1; ; n++) {
            String mail = diary.mail(to, n);
            if (mail.contains("Subject: " + subject)) {
                return mail;
            }
        }
    }
}
