package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The diary end to end in a real headless Chromium: a visitor registers, signs in, writes an entry
 * that another writer may not read, an admin edits it, everybody signs out; a forgotten password
 * is reset through the link the development mailer wrote; a wrong password is reported;
 * {@code next} brings a user back to the page first asked for. The diary runs as the
 * demo does: Secure {@code __Host-} cookies over plain HTTP on localhost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiaryBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

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

    @AfterEach
    void no_console_errors() {
        assertThat(BROWSER.consoleErrors()).as("browser console errors").isEmpty();
    }

    private void signIn(String email, String password) {
        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", email);
        BROWSER.type("password", password);
        BROWSER.click("form[action='/login'] button[type=submit]");
    }

    private void signOut() {
        BROWSER.click("header form[action='/logout'] button");
    }

    @Test
    void register_write_be_refused_elsewhere_have_an_admin_edit_and_sign_out() {
        String email = TestDiary.email("browser");

        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Please sign in to see this page.");

        BROWSER.click("a[href^='/register']");
        BROWSER.type("email", email);
        BROWSER.type("display_name", "Winnie");
        BROWSER.type("password", TestDiary.PASSWORD);
        BROWSER.type("password_confirm", TestDiary.PASSWORD);
        BROWSER.click("form[action='/register'] button[type=submit]");
        assertThat(BROWSER.path()).isEqualTo("/login");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Thank you for registering. We have sent you an email; you can now sign in.");
        BROWSER.type("email", email);
        BROWSER.type("password", TestDiary.PASSWORD);
        BROWSER.click("form[action='/login'] button[type=submit]");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains("Hello, Winnie!");

        BROWSER.type("content", "Dear diary, a browser wrote this.");
        BROWSER.click("form[action='/entries'] button");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Your entry is saved.");
        assertThat(BROWSER.text(".gh-list li .gh-prose")).isEqualTo("Dear diary, a browser wrote this.");
        String entry = BROWSER.find(".gh-list li a[href^='/entry/']").getAttribute("href");
        entry = entry.substring(entry.indexOf("/entry/"));

        signOut();
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("You have been signed out.");

        signIn("writer@example.com", "writerpass");
        BROWSER.open(diary.url() + entry);
        assertThat(BROWSER.text("h1")).isEqualTo("Access denied");
        assertThat(BROWSER.text("main")).doesNotContain("a browser wrote this");
        // The refusal itself is the only thing the console reports.
        assertThat(BROWSER.consoleErrors()).containsExactly(diary.url() + entry
                + " - Failed to load resource: the server responded with a status of 403");
        signOut();

        signIn("admin@example.com", "adminpass");
        BROWSER.open(diary.url() + entry);
        assertThat(BROWSER.text(".gh-prose")).isEqualTo("Dear diary, a browser wrote this.");
        BROWSER.click("a[href^='/edit_entry/']");
        BROWSER.type("content", "Edited by the admin.");
        BROWSER.click("form[action^='/edit_entry/'] button[type=submit]");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("The entry is updated.");
        assertThat(BROWSER.text("main")).contains("Edited by the admin.").contains("by " + email);

        signOut();
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("You have been signed out.");
        BROWSER.open(diary.url() + entry);
        assertThat(BROWSER.path()).startsWith("/login?next=");
    }

    @Test
    void a_forgotten_password_is_reset_through_the_link_in_the_mail_folder() {
        String email = TestDiary.email("forgetful");
        diary.client().register(email, TestDiary.PASSWORD, "Forgetful");

        BROWSER.open(diary.url() + "/login");
        BROWSER.click("a[href='/reset']");
        BROWSER.type("email", email);
        BROWSER.click("form[action='/reset'] button[type=submit]");
        assertThat(BROWSER.path()).isEqualTo("/reset");
        assertThat(BROWSER.text(".gh-flash")).startsWith("If that email address belongs to an account");

        String mail = diary.mail(email, 2);
        String link = TestDiary.link(mail, "/reset");
        // The link as mailed, host and port included: the diary started on a free port (--port 0).
        assertThat(mail).contains(diary.url() + link);
        BROWSER.open(diary.url() + link);
        BROWSER.type("password", "a fresh start for the diary");
        BROWSER.type("password_confirm", "a fresh start for the diary");
        BROWSER.click("form[action^='/reset/'] button[type=submit]");
        assertThat(BROWSER.path()).isEqualTo("/login");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("You successfully reset your password. Please sign in with your new password.");

        signIn(email, "a fresh start for the diary");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains("Hello, Forgetful!");
        signOut();
    }

    @Test
    void a_wrong_password_is_reported_and_the_email_kept() {
        signIn("writer@example.com", "not the password");

        assertThat(BROWSER.path()).isEqualTo("/login");
        assertThat(BROWSER.text("[role=alert]")).isEqualTo("Invalid credentials");
        assertThat(BROWSER.find("#email").getAttribute("value")).isEqualTo("writer@example.com");
        assertThat(BROWSER.find("#password").getAttribute("value")).isEmpty();
    }

    @Test
    void next_brings_the_user_back_to_the_page_first_asked_for_using_only_the_keyboard() {
        HttpSession writer = diary.signedIn("writer@example.com", "writerpass");
        writer.write("Keyboard entry");
        String href = writer.get("/").body().replaceAll("(?s).*?href=\"(/entry/\\d+)\".*", "$1");

        BROWSER.open(diary.url() + href);
        assertThat(BROWSER.path()).isEqualTo("/login?next=" + href.replace("/", "%2F"));
        BROWSER.find("#email").click();
        BROWSER.driver().switchTo().activeElement().sendKeys("writer@example.com", Keys.TAB);
        BROWSER.navigate(() -> BROWSER.driver().switchTo().activeElement().sendKeys("writerpass", Keys.ENTER));

        assertThat(BROWSER.path()).isEqualTo(href);
        assertThat(BROWSER.text("main")).contains("Keyboard entry");
        signOut();
    }
}
