package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_ENABLED_METHODS;
import static dev.gatehouse.web.contract.TwoFactorSetupHttpTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /us-setup}, {@code /us-signin} with the methods set up there, and {@code /us-verify},
 * through a real server with Flask-Security's JSON: the authenticator and SMS added (each proved
 * by a code first) and removed, sign-in with an authenticator code, a texted code or the password,
 * and re-authentication with a code refreshing freshness.
 */
@HttpContract
class UnifiedSetupHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static final AuthenticatorApp.Phone PHONE = new AuthenticatorApp.Phone();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(UNIFIED_SIGNIN, true).set(FRESHNESS, Duration.ofMinutes(5))
                .set(US_ENABLED_METHODS, List.of(FactorMethod.EMAIL, FactorMethod.AUTHENTICATOR, FactorMethod.SMS)),
                options -> { }, parts -> parts.smsSender(PHONE));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    @BeforeEach
    void nextTotpStep() {
        app.t.clock.advance(Duration.ofSeconds(31));
    }

    private static HttpClientSession.Reply post(HttpClientSession client, String path, Map<String, ?> body) {
        return client.postJson(path, body, "X-CSRF-Token", client.csrfToken());
    }

    /** Adds the authenticator for the signed-in client; the key. */
    private static String addAuthenticator(HttpClientSession client) {
        HttpClientSession.Reply started = post(client, "/us-setup", Map.of("chosen_method", "authenticator"));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        JsonNode response = started.json().path("response");
        String key = response.path("authr_key").asText();
        UsedSecrets.add(key);
        HttpClientSession.Reply done = post(client, "/us-setup/" + response.path("state").asText(),
                Map.of("passcode", AuthenticatorApp.code(key, app.t.clock.instant())));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("response").path("chosen_method").asText()).isEqualTo("authenticator");
        return key;
    }

    /** Posts the identity and passcode to /us-signin as an SPA does. */
    private static HttpClientSession.Reply usSignIn(HttpClientSession client, String identity, String passcode) {
        String csrf = client.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        return client.postJson("/us-signin", Map.of("identity", identity, "passcode", passcode), "X-CSRFToken", csrf);
    }

    @Test
    void get_us_setup_lists_the_available_active_and_addable_methods() {
        HttpClientSession client = app.signedIn(app.newUser("state"));

        JsonNode response = client.getJson("/us-setup").json().path("response");

        assertThat(texts(response.path("available_methods"))).containsExactly("password", "email", "authenticator", "sms");
        assertThat(texts(response.path("active_methods"))).containsExactly("password", "email");
        assertThat(texts(response.path("setup_methods"))).containsExactly("authenticator", "sms");
        assertThat(texts(response.path("identity_attributes"))).containsExactly("email");
    }

    @Test
    void the_authenticator_added_at_us_setup_signs_in_at_us_signin_with_its_code_and_the_notice_is_mailed() {
        User user = app.newUser("authr");
        HttpClientSession client = app.signedIn(user);
        String key = addAuthenticator(client);
        assertThat(texts(client.getJson("/us-setup").json().path("response").path("active_methods")))
                .containsExactly("password", "email", "authenticator");
        assertThat(inbox.next(user.email()).subject()).isEqualTo("Your sign-in methods changed");
        app.t.clock.advance(Duration.ofSeconds(30));

        HttpClientSession fresh = app.client();
        HttpClientSession.Reply signedIn = usSignIn(fresh, user.email(), AuthenticatorApp.code(key, app.t.clock.instant()));

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.json().path("response").path("user").isObject()).isTrue();
        assertThat(fresh.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
    }

    @Test
    void us_signin_takes_the_password_too_and_refuses_wrong_codes_and_unknown_accounts_alike() {
        User user = app.newUser("password");
        HttpClientSession client = app.signedIn(user);
        String key = addAuthenticator(client);
        app.t.clock.advance(Duration.ofSeconds(30));
        String right = AuthenticatorApp.code(key, app.t.clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";

        HttpClientSession.Reply wrongCode = usSignIn(app.client(), user.email(), wrong);
        HttpClientSession.Reply unknown = usSignIn(app.client(), "nobody-" + user.id() + "@example.com", right);
        HttpClientSession.Reply password = usSignIn(app.client(), user.email(), TestApp.PASSWORD);

        assertThat(wrongCode.status()).isEqualTo(400);
        assertThat(wrongCode.fieldErrors("passcode")).containsExactly("Password or code submitted is not valid");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.fieldErrors("passcode")).isEqualTo(wrongCode.fieldErrors("passcode"));
        assertThat(password.status()).as(password.body()).isEqualTo(200);
    }

    @Test
    void a_replayed_authenticator_code_does_not_sign_in_twice() {
        User user = app.newUser("replay");
        String key = addAuthenticator(app.signedIn(user));
        app.t.clock.advance(Duration.ofSeconds(30));
        String code = AuthenticatorApp.code(key, app.t.clock.instant());

        assertThat(usSignIn(app.client(), user.email(), code).status()).isEqualTo(200);
        assertThat(usSignIn(app.client(), user.email(), code).status()).isEqualTo(400);
    }

    @Test
    void sms_is_added_with_a_texted_code_and_then_signs_in_with_a_new_one() {
        User user = app.newUser("sms");
        HttpClientSession client = app.signedIn(user);
        String number = "+4917012345" + (100 + user.id() % 900);

        HttpClientSession.Reply started = post(client, "/us-setup", Map.of("chosen_method", "sms", "phone", number));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().path("response").path("phone").asText()).isEqualTo(number);
        HttpClientSession.Reply done = post(client, "/us-setup/" + started.json().path("response").path("state").asText(),
                Map.of("passcode", PHONE.last(number).code()));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(app.gatehouse.twoFactor().signInMethods(user)).contains(FactorMethod.SMS);

        HttpClientSession visitor = app.client();
        String csrf = visitor.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        HttpClientSession.Reply sent = visitor.postJson("/us-signin/send-code",
                Map.of("identity", user.email(), "chosen_method", "sms"), "X-CSRFToken", csrf);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        HttpClientSession.Reply signedIn = visitor.postJson("/us-signin", Map.of("passcode", PHONE.last(number).code()),
                "X-CSRFToken", csrf);

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(visitor.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
    }

    @Test
    void an_sms_code_for_an_account_without_sms_answers_alike_and_never_signs_in() {
        User user = app.newUser("no-sms");
        HttpClientSession visitor = app.client();
        String csrf = visitor.getJson("/us-signin").json().path("response").path("csrf_token").asText();

        HttpClientSession.Reply sent = visitor.postJson("/us-signin/send-code",
                Map.of("identity", user.email(), "chosen_method", "sms"), "X-CSRFToken", csrf);
        HttpClientSession.Reply guess = visitor.postJson("/us-signin", Map.of("passcode", "123456"), "X-CSRFToken", csrf);

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.setCookies()).isNotEmpty();
        assertThat(guess.status()).isEqualTo(400);
    }

    @Test
    void a_method_is_removed_with_delete_method_and_then_no_longer_signs_in() {
        User user = app.newUser("delete");
        HttpClientSession client = app.signedIn(user);
        String key = addAuthenticator(client);

        HttpClientSession.Reply deleted = post(client, "/us-setup", Map.of("delete_method", List.of("authenticator")));
        HttpClientSession.Reply again = post(client, "/us-setup", Map.of("delete_method", List.of("authenticator")));
        app.t.clock.advance(Duration.ofSeconds(30));

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(app.gatehouse.twoFactor().signInMethods(user)).doesNotContain(FactorMethod.AUTHENTICATOR);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.fieldErrors("delete_method")).containsExactly("Requested method is not valid");
        assertThat(usSignIn(app.client(), user.email(), AuthenticatorApp.code(key, app.t.clock.instant())).status()).isEqualTo(400);
    }

    @Test
    void us_setup_demands_a_fresh_sign_in_and_refuses_methods_not_enabled() {
        HttpClientSession client = app.signedIn(app.newUser("stale"));

        HttpClientSession.Reply unknown = post(client, "/us-setup", Map.of("chosen_method", "password"));
        app.t.clock.advance(Duration.ofMinutes(6));
        HttpClientSession.Reply stale = post(client, "/us-setup", Map.of("chosen_method", "authenticator"));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.fieldErrors("chosen_method")).containsExactly("Requested method is not valid");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(client.getJson("/us-setup").status()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ /us-verify

    @Test
    void us_verify_with_an_authenticator_code_makes_the_sign_in_fresh_again() {
        User user = app.newUser("verify-authr");
        HttpClientSession client = app.signedIn(user);
        String key = addAuthenticator(client);
        app.t.clock.advance(Duration.ofMinutes(6));
        assertThat(client.getJson("/fresh").status()).isEqualTo(401);
        String right = AuthenticatorApp.code(key, app.t.clock.instant());

        HttpClientSession.Reply wrong = post(client, "/us-verify", Map.of("passcode", right.equals("000000") ? "111111" : "000000"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.fieldErrors("passcode")).containsExactly("Password or code submitted is not valid");
        assertThat(client.getJson("/fresh").status()).isEqualTo(401);
        app.t.clock.advance(Duration.ofSeconds(30));
        HttpClientSession.Reply verified = post(client, "/us-verify",
                Map.of("passcode", AuthenticatorApp.code(key, app.t.clock.instant())));

        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(client.getJson("/fresh").status()).isEqualTo(200);
    }

    @Test
    void us_verify_with_an_emailed_code_or_the_password_makes_the_sign_in_fresh_again() {
        User user = app.newUser("verify-email");
        HttpClientSession client = app.signedIn(user);
        app.t.clock.advance(Duration.ofMinutes(6));
        JsonNode page = client.getJson("/us-verify").json().path("response");
        assertThat(texts(page.path("code_methods"))).containsExactly("email");

        HttpClientSession.Reply sent = post(client, "/us-verify/send-code", Map.of("chosen_method", "email"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String code = inbox.next(user.email()).code();
        UsedSecrets.add(code);
        HttpClientSession.Reply verified = post(client, "/us-verify", Map.of("passcode", code));

        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(client.getJson("/fresh").status()).isEqualTo(200);
        app.t.clock.advance(Duration.ofMinutes(6));
        assertThat(post(client, "/us-verify", Map.of("passcode", TestApp.PASSWORD)).status()).isEqualTo(200);
        assertThat(client.getJson("/fresh").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ pages

    @Test
    void the_pages_render_and_a_browser_adds_the_authenticator_through_them() {
        User user = app.newUser("pages");
        HttpClientSession browser = app.signedIn(user);

        HttpClientSession.Reply setup = browser.get("/us-setup");
        assertThat(setup.status()).isEqualTo(200);
        assertThat(setup.body()).contains("<h1>Ways to sign in</h1>").contains("value=\"authenticator\"")
                .contains("href=\"/us-setup\"");
        HttpClientSession.Reply qr = browser.postForm("/us-setup", Map.of("chosen_method", "authenticator",
                "csrf_token", LoginApiTest.hiddenCsrfToken(setup.body())));
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.body()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("<code class=\"gh-secret\">([A-Z2-7]+)</code>")
                .matcher(qr.body());
        assertThat(key.find()).isTrue();
        UsedSecrets.add(key.group(1));
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"(/us-setup/[^\"]+)\"").matcher(qr.body());
        assertThat(action.find()).isTrue();
        HttpClientSession.Reply done = browser.postForm(action.group(1), Map.of("passcode",
                AuthenticatorApp.code(key.group(1), app.t.clock.instant()), "csrf_token", LoginApiTest.hiddenCsrfToken(qr.body())));
        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(browser.get("/us-setup").body()).contains("Unified sign in setup successful").contains("Authenticator app");

        HttpClientSession.Reply verify = browser.get("/us-verify", "Accept-Language", "de");
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body()).contains("name=\"passcode\"").contains("Code senden: Code per E-Mail");
    }
}
