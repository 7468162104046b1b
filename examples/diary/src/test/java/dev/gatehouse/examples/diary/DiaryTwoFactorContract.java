package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two-factor sign-in over the diary's JSON API, end to end through the real server as
 * {@code java -jar diary.jar} starts it: {@link #OPTIONAL} ({@code GATEHOUSE_TWO_FACTOR=true} with
 * recovery codes) in one diary, {@link #REQUIRED} ({@code GATEHOUSE_TWO_FACTOR_REQUIRED=true}) in
 * another. A first factor alone never reaches {@code /api/entries}; the second one does, with the
 * session and with a token. Runs on H2 ({@link H2DiaryTwoFactorTest}) and PostgreSQL
 * ({@link PostgresDiaryTwoFactorTest}), each diary on a database of its own (a shared one would
 * share the mail queue, and the other diary's worker would deliver into its own mail folder).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DiaryTwoFactorContract {

    static final Map<String, String> OPTIONAL = Map.of("GATEHOUSE_TWO_FACTOR", "true",
            "GATEHOUSE_MULTI_FACTOR_RECOVERY_CODES", "true");
    static final Map<String, String> REQUIRED = Map.of("GATEHOUSE_TWO_FACTOR", "true", "GATEHOUSE_TWO_FACTOR_REQUIRED", "true");

    /** The diaries with {@link #OPTIONAL}'s and {@link #REQUIRED}'s settings, started by the concrete class. */
    TestDiary optional;
    TestDiary required;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @AfterAll
    void stopBoth() {
        for (TestDiary diary : new TestDiary[] {optional, required}) {
            if (diary != null) {
                diary.close();
            }
        }
        optional = null;
        required = null;
    }

    @Test
    void login_answers_tf_required_and_only_the_authenticator_code_opens_the_api() {
        String email = TestDiary.email("api-tf");
        String key = withAuthenticator(optional, email);
        HttpSession api = optional.client();

        HttpSession.Reply first = jsonLogin(api, email);
        JsonNode step = first.json().path("response");
        assertThat(step.path("tf_required").asBoolean()).as(first.body()).isTrue();
        assertThat(step.path("tf_state").asText()).isEqualTo("ready");
        assertThat(step.path("tf_method").asText()).isEqualTo("authenticator");
        assertThat(step.has("user")).as("no user on one factor").isFalse();
        assertThat(api.getJson("/api/entries").status()).as("no session on one factor").isEqualTo(401);

        String csrf = step.path("csrf_token").asText();
        HttpSession.Reply wrong = api.postJson("/tf-validate", Map.of("code", otherThan(AuthenticatorApp.next(key))),
                "X-CSRF-Token", csrf);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("response").path("field_errors").path("code").get(0).asText()).isEqualTo("Invalid code.");
        assertThat(api.getJson("/api/entries").status()).isEqualTo(401);

        String code = AuthenticatorApp.next(key);
        HttpSession.Reply second = api.postJson("/tf-validate?include_auth_token", Map.of("code", code),
                "X-CSRF-Token", csrf);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        JsonNode user = second.json().path("response").path("user");
        assertThat(user.path("email").asText()).isEqualTo(email);
        String token = user.path("authentication_token").asText();
        assertThat(token).isNotEmpty();

        String sessionCsrf = second.json().path("response").path("csrf_token").asText();
        HttpSession.Reply created = api.postJson("/api/entries", Map.of("content", "After two factors"), "X-CSRF-Token", sessionCsrf);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(api.getJson("/api/entries").json().path("entries").findValuesAsText("content")).containsExactly("After two factors");
        HttpSession.Reply byToken = optional.client().getJson("/api/entries", "Authentication-Token", token);
        assertThat(byToken.status()).isEqualTo(200);
        assertThat(byToken.json().path("entries").findValuesAsText("content")).containsExactly("After two factors");

        // The code just used is spent: a second client replaying it gets nothing.
        HttpSession replay = optional.client();
        String replayCsrf = jsonLogin(replay, email).json().path("response").path("csrf_token").asText();
        assertThat(replay.postJson("/tf-validate", Map.of("code", code), "X-CSRF-Token", replayCsrf).status())
                .isEqualTo(400);
        assertThat(replay.getJson("/api/entries").status()).isEqualTo(401);
    }

    @Test
    void a_recovery_code_signs_in_once_in_place_of_the_second_factor() {
        String email = TestDiary.email("api-recovery");
        withAuthenticator(optional, email);
        HttpSession owner = optional.client();
        String csrf = jsonLogin(owner, email).json().path("response").path("csrf_token").asText();
        // The owner signs in with a rescue code by email (the app is not at hand) and generates the codes.
        assertThat(owner.getJson("/tf-validate").status()).isEqualTo(200);
        HttpSession.Reply viaEmail = owner.postJson("/tf-rescue", Map.of("help_setup", "email"), "X-CSRF-Token", csrf);
        assertThat(viaEmail.status()).as(viaEmail.body()).isEqualTo(200);
        String mailed = AuthenticatorApp.mailedCode(optional.mail(email, 3));
        HttpSession.Reply in = owner.postJson("/tf-validate", Map.of("code", mailed), "X-CSRF-Token", csrf);
        assertThat(in.status()).as(in.body()).isEqualTo(200);

        HttpSession.Reply generated = owner.postJson("/mf-recovery-codes", Map.of(),
                "X-CSRF-Token", in.json().path("response").path("csrf_token").asText());
        assertThat(generated.status()).as(generated.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        generated.json().path("response").path("recovery_codes").forEach(code -> codes.add(code.asText()));
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();

        HttpSession api = optional.client();
        String apiCsrf = jsonLogin(api, email).json().path("response").path("csrf_token").asText();
        HttpSession.Reply recovered = api.postJson("/mf-recovery", Map.of("code", codes.get(3)), "X-CSRF-Token", apiCsrf);
        assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
        assertThat(api.getJson("/api/entries").status()).isEqualTo(200);
        assertThat(owner.getJson("/mf-recovery-codes").json().path("response").path("recovery_codes_left").asInt()).isEqualTo(9);

        HttpSession again = optional.client();
        String againCsrf = jsonLogin(again, email).json().path("response").path("csrf_token").asText();
        HttpSession.Reply refused = again.postJson("/mf-recovery", Map.of("code", codes.get(3)), "X-CSRF-Token", againCsrf);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("response").path("field_errors").path("code").get(0).asText())
                .isEqualTo("Invalid recovery code.");
        assertThat(again.getJson("/api/entries").status()).isEqualTo(401);
    }

    @Test
    void with_two_factor_required_a_new_writer_sets_up_a_factor_during_the_first_sign_in_and_only_then_gets_in() {
        String email = TestDiary.email("api-required");
        assertThat(required.client().register(email, TestDiary.PASSWORD, "Req").status()).isEqualTo(302);
        HttpSession api = required.client();

        JsonNode step = jsonLogin(api, email).json().path("response");
        assertThat(step.path("tf_required").asBoolean()).isTrue();
        assertThat(step.path("tf_state").asText()).isEqualTo("setup_from_login");
        assertThat(api.getJson("/api/entries").status()).isEqualTo(401);
        String csrf = step.path("csrf_token").asText();

        JsonNode setupPage = api.getJson("/tf-setup").json().path("response");
        assertThat(setupPage.path("tf_required").asBoolean()).isTrue();
        assertThat(texts(setupPage.path("tf_available_methods"))).containsExactly("authenticator", "email");
        JsonNode started = api.postJson("/tf-setup", Map.of("setup", "authenticator"), "X-CSRF-Token", csrf).json().path("response");
        String key = started.path("tf_authr_key").asText();
        assertThat(key).matches("[A-Z2-7]{32}");
        // The app lists the account under the diary's name, in the QR code's URI as on the page.
        assertThat(started.path("tf_authr_issuer").asText()).isEqualTo("Diary");
        assertThat(started.path("tf_authr_uri").asText()).startsWith("otpauth://totp/Diary:").contains("issuer=Diary");
        assertThat(api.getJson("/api/entries").status()).as("a setup started is no sign-in").isEqualTo(401);

        HttpSession.Reply done = api.postJson("/tf-setup/" + started.path("tf_state_token").asText(),
                Map.of("code", AuthenticatorApp.now(key)), "X-CSRF-Token", csrf);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("response").path("user").path("email").asText()).isEqualTo(email);
        assertThat(api.getJson("/api/entries").status()).isEqualTo(200);
        assertThat(api.postJson("/api/entries", Map.of("content", "Set up and in"),
                "X-CSRF-Token", done.json().path("response").path("csrf_token").asText()).status()).isEqualTo(201);

        // From now on the factor is asked for like in any two-factor diary.
        HttpSession later = required.client();
        assertThat(jsonLogin(later, email).json().path("response").path("tf_state").asText()).isEqualTo("ready");
    }

    @Test
    void with_two_factor_required_the_seeded_admins_browser_is_sent_to_the_setup_page() {
        HttpSession browser = required.client();

        HttpSession.Reply login = browser.login("admin@example.com", "adminpass");

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/tf-setup");
        assertThat(browser.get("/").header("Location")).as("still signed out").isEqualTo("/login?next=%2F");
        String page = browser.get("/tf-setup").body();
        assertThat(page).contains("name=\"setup\"").contains("value=\"authenticator\"").doesNotContain("value=\"disable\"");
        assertThat(HtmlChecker.problems(page)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Registers {@code email} and sets up an authenticator app as its owner would, over JSON; returns the app's key. */
    private static String withAuthenticator(TestDiary diary, String email) {
        assertThat(diary.client().register(email, TestDiary.PASSWORD, "Tf").status()).isEqualTo(302);
        HttpSession owner = diary.client();
        assertThat(owner.login(email, TestDiary.PASSWORD).header("Location")).isEqualTo("/");
        String csrf = owner.get("/").csrf();
        JsonNode started = owner.postJson("/tf-setup", Map.of("setup", "authenticator"), "X-CSRF-Token", csrf).json().path("response");
        String key = started.path("tf_authr_key").asText();
        HttpSession.Reply done = owner.postJson("/tf-setup/" + started.path("tf_state_token").asText(),
                Map.of("code", AuthenticatorApp.now(key)), "X-CSRF-Token", csrf);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("response").path("tf_method").asText()).isEqualTo("authenticator");
        return key;
    }

    /** The JSON sign-in of a client without a session: the login CSRF token, then email and password. */
    private static HttpSession.Reply jsonLogin(HttpSession client, String email) {
        String csrf = client.getJson("/login").json().path("response").path("csrf_token").asText();
        HttpSession.Reply reply = client.postJson("/login", Map.of("email", email, "password", TestDiary.PASSWORD),
                "X-CSRF-Token", csrf);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private static String otherThan(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
