package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.EMAIL_LINK_SIGNIN;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.EmailLinkSignin;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passwordless sign-in through a real server and a real SMTP server: the code from the received
 * mail works once, only in the browser that asked for it, for three attempts at most; the link
 * works once and uses up the code.
 */
@HttpContract
class PasswordlessHttpTest {

    private static final String CHALLENGE = "gatehouse_signin_code";
    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(UNIFIED_SIGNIN, true).set(RATE_LIMITS_ENABLED, true));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    @BeforeEach
    void freshWindows() {
        app.t.clock.advance(Duration.ofMinutes(10));
    }

    private static HttpClientSession.Reply sendCode(HttpClientSession client, String email) {
        String csrf = client.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        return client.postJson("/us-signin/send-code", Map.of("identity", email, "chosen_method", "email"),
                "X-CSRFToken", csrf);
    }

    private static HttpClientSession.Reply verify(HttpClientSession client, String code) {
        String csrf = client.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        return client.postJson("/us-signin?include_auth_token", Map.of("passcode", code), "X-CSRFToken", csrf);
    }

    /** A code that is not {@code code}. */
    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void a_browser_asks_for_a_code_types_it_and_is_signed_in() {
        User user = app.newUser("browser");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply form = browser.get("/us-signin");
        HttpClientSession.Reply sent = browser.postForm("/us-signin/send-code", Map.of("identity", user.email(),
                "csrf_token", LoginApiTest.hiddenCsrfToken(form.body())));

        assertThat(form.body()).contains("action=\"/us-signin/send-code\"").contains("autocomplete=\"email\"");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).contains("If that email address belongs to an account, you will receive an email with a sign-in code.")
                .contains("autocomplete=\"one-time-code\"").contains("inputmode=\"numeric\"").contains("within 5 minutes");
        assertThat(sent.setCookie(CHALLENGE)).contains("HttpOnly").contains("SameSite=Lax").contains("Max-Age=300");
        Inbox.Mail mail = inbox.next(user.email());
        assertThat(mail.subject()).isEqualTo("Your sign-in code");

        HttpClientSession.Reply signedIn = browser.postForm("/us-signin", Map.of("passcode", mail.code(),
                "csrf_token", LoginApiTest.hiddenCsrfToken(sent.body())));

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).isEqualTo("/");
        assertThat(signedIn.setCookie(CHALLENGE)).as("the used challenge is dropped").contains("Max-Age=0");
        assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
        assertThat(browser.get("/app-page").body()).contains("You have successfully signed in.");
    }

    @Test
    void a_json_client_signs_in_with_the_code_once() {
        User user = app.newUser("json");
        HttpClientSession client = app.client();

        HttpClientSession.Reply sent = sendCode(client, user.email());
        String challenge = client.cookie(CHALLENGE);
        String code = inbox.next(user.email()).code();
        HttpClientSession.Reply signedIn = verify(client, code);
        HttpClientSession replay = app.client();
        replay.cookies.put(CHALLENGE, challenge);
        HttpClientSession.Reply again = verify(replay, code);

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().path("response").size()).isZero();
        assertThat(sent.body()).doesNotContain(challenge);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.user().path("authentication_token").asText()).isNotEmpty();
        assertThat(client.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.fieldErrors("passcode")).containsExactly("Invalid code.");
    }

    @Test
    void three_wrong_codes_kill_the_challenge_even_for_the_right_code() {
        User user = app.newUser("guesser");
        HttpClientSession client = app.client();
        sendCode(client, user.email());
        String code = inbox.next(user.email()).code();

        for (int i = 0; i < 3; i++) {
            HttpClientSession.Reply wrong = verify(client, wrong(code));
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.fieldErrors("passcode")).containsExactly("Invalid code.");
        }
        HttpClientSession.Reply right = verify(client, code);

        assertThat(right.status()).isEqualTo(400);
        assertThat(right.fieldErrors("passcode")).containsExactly("Invalid code.");
        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void a_code_works_only_with_the_challenge_of_the_request_that_asked_for_it() {
        User user = app.newUser("two-browsers");
        HttpClientSession first = app.client();
        HttpClientSession second = app.client();
        HttpClientSession noChallenge = app.client();

        sendCode(first, user.email());
        String firstCode = inbox.next(user.email()).code();
        sendCode(second, user.email());
        String secondCode = inbox.next(user.email()).code();

        HttpClientSession.Reply crossed = verify(second, firstCode.equals(secondCode) ? wrong(secondCode) : firstCode);
        HttpClientSession.Reply withoutCookie = verify(noChallenge, firstCode);
        HttpClientSession.Reply own = verify(first, firstCode);

        assertThat(crossed.status()).isEqualTo(400);
        assertThat(withoutCookie.status()).isEqualTo(400);
        assertThat(withoutCookie.fieldErrors("passcode")).containsExactly("Invalid code.");
        assertThat(own.status()).isEqualTo(200);
    }

    /** The link's page, then its button: what a browser following the link does. */
    private static HttpClientSession.Reply followAndClick(HttpClientSession browser, String link) {
        HttpClientSession.Reply page = browser.get(link);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return browser.postForm(link, Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));
    }

    @Test
    void the_emailed_link_signs_in_once_and_uses_up_the_code() {
        User user = app.newUser("link");
        HttpClientSession asker = app.client();
        sendCode(asker, user.email());
        Inbox.Mail mail = inbox.next(user.email());
        HttpClientSession browser = app.client();

        HttpClientSession.Reply followed = followAndClick(browser, mail.link("/us-verify-link"));
        HttpClientSession.Reply codeAfterwards = verify(asker, mail.code());
        HttpClientSession other = app.client();
        HttpClientSession.Reply again = followAndClick(other, mail.link("/us-verify-link"));

        assertThat(followed.status()).isEqualTo(302);
        assertThat(followed.header("Location")).isEqualTo("/");
        assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
        assertThat(codeAfterwards.status()).isEqualTo(400);
        assertThat(again.header("Location")).isEqualTo("/us-signin");
        assertThat(other.follow(again).body()).contains("Invalid sign-in link.");
        assertThat(other.get("/public").body()).isEqualTo("anonymous");
        assertThat(app.client().getJson("/us-verify-link/garbage").fieldErrors("token")).containsExactly("Invalid sign-in link.");
    }

    // Issue 10, login CSRF: a link mailed to someone else, followed in this browser, must not sign it in unasked.

    @Test
    void following_the_link_in_a_fresh_browser_shows_a_page_and_signs_nobody_in() {
        User user = app.newUser("link-page");
        sendCode(app.client(), user.email());
        String link = inbox.next(user.email()).link("/us-verify-link");
        HttpClientSession fresh = app.client();

        HttpClientSession.Reply page = fresh.get(link);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"" + link + "\">")
                .contains("Continue only if you asked for this link yourself");
        assertThat(page.setCookie("gatehouse_session")).isNull();
        assertThat(fresh.get("/public").body()).isEqualTo("anonymous");
        assertThat(app.gatehouse.sessions().list(user.id())).isEmpty();
        // The page did not use the link up.
        assertThat(followAndClick(fresh, link).header("Location")).isEqualTo("/");
        assertThat(fresh.get("/public").body()).isEqualTo("user " + user.email());
    }

    @Test
    void the_links_button_without_this_browsers_csrf_token_is_refused_and_leaves_the_link_usable() {
        User user = app.newUser("link-csrf");
        sendCode(app.client(), user.email());
        String link = inbox.next(user.email()).link("/us-verify-link");
        HttpClientSession victim = app.client();
        victim.get(link);

        HttpClientSession.Reply forged = victim.postForm(link, Map.of("csrf_token", "forged"));
        HttpClientSession.Reply missing = victim.postForm(link, Map.of());
        HttpClientSession.Reply jsonMissing = victim.postJson(link, Map.of());

        assertThat(List.of(forged.status(), missing.status(), jsonMissing.status())).containsOnly(400);
        assertThat(jsonMissing.fieldErrors("csrf_token")).containsExactly("The CSRF token is missing.");
        assertThat(victim.get("/public").body()).isEqualTo("anonymous");
        assertThat(followAndClick(app.client(), link).header("Location")).isEqualTo("/");
    }

    @Test
    void a_json_client_gets_the_csrf_token_from_the_link_and_posts_it_to_sign_in_once() {
        User user = app.newUser("link-json");
        sendCode(app.client(), user.email());
        String link = inbox.next(user.email()).link("/us-verify-link");
        HttpClientSession api = app.client();

        HttpClientSession.Reply info = api.getJson(link);
        String csrf = info.json().path("response").path("csrf_token").asText();
        HttpClientSession.Reply signedIn = api.postJson(link + "?include_auth_token", Map.of(), "X-CSRFToken", csrf);
        HttpClientSession other = app.client();
        HttpClientSession.Reply reused = other.postJson(link, Map.of(), "X-CSRFToken", other.csrfToken());

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.setCookie("gatehouse_session")).isNull();
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        assertThat(signedIn.user().path("authentication_token").asText()).isNotEmpty();
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.fieldErrors("token")).containsExactly("Invalid sign-in link.");
    }

    @Test
    void with_same_browser_binding_the_browser_that_asked_is_signed_in_at_once_and_others_get_the_page() {
        try (TestApp bound = TestApp.withMail(SMTP, c -> c.set(UNIFIED_SIGNIN, true).set(EMAIL_LINK_SIGNIN, EmailLinkSignin.SAME_BROWSER))) {
            User user = bound.newUser("link-bound");
            HttpClientSession asker = bound.client();
            sendCode(asker, user.email());
            String link = inbox.next(user.email()).link("/us-verify-link");
            HttpClientSession other = bound.client();

            HttpClientSession.Reply elsewhere = other.get(link);
            HttpClientSession.Reply here = asker.get(link);

            assertThat(elsewhere.status()).isEqualTo(200);
            assertThat(other.get("/public").body()).isEqualTo("anonymous");
            assertThat(here.status()).isEqualTo(302);
            assertThat(here.header("Location")).isEqualTo("/");
            assertThat(asker.get("/public").body()).isEqualTo("user " + user.email());
        }
    }

    @Test
    void an_old_code_and_an_old_link_are_refused() {
        User user = app.newUser("late");
        HttpClientSession client = app.client();
        sendCode(client, user.email());
        Inbox.Mail mail = inbox.next(user.email());

        app.t.clock.advance(Duration.ofMinutes(6));
        HttpClientSession.Reply oldCode = verify(client, mail.code());
        app.t.clock.advance(Duration.ofMinutes(10));
        HttpClientSession.Reply oldLink = app.client().getJson(mail.link("/us-verify-link"));

        assertThat(oldCode.status()).isEqualTo(400);
        assertThat(oldCode.fieldErrors("passcode")).containsExactly("Invalid code.");
        assertThat(oldLink.status()).isEqualTo(400);
        assertThat(oldLink.fieldErrors("token")).containsExactly("This sign-in link was valid for 15 minutes only."
                + " Please ask for a new one.");
    }

    @Test
    void an_unknown_address_gets_the_same_answer_and_a_challenge_cookie_of_the_same_kind() {
        User user = app.newUser("known");
        String unknown = TestApp.email("unknown");

        HttpClientSession knownClient = app.client();
        HttpClientSession unknownClient = app.client();
        HttpClientSession.Reply forKnown = sendCode(knownClient, user.email());
        HttpClientSession.Reply forUnknown = sendCode(unknownClient, unknown);
        HttpClientSession knownBrowser = app.client();
        HttpClientSession unknownBrowser = app.client();
        HttpClientSession.Reply knownPage = knownBrowser.postForm("/us-signin/send-code", Map.of("identity", user.email(),
                "csrf_token", LoginApiTest.hiddenCsrfToken(knownBrowser.get("/us-signin").body())));
        HttpClientSession.Reply unknownPage = unknownBrowser.postForm("/us-signin/send-code", Map.of("identity", unknown,
                "csrf_token", LoginApiTest.hiddenCsrfToken(unknownBrowser.get("/us-signin").body())));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(200);
        assertThat(forKnown.body()).isEqualTo(forUnknown.body());
        // The challenge holds the address given, so its length follows the address, not the account.
        assertThat(forKnown.setCookie(CHALLENGE).replace(knownClient.cookie(CHALLENGE), "…"))
                .isEqualTo(forUnknown.setCookie(CHALLENGE).replace(unknownClient.cookie(CHALLENGE), "…"));
        assertThat(knownPage.status()).isEqualTo(unknownPage.status());
        assertThat(HttpClientSession.withoutCsrfTokens(knownPage.body()))
                .isEqualTo(HttpClientSession.withoutCsrfTokens(unknownPage.body()));
        assertThat(inbox.next(unknown).text()).contains("a sign-in code").contains("there is no account");
        assertThat(inbox.next(user.email()).subject()).isEqualTo("Your sign-in code");
    }

    @Test
    void code_requests_are_rate_limited_per_address_and_bad_input_is_400() {
        String email = app.newUser("limited").email();
        for (int i = 0; i < 3; i++) {
            assertThat(sendCode(app.client(), email).status()).isEqualTo(200);
        }

        HttpClientSession.Reply limited = sendCode(app.client(), email);
        HttpClientSession.Reply invalid = sendCode(app.client(), "not an address");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.fieldErrors("identity")).containsExactly("Invalid email address");
    }
}
