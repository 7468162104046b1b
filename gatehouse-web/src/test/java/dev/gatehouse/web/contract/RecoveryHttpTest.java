package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_RESET;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forgotten passwords through a real server and a real SMTP server: the reset link from the
 * received mail, followed through the server, shows the form only while it is valid; a reset ends
 * every session and token and signs nobody in (unless configured, and never past a second factor).
 */
@HttpContract
class RecoveryHttpTest {

    private static final String NEW_PASSWORD = "an entirely new passphrase";
    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(RECOVERABLE, true).set(RATE_LIMITS_ENABLED, true));
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

    /** Asks for a reset link by form, as a browser does; returns the page shown afterwards. */
    private static String forgot(HttpClientSession browser, String email) {
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/reset").body());
        HttpClientSession.Reply asked = browser.postForm("/reset", Map.of("email", email, "csrf_token", csrf));
        assertThat(asked.status()).isEqualTo(302);
        assertThat(asked.header("Location")).isEqualTo("/reset");
        return browser.follow(asked).body();
    }

    private static HttpClientSession.Reply forgotJson(HttpClientSession client, String email) {
        String csrf = client.getJson("/reset").json().path("response").path("csrf_token").asText();
        return client.postJson("/reset", Map.of("email", email), "X-CSRFToken", csrf);
    }

    private static Map<String, String> newPassword(String csrf, String password, String confirm) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("password", password);
        form.put("password_confirm", confirm);
        form.put("csrf_token", csrf);
        return form;
    }

    @Test
    void the_emailed_link_resets_the_password_ends_every_session_and_token_and_signs_nobody_in() {
        User user = app.newUser("reset");
        HttpClientSession elsewhere = app.signedIn(user);
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        HttpClientSession browser = app.client();

        assertThat(forgot(browser, user.email())).contains("If that email address belongs to an account, you will receive"
                + " an email describing how to reset your password.");
        Inbox.Mail instructions = inbox.next(user.email());
        assertThat(instructions.subject()).isEqualTo("Password reset instructions");
        assertThat(instructions.text()).contains("within 1 hour");
        String link = instructions.link("/reset");
        HttpClientSession.Reply form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"" + link + "\">")
                .contains("Choose a new password for " + user.email() + ".").contains("autocomplete=\"new-password\"");

        HttpClientSession.Reply reset = browser.postForm(link,
                newPassword(LoginApiTest.hiddenCsrfToken(form.body()), NEW_PASSWORD, NEW_PASSWORD));

        assertThat(reset.status()).isEqualTo(302);
        assertThat(reset.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(reset).body()).contains("You successfully reset your password. Please sign in with your new password.");
        assertThat(browser.get("/public").body()).as("nobody signed in").isEqualTo("anonymous");
        assertThat(elsewhere.getJson("/api/me").status()).as("other sessions ended").isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).as("tokens dead").isEqualTo(401);
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
        assertThat(app.client().login(user.email(), NEW_PASSWORD).status()).isEqualTo(200);
        assertThat(inbox.next(user.email()).subject()).isEqualTo("Your password has been reset");

        HttpClientSession.Reply reused = browser.get(link);
        assertThat(reused.header("Location")).isEqualTo("/reset");
        assertThat(browser.follow(reused).body()).contains("Invalid reset password token.");
        HttpClientSession.Reply reusedPost = browser.postForm(link, newPassword(
                LoginApiTest.hiddenCsrfToken(browser.get("/reset").body()), "yet another passphrase", "yet another passphrase"));
        assertThat(reusedPost.header("Location")).isEqualTo("/reset");
        assertThat(app.client().login(user.email(), NEW_PASSWORD).status()).as("the used link changed nothing").isEqualTo(200);
    }

    @Test
    void without_generic_responses_the_form_names_the_address_and_refuses_an_unknown_one_keeping_what_was_typed() {
        try (TestApp specific = TestApp.withMail(SMTP, c -> c.set(RECOVERABLE, true).set(RETURN_GENERIC_RESPONSES, false))) {
            User user = specific.newUser("named-reset");
            HttpClientSession browser = specific.client();

            assertThat(forgot(browser, user.email())).contains("Instructions to reset your password have been sent to "
                    + user.email() + ".");
            assertThat(inbox.next(user.email()).subject()).isEqualTo("Password reset instructions");

            String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/reset").body());
            HttpClientSession.Reply unknown = browser.postForm("/reset", Map.of("email", "nobody@example.com", "csrf_token", csrf));
            assertThat(unknown.status()).as("the form again, as Flask-Security renders it").isEqualTo(200);
            assertThat(unknown.body()).contains("Specified user does not exist").contains("value=\"nobody@example.com\"");
            HttpClientSession.Reply unknownJson = forgotJson(specific.client(), "nobody@example.com");
            assertThat(unknownJson.status()).isEqualTo(400);
            assertThat(unknownJson.json().path("response").path("field_errors").path("email").get(0).asText())
                    .isEqualTo("Specified user does not exist");
        }
    }

    @Test
    void json_clients_reset_with_the_token_and_may_leave_out_the_retyped_password() {
        User user = app.newUser("json-reset");
        HttpClientSession client = app.client();

        HttpClientSession.Reply asked = forgotJson(client, user.email());
        String link = inbox.next(user.email()).link("/reset");
        HttpClientSession.Reply check = client.getJson(link);
        HttpClientSession.Reply reset = client.postJson(link, Map.of("password", NEW_PASSWORD),
                "X-CSRFToken", check.json().path("response").path("csrf_token").asText());

        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.json().path("response").size()).isZero();
        assertThat(check.status()).isEqualTo(200);
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.json().path("response").has("user")).as("nobody signed in").isFalse();
        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
        assertThat(app.client().login(user.email(), NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void a_reset_deletes_the_other_session_records_at_once_not_only_when_they_are_next_used() {
        User user = app.newUser("reset-records");
        app.signedIn(user);
        app.signedIn(user, Map.of("remember", true));
        assertThat(app.gatehouse.sessions().list(user.id())).hasSize(2);
        HttpClientSession client = app.client();
        forgotJson(client, user.email());
        String link = inbox.next(user.email()).link("/reset");
        String csrf = client.getJson(link).json().path("response").path("csrf_token").asText();

        assertThat(client.postJson(link, Map.of("password", NEW_PASSWORD), "X-CSRFToken", csrf).status()).isEqualTo(200);

        // Nothing has used the old sessions since: a record left behind would show in a session list.
        assertThat(app.gatehouse.sessions().list(user.id())).as("sessions listed").isEmpty();
        assertThat(app.gatehouse.sessions().store().listForUser(user.id())).as("records of any kind").isEmpty();
    }

    @Test
    void a_refused_password_is_shown_on_the_form_and_leaves_the_link_usable() {
        User user = app.newUser("refused");
        HttpClientSession browser = app.client();
        forgot(browser, user.email());
        String link = inbox.next(user.email()).link("/reset");
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get(link).body());

        HttpClientSession.Reply tooShort = browser.postForm(link, newPassword(csrf, "short", "short"));
        HttpClientSession.Reply mismatch = browser.postForm(link, newPassword(csrf, NEW_PASSWORD, "something else"));
        HttpClientSession.Reply json = browser.postJson(link, Map.of("password", "short"), "X-CSRFToken", csrf);

        assertThat(tooShort.status()).isEqualTo(200);
        assertThat(tooShort.body()).contains("<p class=\"gh-error\" id=\"password-error\">Password must be at least 8 characters.</p>")
                .contains("action=\"" + link + "\"").doesNotContain("value=\"short\"");
        assertThat(mismatch.body()).contains("id=\"password_confirm-error\">The passwords do not match.");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.fieldErrors("password")).containsExactly("Password must be at least 8 characters.");
        HttpClientSession.Reply done = browser.postForm(link, newPassword(csrf, NEW_PASSWORD, NEW_PASSWORD));
        assertThat(done.header("Location")).isEqualTo("/login");
    }

    @Test
    void tampered_links_are_refused_and_an_expired_one_mails_a_new_one() {
        User user = app.newUser("expired");
        forgotJson(app.client(), user.email());
        String link = inbox.next(user.email()).link("/reset");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply tampered = browser.get(link + "x");
        assertThat(tampered.header("Location")).isEqualTo("/reset");
        assertThat(browser.follow(tampered).body()).contains("Invalid reset password token.");
        assertThat(app.client().getJson("/reset/garbage").fieldErrors("token")).containsExactly("Invalid reset password token.");

        app.t.clock.advance(Duration.ofMinutes(61));
        HttpClientSession.Reply expired = browser.get(link);
        assertThat(expired.header("Location")).isEqualTo("/reset");
        assertThat(browser.follow(expired).body()).contains("This reset link was valid for 1 hour only.");
        HttpClientSession api = app.client();
        HttpClientSession.Reply expiredPost = api.postJson(link, Map.of("password", NEW_PASSWORD), "X-CSRFToken", api.csrfToken());
        assertThat(expiredPost.status()).isEqualTo(400);
        assertThat(expiredPost.fieldErrors("token")).containsExactly("This reset link was valid for 1 hour only."
                + " Check your email for a newer one, or ask for a new one here.");
        assertThat(app.client().login(user.email(), NEW_PASSWORD).status()).as("nothing changed").isEqualTo(400);

        Inbox.Mail fresh = inbox.next(user.email());
        assertThat(fresh.subject()).isEqualTo("Password reset instructions");
        assertThat(browser.get(fresh.link("/reset")).status()).isEqualTo(200);
    }

    @Test
    void an_unknown_address_gets_the_same_status_and_body_and_one_email_as_well() {
        User user = app.newUser("known");
        String unknown = TestApp.email("unknown");

        HttpClientSession.Reply forKnown = forgotJson(app.client(), user.email());
        HttpClientSession.Reply forUnknown = forgotJson(app.client(), unknown);
        String knownPage = HttpClientSession.withoutCsrfTokens(forgot(app.client(), user.email()));
        String unknownPage = HttpClientSession.withoutCsrfTokens(forgot(app.client(), unknown));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(200);
        assertThat(forKnown.body()).isEqualTo(forUnknown.body());
        assertThat(knownPage).isEqualTo(unknownPage);
        assertThat(List.of(inbox.next(user.email()).subject(), inbox.next(user.email()).subject()))
                .containsOnly("Password reset instructions");
        Inbox.Mail stranger = inbox.next(unknown);
        assertThat(stranger.subject()).isEqualTo("About your request");
        assertThat(stranger.text()).contains("a password reset link").contains("there is no account");
        assertThat(inbox.next(unknown).subject()).isEqualTo("About your request");
    }

    @Test
    void requests_are_rate_limited_per_address_with_429_and_retry_after() {
        String email = app.newUser("limited").email();
        for (int i = 0; i < 5; i++) {
            assertThat(forgotJson(app.client(), email).status()).isEqualTo(200);
        }

        HttpClientSession.Reply limited = forgotJson(app.client(), email);
        HttpClientSession browser = app.client();
        HttpClientSession.Reply limitedForm = browser.postForm("/reset", Map.of("email", email,
                "csrf_token", LoginApiTest.hiddenCsrfToken(browser.get("/reset").body())));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limitedForm.status()).isEqualTo(429);
        assertThat(limitedForm.body()).contains("Too many attempts.").contains("value=\"" + email + "\"");
        assertThat(forgotJson(app.client(), TestApp.email("other")).status()).as("another address is not limited").isEqualTo(200);
    }

    @Test
    void signed_in_users_are_sent_on_and_json_ones_refused() {
        HttpClientSession signedIn = app.signedIn(app.newUser("signed-in"));

        assertThat(signedIn.get("/reset").header("Location")).isEqualTo("/");
        assertThat(signedIn.postJson("/reset", Map.of("email", "x@example.com"), "X-CSRFToken", signedIn.csrfToken())
                .errors()).containsExactly("You can only access this endpoint when not logged in.");
    }

    @Test
    void auto_login_after_reset_signs_in_but_never_past_a_second_factor() {
        try (TestApp auto = TestApp.withMail(SMTP, c -> c.set(RECOVERABLE, true).set(AUTO_LOGIN_AFTER_RESET, true));
             TestApp guarded = TestApp.withMail(SMTP, c -> c.set(RECOVERABLE, true).set(AUTO_LOGIN_AFTER_RESET, true), o -> { },
                     parts -> parts.secondFactors(user -> true))) {
            for (TestApp server : List.of(auto, guarded)) {
                User user = server.newUser("auto");
                HttpClientSession browser = server.client();
                forgot(browser, user.email());
                String link = inbox.next(user.email()).link("/reset");
                String csrf = LoginApiTest.hiddenCsrfToken(browser.get(link).body());

                HttpClientSession.Reply reset = browser.postForm(link, newPassword(csrf, NEW_PASSWORD, NEW_PASSWORD));

                if (server == auto) {
                    assertThat(reset.header("Location")).isEqualTo("/");
                    assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
                } else {
                    assertThat(reset.header("Location")).isEqualTo("/login");
                    assertThat(browser.get("/public").body()).isEqualTo("anonymous");
                }
            }
        }
    }
}
