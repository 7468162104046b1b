package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyUsage;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in a real headless Chromium with its virtual authenticator (CTAP2, internal, resident
 * keys, user verification): the diary with {@code GATEHOUSE_WEBAUTHN=true} only, relying party
 * {@code localhost} and origin {@code http://localhost:<port>}. The pages' script runs under their
 * Content-Security-Policy, so a blocked script or request would show as a console error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiaryPasskeysBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

    private TestDiary diary;
    private VirtualAuthenticator authenticator;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of("GATEHOUSE_WEBAUTHN", "true"));
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    @AfterEach
    void no_console_errors_and_no_authenticator_left() {
        if (authenticator != null) {
            authenticators().removeVirtualAuthenticator(authenticator);
            authenticator = null;
        }
        assertThat(BROWSER.consoleErrors()).as("browser console errors").isEmpty();
    }

    @Test
    void a_writer_adds_a_passkey_signs_in_with_it_renames_and_deletes_it() {
        String email = newWriter("passkey");
        authenticator = newAuthenticator();
        signInWithPassword(email);

        BROWSER.click("header a[href='/wan-register']");
        assertThat(BROWSER.path()).isEqualTo("/wan-register");
        assertThat(BROWSER.text("#wan-none")).isEqualTo("You have no passkeys yet.");
        BROWSER.type("name", "Laptop");
        BROWSER.click("#wan-register-form button[type='submit']");

        assertThat(BROWSER.path()).isEqualTo("/wan-register");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Successfully added passkey with name: Laptop");
        assertThat(BROWSER.text("#wan-passkeys .wan-name")).isEqualTo("Laptop");
        assertThat(authenticator.getCredentials()).hasSize(1)
                .allSatisfy(credential -> assertThat(credential.isResidentCredential()).isTrue());
        assertThat(diary.mail(email, 2)).contains("A passkey named “Laptop” was added to your account");

        signOut();
        BROWSER.open(diary.url() + "/login?next=%2F");
        BROWSER.click("#wan-signin-form button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(email));

        BROWSER.open(diary.url() + "/wan-register");
        assertThat(BROWSER.text("#wan-passkeys tbody tr td:nth-child(3)")).as("last used").contains("UTC");
        BROWSER.find("form.wan-rename input[name='new_name']").sendKeys("Work laptop");
        BROWSER.click("form.wan-rename button");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Renamed passkey Laptop to Work laptop.");
        assertThat(BROWSER.text("#wan-passkeys .wan-name")).isEqualTo("Work laptop");

        BROWSER.click("form.wan-delete button");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Deleted passkey with name: Work laptop");
        assertThat(BROWSER.findAll("#wan-passkeys")).isEmpty();
        assertThat(diary.mail(email, 3)).contains("The passkey named “Work laptop” was removed from your account");

        // The authenticator still holds the credential; the diary no longer knows it.
        signOut();
        BROWSER.open(diary.url() + "/login");
        BROWSER.click("#wan-signin-form button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/login");
        assertThat(BROWSER.text(".gh-flash--error")).isEqualTo("The passkey could not be verified, or the request expired."
                + " Please start over.");
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
    }

    @Test
    void another_users_passkey_is_refused_and_a_second_authenticator_signs_in_its_own_user() {
        String ann = newWriter("ann");
        String ben = newWriter("ben");
        authenticator = newAuthenticator();
        signInWithPassword(ann);
        BROWSER.open(diary.url() + "/wan-register");
        BROWSER.type("name", "Ann's key");
        BROWSER.click("#wan-register-form button[type='submit']");
        assertThat(BROWSER.text("#wan-passkeys .wan-name")).isEqualTo("Ann's key");
        signOut();

        // Ben re-authenticates, and the only passkey at hand is Ann's: refused, Ben stays as he was.
        signInWithPassword(ben);
        BROWSER.open(diary.url() + "/wan-verify?next=%2Fwan-register");
        BROWSER.click("#wan-verify-form button[type='submit']");
        assertThat(BROWSER.path()).startsWith("/wan-verify");
        assertThat(BROWSER.text(".gh-flash--error")).startsWith("The passkey could not be verified");
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.text("main")).contains(hello(ben));

        // A second authenticator, Ben's own: his passkey signs in Ben, never Ann.
        authenticators().removeVirtualAuthenticator(authenticator);
        authenticator = newAuthenticator();
        BROWSER.open(diary.url() + "/wan-register");
        BROWSER.type("name", "Ben's key");
        BROWSER.click("#wan-register-form button[type='submit']");
        assertThat(BROWSER.text("#wan-passkeys .wan-name")).isEqualTo("Ben's key");
        BROWSER.open(diary.url() + "/wan-verify?next=%2Fwan-register");
        BROWSER.click("#wan-verify-form button[type='submit']");
        assertThat(BROWSER.path()).as("re-authenticated with his own passkey").isEqualTo("/wan-register");
        signOut();

        BROWSER.open(diary.url() + "/login");
        BROWSER.click("#wan-signin-form button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(ben)).doesNotContain(displayName(ann));
    }

    @Test
    void a_passkey_added_as_a_second_factor_is_the_second_step_after_the_password() {
        String email = newWriter("second");
        authenticator = newAuthenticator();
        signInWithPassword(email);
        BROWSER.open(diary.url() + "/wan-register");
        BROWSER.type("name", "Security key");
        BROWSER.find("#usage-secondary").click();
        BROWSER.click("#wan-register-form button[type='submit']");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Successfully added passkey with name: Security key");
        signOut();

        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", email);
        BROWSER.type("password", TestDiary.PASSWORD);
        BROWSER.click("form[action='/login'] button[type='submit']");
        assertThat(BROWSER.path()).as("the password is one factor").isEqualTo("/wan-signin");
        assertThat(BROWSER.text("main")).contains("One more step: confirm it is you with your passkey");
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).as("no session yet").startsWith("/login");

        BROWSER.open(diary.url() + "/wan-signin");
        BROWSER.click("#wan-signin-form button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(email));
    }

    @Test
    void the_login_page_loads_the_passkey_script_from_this_site_and_no_inline_one() {
        BROWSER.open(diary.url() + "/login");
        assertThat(BROWSER.findAll("script")).hasSize(1)
                .allSatisfy(script -> assertThat(script.getDomAttribute("src")).startsWith("/gatehouse/static/gatehouse-passkeys.js?v="));
        assertThat(BROWSER.find("#wan-signin-form button").isDisplayed()).isTrue();
        assertThat(BROWSER.driver().findElements(By.cssSelector("[data-gh-passkey-errors]:not([hidden])"))).isEmpty();
    }

    @Test
    void the_passkey_pages_and_the_login_page_with_its_button_are_valid_html() {
        HttpSession visitor = diary.client();
        assertThat(HtmlChecker.problems(visitor.get("/login").body())).as("login").isEmpty();
        assertThat(HtmlChecker.problems(visitor.get("/wan-signin").body())).as("wan_signin").isEmpty();

        String email = newWriter("valid");
        HttpSession writer = diary.client();
        assertThat(writer.login(email, TestDiary.PASSWORD).status()).isEqualTo(302);
        long id = diary.running.gatehouse().users().findUserByEmail(email).orElseThrow().id();
        // Listed only, never used: any bytes do for the key.
        diary.running.gatehouse().passkeys().add(Passkey.registered(id, "AAECAwQFBgcICQoLDA0ODw", "Tablet <b>",
                new byte[] {1, 2, 3}, 0, Set.of("internal"), true, true, PasskeyUsage.FIRST, Instant.now()));
        String list = writer.get("/wan-register").body();
        assertThat(list).contains("<td class=\"wan-name\">Tablet &lt;b&gt;</td>");
        assertThat(HtmlChecker.problems(list)).as("wan_register").isEmpty();
        assertThat(HtmlChecker.problems(writer.get("/wan-verify?next=%2F").body())).as("wan_verify").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** A writer registered over HTTP; the browser signs in on its own. */
    private String newWriter(String name) {
        String email = TestDiary.email(name);
        HttpSession.Reply reply = diary.client().register(email, TestDiary.PASSWORD, displayName(email));
        assertThat(reply.status()).as("registration").isEqualTo(302);
        return email;
    }

    /** The display name each writer registers with, unique as the address is: its local part. */
    private String displayName(String email) {
        return email.substring(0, email.indexOf('@'));
    }

    /** The dashboard's greeting of this writer. */
    private String hello(String email) {
        return "Hello, " + displayName(email) + "!";
    }

    private HasVirtualAuthenticator authenticators() {
        return (HasVirtualAuthenticator) BROWSER.driver();
    }

    /** A platform authenticator that keeps discoverable credentials and verifies its user at once. */
    private VirtualAuthenticator newAuthenticator() {
        return authenticators().addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    private void signInWithPassword(String email) {
        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", email);
        BROWSER.type("password", TestDiary.PASSWORD);
        BROWSER.click("form[action='/login'] button[type='submit']");
        assertThat(BROWSER.text("main")).contains(hello(email));
    }

    private void signOut() {
        BROWSER.click("header form[action='/logout'] button");
    }
}
