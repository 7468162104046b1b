package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_CONFIRM;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration and email confirmation through a real server, a real SMTP server and real HTTP
 * clients, with Gatehouse's defaults: generic responses, confirmation required, rate limits on.
 * Links are taken from the mail that arrived and followed through the server.
 */
@HttpContract
class RegistrationHttpTest {

    private static final String PASSWORD = "a long enough passphrase";
    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true)
                .set(RATE_LIMITS_ENABLED, true).set("rate-limit-register", "6/1m/ip"));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    /** Rate-limit windows are fixed: a test starting ten minutes later starts with fresh ones. */
    @BeforeEach
    void freshWindows() {
        app.t.clock.advance(Duration.ofMinutes(10));
    }

    private static Map<String, String> form(String email, String csrf) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("password", PASSWORD);
        form.put("password_confirm", PASSWORD);
        form.put("csrf_token", csrf);
        return form;
    }

    private static HttpClientSession.Reply registerJson(HttpClientSession client, String email, String... headers) {
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        String[] all = new String[headers.length + 2];
        all[0] = "X-CSRFToken";
        all[1] = csrf;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return client.postJson("/register", Map.of("email", email, "password", PASSWORD), all);
    }

    @Test
    void a_form_registration_mails_a_link_that_confirms_the_address_through_the_server() {
        HttpClientSession browser = app.client();
        String email = TestApp.email("form");

        HttpClientSession.Reply registered = browser.postForm("/register",
                form(email, LoginApiTest.hiddenCsrfToken(browser.get("/register").body())));

        assertThat(registered.status()).isEqualTo(302);
        assertThat(registered.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(registered).body())
                .contains("Thank you for registering. Please check your email for the next step.");
        assertThat(browser.get("/public").body()).as("nobody signed in").isEqualTo("anonymous");
        HttpClientSession.Reply early = app.client().login(email, PASSWORD);
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.fieldErrors("email")).containsExactly("Email requires confirmation.");

        Inbox.Mail welcome = inbox.next(email);
        assertThat(welcome.subject()).isEqualTo("Welcome");
        assertThat(welcome.text()).contains("Your account has been created.");
        assertThat(welcome.html()).contains("<html lang=\"en\">").contains("href=\"" + Inbox.SITE + "/confirm/");
        HttpClientSession.Reply confirmed = browser.get(welcome.link("/confirm"));

        assertThat(confirmed.status()).isEqualTo(302);
        assertThat(confirmed.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(confirmed).body()).contains("Thank you. Your email has been confirmed.");
        assertThat(app.gatehouse.users().findUserByEmail(email).orElseThrow().confirmedAt()).isPresent();
        assertThat(app.client().login(email, PASSWORD).status()).isEqualTo(200);

        HttpClientSession.Reply again = browser.get(welcome.link("/confirm"));
        assertThat(again.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(again).body()).contains("Your email has already been confirmed.");
    }

    @Test
    void a_json_registration_answers_200_and_the_link_answers_json_too() {
        HttpClientSession client = app.client();
        String email = TestApp.email("json");

        HttpClientSession.Reply registered = registerJson(client, email);

        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().path("response").size()).isZero();
        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
        String link = inbox.next(email).link("/confirm");
        HttpClientSession.Reply confirmed = client.getJson(link);
        HttpClientSession.Reply reused = client.getJson(link);

        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.fieldErrors("token")).containsExactly("Your email has already been confirmed.");
    }

    @Test
    void a_taken_address_gets_the_same_status_and_body_as_a_new_one_and_its_owner_is_told() {
        User owner = app.newUser("owner");
        String fresh = TestApp.email("fresh");

        HttpClientSession.Reply forTaken = registerJson(app.client(), owner.email());
        HttpClientSession.Reply forNew = registerJson(app.client(), fresh);

        assertThat(forTaken.status()).isEqualTo(forNew.status()).isEqualTo(200);
        assertThat(forTaken.body()).isEqualTo(forNew.body());
        Inbox.Mail notice = inbox.next(owner.email());
        assertThat(notice.subject()).isEqualTo("Your registration");
        assertThat(notice.text()).contains("which already has an account").contains(Inbox.SITE + "/reset");
        assertThat(inbox.next(fresh).subject()).isEqualTo("Welcome");

        HttpClientSession takenBrowser = app.client();
        HttpClientSession newBrowser = app.client();
        String secondFresh = TestApp.email("fresh-form");
        HttpClientSession.Reply formTaken = takenBrowser.postForm("/register",
                form(owner.email(), LoginApiTest.hiddenCsrfToken(takenBrowser.get("/register").body())));
        HttpClientSession.Reply formNew = newBrowser.postForm("/register",
                form(secondFresh, LoginApiTest.hiddenCsrfToken(newBrowser.get("/register").body())));

        assertThat(formTaken.status()).isEqualTo(formNew.status()).isEqualTo(302);
        assertThat(formTaken.header("Location")).isEqualTo(formNew.header("Location"));
        assertThat(HttpClientSession.withoutCsrfTokens(takenBrowser.follow(formTaken).body()))
                .isEqualTo(HttpClientSession.withoutCsrfTokens(newBrowser.follow(formNew).body()));
        assertThat(inbox.next(owner.email()).subject()).isEqualTo("Your registration");
        assertThat(inbox.next(secondFresh).subject()).isEqualTo("Welcome");
    }

    @Test
    void the_mail_is_in_the_language_the_browser_asked_for() {
        String email = TestApp.email("german");

        registerJson(app.client(), email, "Accept-Language", "de-CH, de;q=0.9");

        Inbox.Mail welcome = inbox.next(email);
        assertThat(welcome.subject()).isEqualTo("Willkommen");
        assertThat(welcome.text()).contains("Hallo " + email + ",").contains("Bitte bestätigen Sie Ihre E-Mail-Adresse");
        assertThat(welcome.html()).contains("<html lang=\"de\">").contains("E-Mail-Adresse bestätigen");
    }

    @Test
    void tampered_links_are_refused_and_an_expired_one_brings_a_new_one_that_works() {
        String email = TestApp.email("expired");
        registerJson(app.client(), email);
        String link = inbox.next(email).link("/confirm");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply tampered = browser.get(link.substring(0, link.length() - 2)
                + (link.endsWith("AA") ? "BB" : "AA"));
        assertThat(tampered.header("Location")).isEqualTo("/confirm");
        assertThat(browser.follow(tampered).body()).contains("Invalid confirmation token.");
        assertThat(app.client().getJson("/confirm/not-a-token").fieldErrors("token"))
                .containsExactly("Invalid confirmation token.");

        app.t.clock.advance(Duration.ofDays(5).plusMinutes(1));
        HttpClientSession.Reply expired = browser.get(link);
        assertThat(browser.follow(expired).body()).contains("You did not confirm your email within 5 days."
                + " New instructions to confirm your email have been sent.");
        assertThat(app.gatehouse.users().findUserByEmail(email).orElseThrow().confirmedAt()).isEmpty();

        Inbox.Mail fresh = inbox.next(email);
        assertThat(fresh.subject()).isEqualTo("Please confirm your email");
        assertThat(browser.follow(browser.get(fresh.link("/confirm"))).body()).contains("Your email has been confirmed.");
    }

    @Test
    void asking_for_a_new_link_answers_alike_for_unknown_unconfirmed_and_confirmed_addresses() {
        String unconfirmed = TestApp.email("unconfirmed");
        registerJson(app.client(), unconfirmed);
        inbox.next(unconfirmed);
        String confirmed = app.newUser("confirmed").email();
        app.gatehouse.users().patchUser(app.gatehouse.users().findUserByEmail(confirmed).orElseThrow().id(),
                dev.gatehouse.user.UserPatch.builder().confirmedAt(app.t.clock.instant()).build());
        String unknown = TestApp.email("unknown");

        Map<String, HttpClientSession.Reply> json = new LinkedHashMap<>();
        Map<String, String> pages = new LinkedHashMap<>();
        for (String email : new String[] {unconfirmed, confirmed, unknown}) {
            HttpClientSession client = app.client();
            String csrf = client.getJson("/confirm").json().path("response").path("csrf_token").asText();
            json.put(email, client.postJson("/confirm", Map.of("email", email), "X-CSRFToken", csrf));
        }
        app.t.clock.advance(Duration.ofMinutes(4));
        for (String email : new String[] {unconfirmed, confirmed, unknown}) {
            HttpClientSession browser = app.client();
            String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/confirm").body());
            HttpClientSession.Reply sent = browser.postForm("/confirm", Map.of("email", email, "csrf_token", csrf));
            assertThat(sent.status()).isEqualTo(302);
            pages.put(email, HttpClientSession.withoutCsrfTokens(browser.follow(sent).body()));
        }

        assertThat(json.values()).extracting(HttpClientSession.Reply::status).containsOnly(200);
        assertThat(json.values()).extracting(HttpClientSession.Reply::body).containsOnly("{\"meta\":{\"code\":200},\"response\":{}}");
        assertThat(pages.values()).containsOnly(pages.get(unknown));
        assertThat(pages.get(unknown)).contains("If that email address belongs to an account, you will receive an email");
        assertThat(inbox.next(unconfirmed).subject()).isEqualTo("Please confirm your email");
        assertThat(inbox.next(confirmed).subject()).isEqualTo("Your email is already confirmed");
        assertThat(inbox.next(unknown).subject()).isEqualTo("About your request");
        assertThat(inbox.next(unknown).text()).contains("a confirmation link").contains("no account");
    }

    @Test
    void registration_and_new_links_are_rate_limited_with_429_and_retry_after() {
        HttpClientSession client = app.client();
        for (int i = 0; i < 6; i++) {
            assertThat(registerJson(client, TestApp.email("limit")).status()).isEqualTo(200);
        }
        HttpClientSession.Reply limited = registerJson(client, TestApp.email("limit"));
        HttpClientSession browser = app.client();
        HttpClientSession.Reply limitedForm = browser.postForm("/register",
                form(TestApp.email("limit"), LoginApiTest.hiddenCsrfToken(browser.get("/register").body())));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.errors().get(0)).startsWith("Too many attempts. Please wait ");
        assertThat(limitedForm.status()).isEqualTo(429);
        assertThat(limitedForm.header("Retry-After")).isNotNull();
        assertThat(limitedForm.body()).contains("Too many attempts.").contains("<form method=\"post\" action=\"/register\">");

        // One new link per address every three minutes.
        String email = TestApp.email("resend");
        String csrf = client.getJson("/confirm").json().path("response").path("csrf_token").asText();
        assertThat(client.postJson("/confirm", Map.of("email", email), "X-CSRFToken", csrf).status()).isEqualTo(200);
        HttpClientSession.Reply second = client.postJson("/confirm", Map.of("email", email), "X-CSRFToken", csrf);
        assertThat(second.status()).isEqualTo(429);
        assertThat(Long.parseLong(second.header("Retry-After"))).isBetween(1L, 180L);
    }

    @Test
    void a_form_without_its_csrf_token_is_refused_and_bad_input_is_a_400_not_a_500() {
        HttpClientSession client = app.client();
        client.getJson("/register");

        HttpClientSession.Reply noToken = client.postJson("/register", Map.of("email", TestApp.email("csrf"), "password", PASSWORD));
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        HttpClientSession.Reply notJson = client.postRaw("/register", "application/json", "[1, 2", "X-CSRFToken", csrf,
                "Accept", "application/json");
        HttpClientSession.Reply badEmail = client.postJson("/confirm", Map.of("email", "no at sign"), "X-CSRFToken", csrf);

        assertThat(noToken.status()).isEqualTo(400);
        assertThat(noToken.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.fieldErrors("email")).containsExactly("Invalid email address");
    }

    @Test
    void with_auto_login_after_confirm_the_link_signs_the_user_in() {
        try (TestApp auto = TestApp.withMail(SMTP, c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(AUTO_LOGIN_AFTER_CONFIRM, true))) {
            HttpClientSession browser = auto.client();
            String email = TestApp.email("auto");
            String csrf = browser.getJson("/register").json().path("response").path("csrf_token").asText();
            browser.postJson("/register", Map.of("email", email, "password", PASSWORD), "X-CSRFToken", csrf);

            String link = inbox.next(email).link("/confirm");
            // Issue 10, login CSRF: following the link shows a page; only its button (with this browser's CSRF token) signs in.
            HttpClientSession.Reply page = browser.get(link);
            assertThat(page.status()).isEqualTo(200);
            assertThat(browser.get("/public").body()).isEqualTo("anonymous");
            assertThat(browser.postForm(link, Map.of("csrf_token", "forged")).status()).isEqualTo(400);
            assertThat(browser.get("/public").body()).isEqualTo("anonymous");

            HttpClientSession.Reply confirmed = browser.postForm(link,
                    Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));

            assertThat(confirmed.header("Location")).isEqualTo("/");
            assertThat(browser.get("/public").body()).isEqualTo("user " + email);
        }
    }
}
