package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_CONFIRM;
import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_RESET;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_ALWAYS_VALIDATE;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two-step sign-in through a real server: every first factor of a user with a second factor
 * yields Flask-Security's {@code tf_required} and a pending state that grants nothing; only the
 * second step (an authenticator code, an emailed rescue code, a recovery code) makes a session, once.
 * Factors are set up through the core service, as the setup pages would.
 */
@HttpContract
class TwoFactorSignInHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static final String PENDING = "gatehouse_tf_state";
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(TWO_FACTOR, true).set(MULTI_FACTOR_RECOVERY_CODES, true)
                .set(UNIFIED_SIGNIN, true).set(RECOVERABLE, true).set(AUTO_LOGIN_AFTER_RESET, true).set(TRACKABLE, true));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    /** A user with an authenticator app, and the app's base32 key. */
    record TwoFactorUser(User user, String key) {
        String email() {
            return user.email();
        }
    }

    /** Sets up an authenticator app for a new user the way /tf-setup does: a secret, a proven code, enable. */
    static TwoFactorUser withAuthenticator(TestApp app, String name) {
        User user = app.newUser(name);
        TwoFactor twoFactor = app.gatehouse.twoFactor();
        TotpSetup setup = twoFactor.newTotpSecret(user);
        String code = TotpCodes.code(setup.base32Key(), app.t.clock.instant());
        assertThat(twoFactor.verify(user, FactorMethod.AUTHENTICATOR, code, "setup-" + name, Optional.of(setup.sealedSecret()),
                ClientInfo.UNKNOWN)).isEqualTo(CodeCheck.ACCEPTED);
        twoFactor.enable(user, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                EventContext.of(app.t.clock.instant(), user.id(), ClientInfo.UNKNOWN));
        if (app.gatehouse.config().get(MAIL_BACKEND) == MailBackend.SMTP) {
            assertThat(inbox.next(user.email()).text()).as("the notice of the change").doesNotContain(code);
        }
        return new TwoFactorUser(app.gatehouse.users().findUserById(user.id()).orElseThrow(), setup.base32Key());
    }

    /** The app's code a step later than the last one used (a code is accepted once). */
    static String nextCode(TestApp app, String key) {
        app.t.clock.advance(Duration.ofSeconds(30));
        return TotpCodes.code(key, app.t.clock.instant());
    }

    static HttpClientSession.Reply validate(HttpClientSession client, String code) {
        return client.postJson("/tf-validate?include_auth_token", Map.of("code", code), "X-CSRFToken", client.csrfToken());
    }

    /** Asserts a first factor's JSON answer is tf_required and that the client is still nobody. */
    static void assertSecondFactorRequired(HttpClientSession client, HttpClientSession.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("response").path("tf_required").asBoolean()).isTrue();
        assertThat(reply.json().path("response").path("tf_state").asText()).isEqualTo("ready");
        assertThat(reply.json().path("response").path("tf_primary_method").asText()).isEqualTo("authenticator");
        assertThat(reply.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(reply.json().path("response").has("user")).isFalse();
        assertThat(reply.setCookie("gatehouse_session")).as("no session").isNull();
        assertThat(reply.setCookie("gatehouse_remember")).as("no remember-me").isNull();
        assertThat(client.cookie(PENDING)).as("a pending sign-in").isNotNull();
        assertNobody(client);
    }

    static void assertCodeRefused(HttpClientSession.Reply reply, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.fieldErrors("code")).containsExactly(message);
    }

    static void assertNobody(HttpClientSession client) {
        assertThat(client.getJson("/api/me").status()).isEqualTo(401);
        assertThat(client.get("/public").body()).isEqualTo("anonymous");
    }

    // ------------------------------------------------------------------ the two steps

    @Test
    void json_login_answers_tf_required_and_the_authenticator_code_finishes_it_with_a_token() {
        TwoFactorUser tf = withAuthenticator(app, "json-tf");
        HttpClientSession client = app.client();

        HttpClientSession.Reply first = client.login(tf.email(), TestApp.PASSWORD, Map.of("include_auth_token", true));
        assertSecondFactorRequired(client, first);
        assertThat(first.json().path("response").has("authentication_token")).isFalse();
        assertThat(first.setCookie(PENDING)).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                .contains("Max-Age=300");

        HttpClientSession.Reply page = client.getJson("/tf-validate");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(page.json().path("response").path("recovery_options").path("email").asText()).isEqualTo("/tf-rescue");

        HttpClientSession.Reply wrong = validate(client, "000000".equals(TotpCodes.code(tf.key(), app.t.clock.instant()))
                ? "111111" : "000000");
        assertCodeRefused(wrong, "Invalid code.");
        assertNobody(client);

        HttpClientSession.Reply second = validate(client, nextCode(app, tf.key()));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().path("response").has("user")).isTrue();
        String token = second.user().path("authentication_token").asText();
        assertThat(token).isNotEmpty();
        assertThat(client.cookie(PENDING)).as("the pending state is gone").isNull();
        assertThat(client.getJson("/api/me").status()).isEqualTo(200);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(200);
        assertThat(app.gatehouse.users().findUserById(tf.user().id()).orElseThrow().loginCount())
                .as("tracked once, at the second step").isEqualTo(1);
    }

    @Test
    void with_email_as_the_method_the_first_step_sends_the_code_bound_to_this_pending_sign_in() {
        User user = app.newUser("email-tf");
        app.gatehouse.twoFactor().enable(user, FactorMethod.EMAIL, Optional.empty(), Optional.empty(),
                EventContext.of(app.t.clock.instant(), user.id(), ClientInfo.UNKNOWN));
        inbox.next(user.email());
        HttpClientSession other = app.client();
        other.login(user.email(), TestApp.PASSWORD);
        String othersCode = inbox.next(user.email()).code();

        HttpClientSession client = app.client();
        HttpClientSession.Reply first = client.login(user.email(), TestApp.PASSWORD);
        assertThat(first.json().path("response").path("tf_required").asBoolean()).isTrue();
        assertThat(first.json().path("response").path("tf_method").asText()).isEqualTo("email");
        String code = inbox.next(user.email()).code();
        assertNobody(client);
        if (!othersCode.equals(code)) {
            assertCodeRefused(validate(client, othersCode), "Invalid code.");
        }
        assertThat(validate(client, code).status()).isEqualTo(200);
        assertThat(client.getJson("/api/me").status()).isEqualTo(200);
    }

    @Test
    void a_browser_is_sent_to_the_code_page_and_from_there_to_next() {
        TwoFactorUser tf = withAuthenticator(app, "form-tf");
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());

        HttpClientSession.Reply first = browser.postForm("/login?next=/account", Map.of("email", tf.email(),
                "password", TestApp.PASSWORD, "csrf_token", csrf));
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).isEqualTo("/tf-validate");
        assertNobody(browser);

        HttpClientSession.Reply page = browser.follow(first);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/tf-validate\"").contains("autocomplete=\"one-time-code\"")
                .contains("authenticator app").contains("action=\"/tf-rescue\"");
        String pageCsrf = LoginApiTest.hiddenCsrfToken(page.body());
        assertThat(browser.get("/tf-select").body()).contains("action=\"/tf-select\"").contains("name=\"which\"")
                .contains("value=\"authenticator\"").contains("value=\"email\"");
        assertThat(browser.get("/mf-recovery").body()).contains("action=\"/mf-recovery\"").contains("name=\"code\"");
        assertThat(browser.get("/tf-validate", "Accept-Language", "de").body()).contains("Authenticator-App")
                .contains("Anmeldung abschließen");

        HttpClientSession.Reply wrong = browser.postForm("/tf-validate", Map.of("code", "12345", "csrf_token", pageCsrf));
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.body()).contains("Invalid code.");

        HttpClientSession.Reply done = browser.postForm("/tf-validate", Map.of("code", nextCode(app, tf.key()),
                "csrf_token", pageCsrf));
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.header("Location")).isEqualTo("/account");
        assertThat(browser.get("/public").body()).contains(tf.email());
    }

    @Test
    void a_totp_code_is_accepted_once_even_for_another_pending_sign_in() {
        TwoFactorUser tf = withAuthenticator(app, "replay-tf");
        String code = nextCode(app, tf.key());
        HttpClientSession first = app.client();
        first.login(tf.email(), TestApp.PASSWORD);
        assertThat(validate(first, code).status()).isEqualTo(200);

        HttpClientSession attacker = app.client();
        assertSecondFactorRequired(attacker, attacker.login(tf.email(), TestApp.PASSWORD));
        HttpClientSession.Reply replayed = validate(attacker, code);
        assertCodeRefused(replayed, "Invalid code.");
        assertNobody(attacker);
    }

    @Test
    void the_post_needs_the_login_csrf_token() {
        TwoFactorUser tf = withAuthenticator(app, "csrf-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        HttpClientSession.Reply noToken = client.postJson("/tf-validate", Map.of("code", nextCode(app, tf.key())));
        assertThat(noToken.status()).isEqualTo(400);
        assertNobody(client);
    }

    // ------------------------------------------------------------------ the pending state

    @Test
    void without_a_pending_sign_in_the_second_step_is_refused() {
        HttpClientSession client = app.client();
        HttpClientSession.Reply json = client.getJson("/tf-validate");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.errors()).singleElement().asString().contains("waiting for its second factor");
        HttpClientSession.Reply page = client.get("/tf-validate");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/login");
        HttpClientSession forged = app.client();
        forged.putCookie(PENDING, "s1.x.AAAA");
        assertThat(forged.getJson("/tf-validate").status()).isEqualTo(400);
    }

    @Test
    void the_pending_state_grants_nothing_on_any_route() {
        TwoFactorUser tf = withAuthenticator(app, "nothing-tf");
        HttpClientSession client = app.client();
        assertSecondFactorRequired(client, client.login(tf.email(), TestApp.PASSWORD));
        for (String path : List.of("/api/me", "/session-only", "/token-or-session", "/via", "/fresh", "/verify", "/change")) {
            assertThat(client.getJson(path).status()).as(path).isIn(401, 404);
        }
        assertThat(client.getJson("/login").json().path("response").has("user")).isFalse();
        assertThat(client.getJson("/login").json().path("response").has("identity_attributes")).isTrue();
        assertThat(client.postJson("/api/me", Map.of(), "X-CSRFToken", client.csrfToken()).status()).isEqualTo(401);
    }

    @Test
    void the_pending_state_expires() {
        TwoFactorUser tf = withAuthenticator(app, "expiry-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        app.t.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        HttpClientSession.Reply late = validate(client, TotpCodes.code(tf.key(), app.t.clock.instant()));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.errors()).singleElement().asString().contains("waiting for its second factor");
        assertNobody(client);
    }

    @Test
    void the_pending_state_dies_when_the_security_stamp_rotates() {
        TwoFactorUser tf = withAuthenticator(app, "stamp-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        app.gatehouse.users().rotateSecurityStamp(tf.user().id());
        HttpClientSession.Reply refused = validate(client, nextCode(app, tf.key()));
        assertThat(refused.status()).isEqualTo(400);
        assertNobody(client);
    }

    @Test
    void the_pending_state_is_single_use() {
        TwoFactorUser tf = withAuthenticator(app, "once-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        String copied = client.cookie(PENDING);
        assertThat(validate(client, nextCode(app, tf.key())).status()).isEqualTo(200);

        HttpClientSession thief = app.client();
        thief.putCookie(PENDING, copied);
        HttpClientSession.Reply replayed = validate(thief, nextCode(app, tf.key()));
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.errors()).singleElement().asString().contains("waiting for its second factor");
        assertNobody(thief);
    }

    // ------------------------------------------------------------------ other ways through the second step

    @Test
    void a_recovery_code_signs_in_once() {
        TwoFactorUser tf = withAuthenticator(app, "recovery-tf");
        List<String> codes = app.gatehouse.twoFactor().newRecoveryCodes(tf.user(),
                EventContext.of(app.t.clock.instant(), tf.user().id(), ClientInfo.UNKNOWN));
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        assertThat(client.getJson("/tf-validate").json().path("response").path("recovery_options").path("recovery_code")
                .asText()).isEqualTo("/mf-recovery");

        HttpClientSession.Reply wrong = client.postJson("/mf-recovery", Map.of("code", "not-a-code"),
                "X-CSRFToken", client.csrfToken());
        assertCodeRefused(wrong, "Invalid recovery code.");

        HttpClientSession.Reply used = client.postJson("/mf-recovery", Map.of("code", codes.get(0)),
                "X-CSRFToken", client.csrfToken());
        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        assertThat(used.json().path("response").has("user")).isTrue();
        assertThat(client.getJson("/api/me").status()).isEqualTo(200);
        assertThat(app.gatehouse.twoFactor().recoveryCodesLeft(tf.user())).isEqualTo(codes.size() - 1);

        HttpClientSession again = app.client();
        again.login(tf.email(), TestApp.PASSWORD);
        HttpClientSession.Reply replayed = again.postJson("/mf-recovery", Map.of("code", codes.get(0)),
                "X-CSRFToken", again.csrfToken());
        assertCodeRefused(replayed, "Invalid recovery code.");
        assertNobody(again);
    }

    @Test
    void rescue_by_email_sends_a_code_that_finishes_the_sign_in() {
        TwoFactorUser tf = withAuthenticator(app, "rescue-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);

        HttpClientSession.Reply rescue = client.postJson("/tf-rescue", Map.of("help_setup", "email"),
                "X-CSRFToken", client.csrfToken());
        assertThat(rescue.status()).as(rescue.toString()).isEqualTo(200);
        assertThat(rescue.json().path("response").path("tf_method").asText()).isEqualTo("email");
        String code = inbox.next(tf.email()).code();
        assertNobody(client);

        HttpClientSession.Reply done = validate(client, code);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(client.getJson("/api/me").status()).isEqualTo(200);

        HttpClientSession.Reply unknown = app.client().postJson("/tf-rescue", Map.of("help_setup", "email"));
        assertThat(unknown.status()).as("no pending state, no CSRF").isEqualTo(400);
    }

    @Test
    void tf_select_offers_the_users_methods_and_switches_to_an_emailed_code() {
        TwoFactorUser tf = withAuthenticator(app, "select-tf");
        HttpClientSession client = app.client();
        client.login(tf.email(), TestApp.PASSWORD);
        HttpClientSession.Reply offered = client.getJson("/tf-select");
        assertThat(offered.status()).isEqualTo(200);
        assertThat(offered.json().path("response").path("tf_select").asBoolean()).isTrue();
        assertThat(offered.json().path("response").path("tf_setup_methods").toString()).isEqualTo("[\"authenticator\",\"email\"]");

        HttpClientSession.Reply bad = client.postJson("/tf-select", Map.of("which", "sms"), "X-CSRFToken", client.csrfToken());
        assertThat(bad.status()).isEqualTo(400);
        HttpClientSession.Reply chosen = client.postJson("/tf-select", Map.of("which", "email"), "X-CSRFToken",
                client.csrfToken());
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.json().path("response").path("tf_method").asText()).isEqualTo("email");
        assertThat(validate(client, inbox.next(tf.email()).code()).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ every one-factor path is refused

    @Test
    void http_basic_never_authenticates_a_two_factor_user() {
        TwoFactorUser tf = withAuthenticator(app, "basic-tf");
        User plain = app.newUser("basic-plain");
        assertThat(app.client().get("/session-or-basic", "Authorization", HttpClientSession.basic(plain.email(),
                TestApp.PASSWORD)).status()).isEqualTo(200);
        assertThat(app.client().get("/session-or-basic", "Authorization", HttpClientSession.basic(tf.email(),
                TestApp.PASSWORD)).status()).isEqualTo(401);
    }

    @Test
    void passwordless_code_and_link_yield_the_second_step() {
        TwoFactorUser tf = withAuthenticator(app, "us-tf");
        HttpClientSession client = app.client();
        String csrf = client.getJson("/us-signin").json().path("response").path("csrf_token").asText();
        assertThat(client.postJson("/us-signin/send-code", Map.of("identity", tf.email(), "chosen_method", "email"),
                "X-CSRFToken", csrf).status()).isEqualTo(200);
        Inbox.Mail mail = inbox.next(tf.email());
        HttpClientSession.Reply byCode = client.postJson("/us-signin?include_auth_token", Map.of("passcode", mail.code()),
                "X-CSRFToken", csrf);
        assertSecondFactorRequired(client, byCode);
        assertThat(validate(client, nextCode(app, tf.key())).status()).isEqualTo(200);

        HttpClientSession browser = app.client();
        String formCsrf = LoginApiTest.hiddenCsrfToken(browser.get("/us-signin").body());
        browser.postForm("/us-signin/send-code", Map.of("identity", tf.email(), "chosen_method", "email", "csrf_token", formCsrf));
        String link = inbox.next(tf.email()).link("/us-verify-link");
        HttpClientSession.Reply linkPage = browser.get(link);
        assertThat(linkPage.status()).isEqualTo(200);
        HttpClientSession.Reply byLink = browser.postForm(link, Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(linkPage.body())));
        assertThat(byLink.status()).isEqualTo(302);
        assertThat(byLink.header("Location")).isEqualTo("/tf-validate");
        assertNobody(browser);
    }

    @Test
    void reset_auto_login_signs_a_two_factor_user_in_on_no_factor() {
        TwoFactorUser tf = withAuthenticator(app, "reset-tf");
        HttpClientSession client = app.client();
        assertThat(client.postJson("/reset", Map.of("email", tf.email()), "X-CSRFToken", client.csrfToken()).status())
                .isEqualTo(200);
        String link = inbox.next(tf.email()).link("/reset");
        HttpClientSession.Reply reset = client.postJson(link, Map.of("password", "a brand new passphrase"),
                "X-CSRFToken", client.csrfToken());
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().path("response").has("user")).isFalse();
        assertNobody(client);
        inbox.next(tf.email());
    }

    @Test
    void a_remember_me_cookie_from_before_two_factor_was_enabled_restores_nothing_afterwards() {
        User user = app.newUser("remember-tf");
        HttpClientSession browser = app.signedIn(user, Map.of("remember", true));
        String remember = browser.cookie("gatehouse_remember");
        assertThat(remember).isNotNull();
        HttpClientSession restarted = app.client();
        restarted.putCookie("gatehouse_remember", remember);
        assertThat(restarted.getJson("/api/me").status()).as("the grant works before").isEqualTo(200);

        TwoFactor twoFactor = app.gatehouse.twoFactor();
        TotpSetup setup = twoFactor.newTotpSecret(user);
        twoFactor.enable(user, FactorMethod.AUTHENTICATOR, Optional.of(setup.sealedSecret()), Optional.empty(),
                EventContext.of(app.t.clock.instant(), user.id(), ClientInfo.UNKNOWN));

        HttpClientSession later = app.client();
        later.putCookie("gatehouse_remember", remember);
        assertNobody(later);
    }

    @Test
    void confirmation_auto_login_yields_the_second_step() {
        try (TestApp confirming = TestApp.withMail(SMTP, c -> c.set(TWO_FACTOR, true).set(REGISTERABLE, true)
                .set(CONFIRMABLE, true).set(AUTO_LOGIN_AFTER_CONFIRM, true))) {
            String email = TestApp.email("confirm-tf");
            HttpClientSession client = confirming.client();
            assertThat(client.postJson("/register", Map.of("email", email, "password", TestApp.PASSWORD),
                    "X-CSRFToken", client.csrfToken()).status()).isEqualTo(200);
            String link = inbox.next(email).link("/confirm");
            User user = confirming.gatehouse.users().findUserByEmail(email).orElseThrow();
            TwoFactor twoFactor = confirming.gatehouse.twoFactor();
            twoFactor.enable(user, FactorMethod.AUTHENTICATOR, Optional.of(twoFactor.newTotpSecret(user).sealedSecret()),
                    Optional.empty(), EventContext.of(confirming.t.clock.instant(), user.id(), ClientInfo.UNKNOWN));

            HttpClientSession browser = confirming.client();
            HttpClientSession.Reply page = browser.get(link);
            assertThat(page.status()).isEqualTo(200);
            HttpClientSession.Reply confirmed = browser.postForm(link, Map.of("csrf_token",
                    LoginApiTest.hiddenCsrfToken(page.body())));
            assertThat(confirmed.status()).isEqualTo(302);
            assertThat(confirmed.header("Location")).isEqualTo("/tf-validate");
            assertThat(browser.cookie(PENDING)).isNotNull();
            assertNobody(browser);
        }
    }

    @Test
    void the_unlock_link_signs_nobody_in_and_the_next_sign_in_still_takes_two_steps() {
        try (TestApp locking = TestApp.withMail(SMTP, c -> c.set(TWO_FACTOR, true).set(LOCKOUT_MAX_ATTEMPTS, 3)
                .set(LOCKOUT_UNLOCK, LockoutUnlock.BOTH))) {
            TwoFactorUser tf = withAuthenticator(locking, "unlock-tf");
            for (int i = 0; i < 3; i++) {
                assertThat(locking.client().login(tf.email(), "wrong password " + i).status()).isEqualTo(400);
            }
            HttpClientSession browser = locking.client();
            HttpClientSession.Reply unlocked = browser.get(inbox.next(tf.email()).link("/unlock"));
            assertThat(unlocked.status()).isEqualTo(302);
            assertThat(unlocked.header("Location")).isEqualTo("/login");
            assertThat(browser.cookie(PENDING)).isNull();
            assertNobody(browser);
            assertSecondFactorRequired(browser, browser.login(tf.email(), TestApp.PASSWORD));
        }
    }

    @Test
    void when_two_factor_is_required_a_user_without_one_is_sent_to_the_setup() {
        try (TestApp required = new TestApp(c -> c.set(TWO_FACTOR, true).set(TWO_FACTOR_REQUIRED, true))) {
            User user = required.newUser("required-tf");
            HttpClientSession client = required.client();
            HttpClientSession.Reply first = client.login(user.email(), TestApp.PASSWORD);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().path("response").path("tf_required").asBoolean()).isTrue();
            assertThat(first.json().path("response").path("tf_state").asText()).isEqualTo("setup_from_login");
            assertNobody(client);
            assertThat(client.getJson("/tf-validate").status()).as("not a state waiting for a code").isEqualTo(400);

            HttpClientSession browser = required.client();
            HttpClientSession.Reply form = browser.postForm("/login", Map.of("email", user.email(), "password",
                    TestApp.PASSWORD, "csrf_token", LoginApiTest.hiddenCsrfToken(browser.get("/login").body())));
            assertThat(form.status()).isEqualTo(302);
            assertThat(form.header("Location")).isEqualTo("/tf-setup");
            assertThat(required.client().get("/session-or-basic", "Authorization",
                    HttpClientSession.basic(user.email(), TestApp.PASSWORD)).status()).isEqualTo(401);
        }
    }

    // ------------------------------------------------------------------ trusted browsers

    @Test
    void with_always_validate_off_a_remembered_browser_skips_the_second_step_until_the_stamp_rotates() {
        try (TestApp trusting = new TestApp(c -> c.set(TWO_FACTOR, true).set(TWO_FACTOR_ALWAYS_VALIDATE, false))) {
            TwoFactorUser tf = withAuthenticator(trusting, "trust-tf");
            HttpClientSession browser = trusting.client();
            browser.login(tf.email(), TestApp.PASSWORD, Map.of("remember", true));
            HttpClientSession.Reply done = validate(browser, nextCode(trusting, tf.key()));
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.setCookie("gatehouse_tf_validity")).contains("HttpOnly").contains("Max-Age=" + Duration.ofDays(30).toSeconds());
            String trust = browser.cookie("gatehouse_tf_validity");

            HttpClientSession again = trusting.client();
            again.putCookie("gatehouse_tf_validity", trust);
            HttpClientSession.Reply direct = again.login(tf.email(), TestApp.PASSWORD);
            assertThat(direct.status()).isEqualTo(200);
            assertThat(direct.json().path("response").has("user")).isTrue();
            assertThat(again.getJson("/api/me").status()).isEqualTo(200);

            Map<String, Object> noRemember = new LinkedHashMap<>();
            HttpClientSession untrusted = trusting.client();
            assertThat(untrusted.login(tf.email(), TestApp.PASSWORD, noRemember).json().path("response")
                    .path("tf_required").asBoolean()).isTrue();

            trusting.gatehouse.users().rotateSecurityStamp(tf.user().id());
            HttpClientSession revoked = trusting.client();
            revoked.putCookie("gatehouse_tf_validity", trust);
            assertThat(revoked.login(tf.email(), TestApp.PASSWORD).json().path("response").path("tf_required").asBoolean())
                    .isTrue();
        }
    }
}
