package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_REQUIRED;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SETUP_WITHIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /tf-setup} and {@code /mf-recovery-codes} through a real server, with Flask-Security's
 * JSON: each method set up end to end (the TOTP computed here from the key the server returned, the
 * email code from the mailbox, the SMS code from a test phone), wrong codes refused, freshness
 * demanded, the notice mailed, the client kept signed in while other sign-ins end; recovery codes
 * shown once and replaced as a set; the pages.
 */
@HttpContract
class TwoFactorSetupHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static final AuthenticatorApp.Phone PHONE = new AuthenticatorApp.Phone();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(TWO_FACTOR, true)
                .set(TWO_FACTOR_ENABLED_METHODS, List.of(FactorMethod.AUTHENTICATOR, FactorMethod.EMAIL, FactorMethod.SMS))
                .set(MULTI_FACTOR_RECOVERY_CODES, true).set(FRESHNESS, Duration.ofMinutes(5))
                .set(TWO_FACTOR_SETUP_WITHIN, Duration.ofMinutes(4)),
                options -> { }, parts -> parts.smsSender(PHONE));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    @BeforeEach
    void nextTotpStep() {
        // Every test starts in a TOTP step of its own, so no code is a replay of another test's.
        app.t.clock.advance(Duration.ofSeconds(31));
    }

    private static String csrf(HttpClientSession client) {
        return client.csrfToken();
    }

    private static HttpClientSession.Reply post(HttpClientSession client, String path, Map<String, ?> body) {
        return client.postJson(path, body, "X-CSRF-Token", csrf(client));
    }

    /** Sets up the authenticator app for the signed-in client; the key. */
    static String setUpAuthenticator(TestApp app, HttpClientSession client) {
        HttpClientSession.Reply started = client.postJson("/tf-setup", Map.of("setup", "authenticator"),
                "X-CSRF-Token", client.csrfToken());
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        String key = started.json().path("response").path("tf_authr_key").asText();
        String token = started.json().path("response").path("tf_state_token").asText();
        UsedSecrets.add(key);
        HttpClientSession.Reply done = client.postJson("/tf-setup/" + token,
                Map.of("code", AuthenticatorApp.code(key, app.t.clock.instant())), "X-CSRF-Token", client.csrfToken());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        return key;
    }

    // ------------------------------------------------------------------ authenticator

    @Test
    void get_tf_setup_tells_a_json_client_its_state_and_choices() {
        User user = app.newUser("state");
        HttpClientSession client = app.signedIn(user);

        HttpClientSession.Reply reply = client.getJson("/tf-setup");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode response = reply.json().path("response");
        assertThat(response.path("tf_required").asBoolean(true)).isFalse();
        assertThat(response.path("tf_primary_method").isNull()).isTrue();
        assertThat(response.path("tf_phone_number").isNull()).isTrue();
        assertThat(texts(response.path("tf_available_methods"))).containsExactly("authenticator", "email", "sms");
    }

    @Test
    void the_authenticator_is_set_up_with_the_key_and_a_code_of_it_and_other_sign_ins_end() {
        User user = app.newUser("authr");
        HttpClientSession client = app.signedIn(user);
        HttpClientSession elsewhere = app.signedIn(user);

        HttpClientSession.Reply started = post(client, "/tf-setup", Map.of("setup", "authenticator"));

        assertThat(started.status()).as(started.body()).isEqualTo(200);
        JsonNode response = started.json().path("response");
        assertThat(response.path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(response.path("tf_authr_username").asText()).isEqualTo(user.email());
        assertThat(response.path("tf_authr_issuer").asText()).isNotEmpty();
        String key = response.path("tf_authr_key").asText();
        UsedSecrets.add(key);
        assertThat(key).matches("[A-Z2-7]{32}");
        assertThat(response.path("tf_authr_uri").asText()).startsWith("otpauth://totp/").contains("secret=" + key);
        String token = response.path("tf_state_token").asText();
        assertThat(token).doesNotContain(key);
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).as("nothing stored before a code proved it").isEmpty();

        HttpClientSession.Reply done = post(client, "/tf-setup/" + token,
                Map.of("code", AuthenticatorApp.code(key, app.t.clock.instant())));

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.AUTHENTICATOR);
        assertThat(client.getJson("/api/me").status()).as("this client continues, with a new session").isEqualTo(200);
        assertThat(elsewhere.getJson("/api/me").status()).as("one-factor sessions elsewhere ended").isEqualTo(401);
        assertThat(client.getJson("/tf-setup").json().path("response").path("tf_primary_method").asText())
                .isEqualTo("authenticator");
        assertThat(inbox.next(user.email()).subject()).isEqualTo("Two-factor authentication changed");
    }

    @Test
    void a_wrong_code_is_refused_on_the_code_field_and_nothing_is_enabled() {
        User user = app.newUser("wrong");
        HttpClientSession client = app.signedIn(user);
        JsonNode started = post(client, "/tf-setup", Map.of("setup", "authenticator")).json().path("response");
        String key = started.path("tf_authr_key").asText();
        String right = AuthenticatorApp.code(key, app.t.clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";

        HttpClientSession.Reply refused = post(client, "/tf-setup/" + started.path("tf_state_token").asText(),
                Map.of("code", wrong));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.fieldErrors("code")).containsExactly("Invalid code");
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).isEmpty();
        assertThat(client.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void a_state_token_works_only_for_its_user_and_unaltered() {
        User owner = app.newUser("owner");
        HttpClientSession client = app.signedIn(owner);
        JsonNode started = post(client, "/tf-setup", Map.of("setup", "authenticator")).json().path("response");
        String token = started.path("tf_state_token").asText();
        String code = AuthenticatorApp.code(started.path("tf_authr_key").asText(), app.t.clock.instant());
        User other = app.newUser("other");
        HttpClientSession stranger = app.signedIn(other);

        HttpClientSession.Reply foreign = post(stranger, "/tf-setup/" + token, Map.of("code", code));
        // A character in the middle: the last one of unpadded base64 may carry only ignored bits.
        int middle = token.length() / 2;
        char flipped = token.charAt(middle) == 'A' ? 'B' : 'A';
        HttpClientSession.Reply altered = post(client, "/tf-setup/" + token.substring(0, middle) + flipped
                + token.substring(middle + 1), Map.of("code", code));

        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.errors()).containsExactly("Input not appropriate for requested API");
        assertThat(altered.status()).isEqualTo(400);
        assertThat(app.gatehouse.twoFactor().primaryMethod(other)).isEmpty();
        assertThat(app.gatehouse.twoFactor().primaryMethod(owner)).isEmpty();
    }

    @Test
    void a_state_older_than_two_factor_setup_within_has_expired() {
        User user = app.newUser("expired");
        HttpClientSession client = app.signedIn(user);
        JsonNode started = post(client, "/tf-setup", Map.of("setup", "authenticator")).json().path("response");
        app.t.clock.advance(Duration.ofMinutes(4));

        HttpClientSession.Reply late = post(client, "/tf-setup/" + started.path("tf_state_token").asText(), Map.of("code",
                AuthenticatorApp.code(started.path("tf_authr_key").asText(), app.t.clock.instant())));

        assertThat(late.status()).isEqualTo(400);
        assertThat(late.errors()).containsExactly("Setup must be completed within 4 minutes. Please start over.");
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).isEmpty();
    }

    @Test
    void setup_and_disable_demand_a_fresh_sign_in() {
        User user = app.newUser("stale");
        HttpClientSession client = app.signedIn(user);
        setUpAuthenticator(app, client);
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply get = client.getJson("/tf-setup");
        HttpClientSession.Reply disable = post(client, "/tf-setup", Map.of("setup", "disable"));
        HttpClientSession.Reply browser = client.get("/tf-setup");

        assertThat(get.status()).isEqualTo(401);
        assertThat(get.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(disable.status()).isEqualTo(401);
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.AUTHENTICATOR);
        assertThat(browser.status()).isEqualTo(302);
        assertThat(browser.header("Location")).startsWith("/verify?next=");

        assertThat(post(client, "/verify", Map.of("password", TestApp.PASSWORD)).status()).isEqualTo(200);
        HttpClientSession.Reply fresh = post(client, "/tf-setup", Map.of("setup", "disable"));
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).isEmpty();
        assertThat(inbox.next(user.email()).subject()).as("enabled").isEqualTo("Two-factor authentication changed");
        assertThat(inbox.next(user.email()).subject()).as("disabled").isEqualTo("Two-factor authentication changed");
    }

    @Test
    void disable_is_offered_only_with_a_method_and_a_method_not_enabled_is_refused() {
        User user = app.newUser("choices");
        HttpClientSession client = app.signedIn(user);

        HttpClientSession.Reply disable = post(client, "/tf-setup", Map.of("setup", "disable"));
        HttpClientSession.Reply unknown = post(client, "/tf-setup", Map.of("setup", "carrier-pigeon"));
        setUpAuthenticator(app, client);
        List<String> afterwards = texts(client.getJson("/tf-setup").json().path("response").path("tf_available_methods"));

        assertThat(disable.status()).isEqualTo(400);
        assertThat(disable.fieldErrors("setup")).containsExactly("Marked method is not valid");
        assertThat(unknown.fieldErrors("setup")).containsExactly("Marked method is not valid");
        assertThat(afterwards).first().isEqualTo("disable");
    }

    @Test
    void a_sign_in_stopped_by_two_factor_required_sets_up_the_factor_and_finishes_there() {
        try (TestApp required = new TestApp(c -> c.set(TWO_FACTOR, true).set(TWO_FACTOR_REQUIRED, true))) {
            User user = required.newUser("required");
            HttpClientSession client = required.client();
            HttpClientSession.Reply login = client.login(user.email(), TestApp.PASSWORD);
            assertThat(login.status()).as(login.body()).isEqualTo(200);
            assertThat(login.json().path("response").path("tf_state").asText()).isEqualTo("setup_from_login");
            assertThat(client.getJson("/api/me").status()).as("no session on one factor").isEqualTo(401);

            JsonNode state = client.getJson("/tf-setup").json().path("response");
            assertThat(state.path("tf_required").asBoolean()).isTrue();
            assertThat(texts(state.path("tf_available_methods"))).doesNotContain("disable");
            JsonNode started = post(client, "/tf-setup", Map.of("setup", "authenticator")).json().path("response");
            String key = started.path("tf_authr_key").asText();
            UsedSecrets.add(key);
            HttpClientSession.Reply done = post(client, "/tf-setup/" + started.path("tf_state_token").asText(),
                    Map.of("code", AuthenticatorApp.code(key, required.t.clock.instant())));

            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(done.json().path("response").path("user").isObject()).isTrue();
            assertThat(client.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
            assertThat(required.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.AUTHENTICATOR);
            assertThat(required.client().getJson("/tf-setup").status()).as("no pending sign-in, no session").isEqualTo(401);
        }
    }

    // ------------------------------------------------------------------ email and sms

    @Test
    void email_is_set_up_with_the_code_from_the_mailbox() {
        User user = app.newUser("email");
        HttpClientSession client = app.signedIn(user);

        HttpClientSession.Reply started = post(client, "/tf-setup", Map.of("setup", "email"));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().path("response").has("tf_authr_key")).isFalse();
        String code = inbox.next(user.email()).code();
        UsedSecrets.add(code);
        HttpClientSession.Reply done = post(client, "/tf-setup/" + started.json().path("response").path("tf_state_token")
                .asText(), Map.of("code", code));

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.EMAIL);
        assertThat(inbox.next(user.email()).subject()).as("the notice").isEqualTo("Two-factor authentication changed");
    }

    @Test
    void sms_is_set_up_with_the_code_texted_to_the_new_number() {
        User user = app.newUser("sms");
        HttpClientSession client = app.signedIn(user);
        String number = "+4915112345" + (100 + user.id() % 900);

        HttpClientSession.Reply noPhone = post(client, "/tf-setup", Map.of("setup", "sms"));
        HttpClientSession.Reply started = post(client, "/tf-setup", Map.of("setup", "sms", "phone", number));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        HttpClientSession.Reply done = post(client, "/tf-setup/" + started.json().path("response").path("tf_state_token")
                .asText(), Map.of("code", PHONE.last(number).code()));

        assertThat(noPhone.status()).isEqualTo(400);
        assertThat(noPhone.fieldErrors("phone")).isNotEmpty();
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("response").path("tf_phone").asText()).isEqualTo(number);
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.SMS);
        assertThat(app.gatehouse.twoFactor().phoneNumber(user)).contains(number);
    }

    // ------------------------------------------------------------------ recovery codes

    @Test
    void recovery_codes_are_shown_once_counted_and_replaced_as_a_set() {
        User user = app.newUser("codes");
        HttpClientSession client = app.signedIn(user);
        assertThat(client.getJson("/mf-recovery-codes").json().path("response").path("recovery_codes_left").asInt(-1))
                .isZero();

        HttpClientSession.Reply first = post(client, "/mf-recovery-codes", Map.of());
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        List<String> old = texts(first.json().path("response").path("recovery_codes"));
        old.forEach(UsedSecrets::add);
        assertThat(old).hasSize(10).doesNotHaveDuplicates();
        HttpClientSession.Reply later = client.getJson("/mf-recovery-codes");
        assertThat(later.json().path("response").path("recovery_codes_left").asInt()).isEqualTo(10);
        assertThat(later.json().path("response").has("recovery_codes")).as("never shown again").isFalse();
        assertThat(inbox.next(user.email()).subject()).isEqualTo("New recovery codes");

        List<String> fresh = texts(post(client, "/mf-recovery-codes", Map.of()).json().path("response").path("recovery_codes"));
        fresh.forEach(UsedSecrets::add);
        assertThat(new HashSet<>(fresh)).doesNotContainAnyElementsOf(old);
        assertThat(app.gatehouse.twoFactor().useRecoveryCode(user, old.get(0), ClientInfo.UNKNOWN)).isNotEqualTo(CodeCheck.ACCEPTED);
        assertThat(app.gatehouse.twoFactor().useRecoveryCode(user, fresh.get(0), ClientInfo.UNKNOWN)).isEqualTo(CodeCheck.ACCEPTED);
        assertThat(client.getJson("/mf-recovery-codes").json().path("response").path("recovery_codes_left").asInt()).isEqualTo(9);
        assertThat(inbox.next(user.email()).subject()).isEqualTo("New recovery codes");
    }

    @Test
    void generating_recovery_codes_demands_a_fresh_sign_in_and_a_csrf_token() {
        User user = app.newUser("codes-stale");
        HttpClientSession client = app.signedIn(user);

        HttpClientSession.Reply noCsrf = client.postJson("/mf-recovery-codes", Map.of());
        app.t.clock.advance(Duration.ofMinutes(6));
        HttpClientSession.Reply stale = post(client, "/mf-recovery-codes", Map.of());

        assertThat(noCsrf.status()).isEqualTo(400);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(app.gatehouse.twoFactor().recoveryCodesLeft(user)).isZero();
        assertThat(client.getJson("/mf-recovery-codes").status()).as("the count needs no fresh sign-in").isEqualTo(200);
    }

    // ------------------------------------------------------------------ pages

    @Test
    void the_setup_page_draws_the_qr_code_inline_and_a_form_post_enables_the_method() {
        User user = app.newUser("page");
        HttpClientSession browser = app.signedIn(user);

        HttpClientSession.Reply page = browser.get("/tf-setup");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"setup\"").contains("value=\"authenticator\"").contains("name=\"phone\"");
        HttpClientSession.Reply qr = browser.postForm("/tf-setup",
                Map.of("setup", "authenticator", "csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));

        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.body()).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"").doesNotContain("data:image")
                .doesNotContain("<img");
        assertThat(qr.header("Content-Security-Policy")).contains("default-src 'none'");
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("<code class=\"gh-secret\">([A-Z2-7]+)</code>")
                .matcher(qr.body());
        assertThat(key.find()).as(qr.body()).isTrue();
        UsedSecrets.add(key.group(1));
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"(/tf-setup/[^\"]+)\"").matcher(qr.body());
        assertThat(action.find()).isTrue();

        HttpClientSession.Reply done = browser.postForm(action.group(1), Map.of("code",
                AuthenticatorApp.code(key.group(1), app.t.clock.instant()), "csrf_token", LoginApiTest.hiddenCsrfToken(qr.body())));

        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.header("Location")).isEqualTo("/tf-setup");
        HttpClientSession.Reply after = browser.get("/tf-setup");
        assertThat(after.body()).contains("You successfully changed your two-factor method.").contains("Authenticator app");
        assertThat(app.gatehouse.twoFactor().primaryMethod(user)).contains(FactorMethod.AUTHENTICATOR);
    }

    @Test
    void the_recovery_codes_page_shows_new_codes_once_and_the_account_navigation_links_the_pages() {
        User user = app.newUser("codes-page");
        HttpClientSession browser = app.signedIn(user);

        HttpClientSession.Reply page = browser.get("/mf-recovery-codes");
        HttpClientSession.Reply generated = browser.postForm("/mf-recovery-codes",
                Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));
        HttpClientSession.Reply again = browser.get("/mf-recovery-codes");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("You have 0 unused recovery codes.").contains("href=\"/tf-setup\"")
                .contains("href=\"/mf-recovery-codes\"");
        assertThat(generated.status()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<li><code>([^<]+)</code></li>").matcher(generated.body());
        while (m.find()) {
            codes.add(m.group(1));
            UsedSecrets.add(m.group(1));
        }
        assertThat(codes).hasSize(10);
        assertThat(again.body()).contains("You have 10 unused recovery codes.").doesNotContain(codes.get(0));
        assertThat(inbox.next(user.email()).subject()).isEqualTo("New recovery codes");
    }

    @Test
    void pages_come_in_german_too() {
        HttpClientSession browser = app.signedIn(app.newUser("german"));

        assertThat(browser.get("/tf-setup", "Accept-Language", "de").body()).contains("<h1>Zwei-Faktor-Authentifizierung</h1>");
        assertThat(browser.get("/mf-recovery-codes", "Accept-Language", "fr").body()).contains("<h1>Codes de récupération</h1>");
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
