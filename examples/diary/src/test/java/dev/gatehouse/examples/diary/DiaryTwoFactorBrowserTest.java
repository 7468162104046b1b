package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.EventContext;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * Two-factor sign-in in a real headless Chromium, on the diary as an operator switches it on:
 * {@code GATEHOUSE_TWO_FACTOR=true} with recovery codes, unified sign-in, passkeys, the SMS method
 * through the development sender ({@code GATEHOUSE_SMS_SERVICE=files}: texts become files in the
 * mail folder) and "trust this browser" ({@code GATEHOUSE_TWO_FACTOR_ALWAYS_VALIDATE=false}). The
 * user reads the key off the setup page, as they would type it into an authenticator app.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiaryTwoFactorBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
    void start() {
        diary = TestDiary.start(stack(), Map.of(
                "GATEHOUSE_TWO_FACTOR", "true",
                "GATEHOUSE_MULTI_FACTOR_RECOVERY_CODES", "true",
                "GATEHOUSE_TWO_FACTOR_ENABLED_METHODS", "authenticator,email,sms",
                "GATEHOUSE_SMS_SERVICE", "files",
                "GATEHOUSE_TWO_FACTOR_ALWAYS_VALIDATE", "false",
                "GATEHOUSE_UNIFIED_SIGNIN", "true",
                "GATEHOUSE_WEBAUTHN", "true"));
    }

    @AfterAll
    void stop() {
        diary.close();
    }

    @AfterEach
    void no_console_errors() {
        assertThat(BROWSER.consoleErrors()).as("browser console errors").isEmpty();
    }

    @Test
    void the_account_menu_links_the_setup_of_every_factor_that_is_on() {
        String email = newWriter("menu");
        signInWithPassword(email);

        assertThat(BROWSER.findAll("header nav a").stream().map(a -> a.getDomAttribute("href")).toList())
                .contains("/tf-setup", "/mf-recovery-codes", "/us-setup", "/wan-register");
        assertThat(BROWSER.text("header nav")).contains("Two-factor authentication", "Recovery codes", "Ways to sign in", "Passkeys");
    }

    @Test
    void an_authenticator_app_and_recovery_codes_then_sign_in_with_each_and_a_recovery_code_works_once() {
        String email = newWriter("authr");
        signInWithPassword(email);

        // Setup: choose the app, read the key beside the QR code, prove a code.
        BROWSER.click("header a[href='/tf-setup']");
        assertThat(BROWSER.text("main")).contains("Two-factor authentication is off");
        BROWSER.find("#setup-authenticator").click();
        BROWSER.click("form[action='/tf-setup'] button[type='submit']");
        assertThat(BROWSER.find("main form").getDomAttribute("action")).as("the code goes to the sealed setup state")
                .startsWith("/tf-setup/");
        assertThat(BROWSER.text("main")).contains("Scan this QR code with your authenticator app");
        assertThat(BROWSER.findAll(".gh-qrcode-box svg")).as("the QR code, drawn inline").hasSize(1);
        assertThat(BROWSER.find(".gh-qrcode-box svg").getDomAttribute("viewBox")).isNotBlank();
        String key = BROWSER.text("code.gh-secret").replace(" ", "");
        assertThat(key).matches("[A-Z2-7]{32}");
        BROWSER.type("code", AuthenticatorApp.now(key));
        BROWSER.click("main form button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/tf-setup");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("You successfully changed your two-factor method.");
        assertThat(BROWSER.text("main")).contains("Your second factor: Authenticator app.");
        assertThat(diary.mail(email, 2)).contains("Subject: Two-factor authentication changed").doesNotContain(key);

        // Recovery codes: none yet, then a set of ten, shown once.
        BROWSER.click("header a[href='/mf-recovery-codes']");
        assertThat(BROWSER.text("main")).contains("You have 0 unused recovery codes.");
        BROWSER.click("main form button[type='submit']");
        List<String> codes = BROWSER.findAll("ol.gh-codes li code").stream().map(WebElement::getText).toList();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allSatisfy(code -> assertThat(code).matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));
        BROWSER.open(diary.url() + "/mf-recovery-codes");
        assertThat(BROWSER.text("main")).contains("You have 10 unused recovery codes.").doesNotContain(codes.get(0));

        // Sign-in: the password, then the app's code.
        signOut();
        submitPassword(email, false);
        assertThat(BROWSER.path()).isEqualTo("/tf-validate");
        assertThat(BROWSER.text("h1")).isEqualTo("Enter your second-factor code");
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).as("one factor is no sign-in").isEqualTo("/login?next=%2F");
        submitPassword(email, false);
        secondStep(email, AuthenticatorApp.next(key));

        // Lost the phone: a recovery code instead, chosen on the code page.
        signOut();
        submitPassword(email, false);
        BROWSER.find("#help_setup-recovery_code").click();
        BROWSER.click("form[action='/tf-rescue'] button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/mf-recovery");
        BROWSER.type("code", codes.get(0).toUpperCase());
        BROWSER.click("form[action='/mf-recovery'] button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(email));
        BROWSER.open(diary.url() + "/mf-recovery-codes");
        assertThat(BROWSER.text("main")).contains("You have 9 unused recovery codes.");

        // The same recovery code a second time: refused, and nobody is signed in.
        signOut();
        submitPassword(email, false);
        BROWSER.open(diary.url() + "/mf-recovery");
        BROWSER.type("code", codes.get(0));
        BROWSER.click("form[action='/mf-recovery'] button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/mf-recovery");
        assertThat(BROWSER.text("main")).contains("Invalid recovery code.");
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
    }

    @Test
    void remember_me_at_the_second_step_trusts_this_browser_for_the_next_sign_in() {
        String email = newWriter("trust");
        String key = authenticatorFor(email);

        submitPassword(email, true);
        assertThat(BROWSER.path()).isEqualTo("/tf-validate");
        secondStep(email, AuthenticatorApp.next(key));
        assertThat(trustCookie()).as("the tf_validity cookie").isPresent();

        signOut();
        submitPassword(email, false);
        assertThat(BROWSER.path()).as("a trusted browser skips the second step").isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(email));

        // Another browser (this one without the cookie) is asked again.
        signOut();
        BROWSER.driver().manage().deleteCookie(trustCookie().orElseThrow());
        submitPassword(email, false);
        assertThat(BROWSER.path()).isEqualTo("/tf-validate");
    }

    @Test
    void the_email_method_is_set_up_and_asked_for_with_codes_from_the_mail_folder() {
        String email = newWriter("mailed");
        signInWithPassword(email);

        BROWSER.open(diary.url() + "/tf-setup");
        BROWSER.find("#setup-email").click();
        BROWSER.click("form[action='/tf-setup'] button[type='submit']");
        assertThat(BROWSER.text("main")).contains("We sent you a code.");
        assertThat(BROWSER.findAll(".gh-qrcode-box")).isEmpty();
        String setupMail = diary.mail(email, 2);
        assertThat(setupMail).contains("Subject: Your verification code");
        BROWSER.type("code", AuthenticatorApp.mailedCode(setupMail));
        BROWSER.click("main form button[type='submit']");
        assertThat(BROWSER.text("main")).contains("Your second factor: Code by email.");
        assertThat(diary.mail(email, 3)).contains("Subject: Two-factor authentication changed");

        signOut();
        submitPassword(email, false);
        assertThat(BROWSER.path()).isEqualTo("/tf-validate");
        String signInMail = diary.mail(email, 4);
        secondStep(email, AuthenticatorApp.mailedCode(signInMail));
    }

    @Test
    void the_sms_method_is_set_up_and_asked_for_with_codes_the_development_sender_wrote_to_the_mail_folder() {
        String email = newWriter("texted");
        String phone = "+4915100" + String.format("%06d", Math.abs(email.hashCode()) % 1_000_000);
        assertThat(diary.output).contains("Text messages (SMS codes): files in " + diary.mailFolder() + ", never sent");
        signInWithPassword(email);

        BROWSER.open(diary.url() + "/tf-setup");
        BROWSER.find("#setup-sms").click();
        BROWSER.type("phone", phone);
        BROWSER.click("form[action='/tf-setup'] button[type='submit']");
        assertThat(BROWSER.text("main")).contains("We sent you a code.");
        BROWSER.type("code", textedCode(phone, 1));
        BROWSER.click("main form button[type='submit']");
        assertThat(BROWSER.text("main")).contains("Your second factor: Code by text message (SMS).");

        signOut();
        submitPassword(email, false);
        assertThat(BROWSER.path()).isEqualTo("/tf-validate");
        secondStep(email, textedCode(phone, 2));
    }

    @Test
    void the_two_factor_pages_are_valid_html() {
        String email = newWriter("valid");
        HttpSession owner = diary.signedIn(email, TestDiary.PASSWORD);
        String setup = owner.get("/tf-setup").body();
        assertThat(HtmlChecker.problems(setup)).as("two_factor_setup").isEmpty();
        HttpSession.Reply code = owner.postForm("/tf-setup", Map.of("setup", "authenticator", "csrf_token", owner.get("/").csrf()));
        assertThat(code.body()).contains("<svg");
        assertThat(HtmlChecker.problems(code.body())).as("two_factor_setup_code with the QR code").isEmpty();
        String key = keyOn(code.body());
        HttpSession.Reply enabled = owner.postForm(actionOf(code.body()), Map.of("code", AuthenticatorApp.now(key),
                "csrf_token", code.csrf()));
        assertThat(enabled.header("Location")).isEqualTo("/tf-setup");
        assertThat(HtmlChecker.problems(owner.get("/mf-recovery-codes").body())).as("mf_recovery_codes").isEmpty();
        HttpSession.Reply generated = owner.postForm("/mf-recovery-codes", Map.of("csrf_token", owner.get("/").csrf()));
        assertThat(generated.body()).contains("class=\"gh-codes\"");
        assertThat(HtmlChecker.problems(generated.body())).as("mf_recovery_codes with the codes").isEmpty();
        for (String page : List.of("/us-setup", "/us-verify")) {
            HttpSession.Reply reply = owner.get(page);
            assertThat(reply.status()).as(page).isEqualTo(200);
            assertThat(HtmlChecker.problems(reply.body())).as(page).isEmpty();
        }

        HttpSession visitor = diary.client();
        assertThat(visitor.login(email, TestDiary.PASSWORD).header("Location")).isEqualTo("/tf-validate");
        for (String page : List.of("/tf-validate", "/tf-select", "/mf-recovery")) {
            HttpSession.Reply reply = visitor.get(page);
            assertThat(reply.status()).as(page).isEqualTo(200);
            assertThat(HtmlChecker.problems(reply.body())).as(page).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    private String newWriter(String name) {
        String email = TestDiary.email(name);
        assertThat(diary.client().register(email, TestDiary.PASSWORD, displayName(email)).status()).as("registration").isEqualTo(302);
        return email;
    }

    /** Sets up an authenticator app through the core service, as the setup page would; returns its key. */
    private String authenticatorFor(String email) {
        TwoFactor twoFactor = diary.running.gatehouse().twoFactor();
        User user = diary.running.gatehouse().users().findUserByEmail(email).orElseThrow();
        TotpSetup setup = twoFactor.newTotpSecret(user);
        assertThat(twoFactor.verify(user, FactorMethod.AUTHENTICATOR, AuthenticatorApp.now(setup.base32Key()), "setup-" + email,
                Optional.of(setup.sealedSecret()), ClientInfo.UNKNOWN)).isEqualTo(CodeCheck.ACCEPTED);
        twoFactor.enable(user, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                EventContext.of(diary.running.gatehouse().clock().instant(), user.id(), ClientInfo.UNKNOWN));
        return setup.base32Key();
    }

    private String displayName(String email) {
        return email.substring(0, email.indexOf('@'));
    }

    private String hello(String email) {
        return "Hello, " + displayName(email) + "!";
    }

    /** The first factor on the login page; where it leads is the caller's to check. */
    private void submitPassword(String email, boolean remember) {
        BROWSER.open(diary.url() + "/login");
        BROWSER.type("email", email);
        BROWSER.type("password", TestDiary.PASSWORD);
        if (remember) {
            BROWSER.find("#remember").click();
        }
        BROWSER.click("form[action='/login'] button[type='submit']");
    }

    private void signInWithPassword(String email) {
        submitPassword(email, false);
        assertThat(BROWSER.text("main")).contains(hello(email));
    }

    /** The code page's form, which signs {@code email} in on the diary. */
    private void secondStep(String email, String code) {
        BROWSER.type("code", code);
        BROWSER.click("form[action='/tf-validate'] button[type='submit']");
        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains(hello(email));
    }

    private void signOut() {
        BROWSER.click("header form[action='/logout'] button");
    }

    private Optional<Cookie> trustCookie() {
        return BROWSER.driver().manage().getCookies().stream().filter(c -> c.getName().endsWith("_tf_validity")).findFirst();
    }

    /** The code of the {@code n}-th text to {@code phone}, from the files of {@code sms-service=files}. */
    private String textedCode(String phone, int n) {
        Pattern code = Pattern.compile("Diary code: (\\d{6})\\b");
        try (Stream<Path> files = Files.list(diary.mailFolder())) {
            List<String> texts = files.filter(f -> f.getFileName().toString().startsWith("sms-")).sorted()
                    .map(DiaryTwoFactorBrowserTest::read).filter(text -> text.startsWith("To: " + phone + "\n")).toList();
            assertThat(texts).as("texts to " + phone).hasSizeGreaterThanOrEqualTo(n);
            Matcher m = code.matcher(texts.get(n - 1));
            assertThat(m.find()).as(texts.get(n - 1)).isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String keyOn(String page) {
        Matcher m = Pattern.compile("<code class=\"gh-secret\">([A-Z2-7 ]+)</code>").matcher(page);
        assertThat(m.find()).as("the key on the page").isTrue();
        return m.group(1).replace(" ", "");
    }

    private static String actionOf(String page) {
        Matcher m = Pattern.compile("<form method=\"post\" action=\"(/tf-setup/[^\"]+)\"").matcher(page);
        assertThat(m.find()).as("the code form").isTrue();
        return m.group(1);
    }
}
