package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import dev.gatehouse.web.FieldValidator;
import dev.gatehouse.web.RegistrationField.InputType;
import dev.gatehouse.web.RegistrationField;
import dev.gatehouse.web.WebOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /register} with generic responses off (Flask-Security's classic behaviour: a new account is
 * signed in at once, a taken address is named) and the application's extra fields. Generic
 * responses, confirmation and mail are covered by {@code RegistrationFlowHttpTest}.
 */
@HttpContract
class RegisterTest {

    private static final String PASSWORD = "a long enough passphrase";
    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(REGISTERABLE, true).set(RETURN_GENERIC_RESPONSES, false), WebOptions.builder()
                .registrationField(RegistrationField.of("display_name", "Display name", InputType.TEXT, true,
                        value -> value.equalsIgnoreCase("root") ? Optional.of("That name is reserved.") : Optional.empty())
                        .withAutocomplete("nickname").withMaxLength(40))
                .registrationField("website", "LABEL_WEBSITE", InputType.URL, false, FieldValidator.none())
                .registrationRoles("Writer")
                .messages(dev.gatehouse.web.Messages.defaults().with("LABEL_WEBSITE", "Your website"))
                .userPayload(user -> Map.of("email", user.email()))
                .build());
        app.gatehouse.users().findOrCreateRole("Writer");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Map<String, String> form(String email, String csrf) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("password", PASSWORD);
        form.put("password_confirm", PASSWORD);
        form.put("display_name", "Ann");
        form.put("csrf_token", csrf);
        return form;
    }

    @Test
    void the_form_shows_the_extra_fields_with_their_labels_and_attributes() {
        String page = app.client().get("/register").body();

        assertThat(page).contains("<form method=\"post\" action=\"/register\">")
                .contains("<label for=\"display_name\">Display name</label>")
                .contains("<input id=\"display_name\" name=\"display_name\" type=\"text\" autocomplete=\"nickname\" maxlength=\"40\" required>")
                .contains("<label for=\"website\">Your website</label>")
                .contains("<input id=\"website\" name=\"website\" type=\"url\" maxlength=\"255\">")
                .contains("autocomplete=\"new-password\"").contains("minlength=\"8\"")
                .contains("name=\"csrf_token\"");
    }

    @Test
    void a_form_registration_creates_a_signed_in_user_with_its_attributes_and_roles() {
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/register").body());
        String email = TestApp.email("form-register");
        Map<String, String> form = form(email, csrf);
        form.put("website", "https://ann.example");
        form.put("next", "/account");

        HttpClientSession.Reply reply = browser.postForm("/register", form);

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/account");
        assertThat(browser.get("/public").body()).isEqualTo("user " + email);
        User user = app.gatehouse.users().findUserByEmail(email).orElseThrow();
        assertThat(user.attributes()).containsEntry("display_name", "Ann").containsEntry("website", "https://ann.example");
        assertThat(user.hasRole("Writer")).isTrue();
        assertThat(user.confirmedAt()).isEmpty();
        assertThat(browser.get("/app-page").body()).contains("Welcome! Your account is ready.");
        assertThat(browser.get("/register").header("Location")).as("signed-in users are sent on").isEqualTo("/");
    }

    @Test
    void a_refused_form_shows_the_errors_beside_their_fields_and_keeps_the_values_but_not_the_passwords() {
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/register").body());
        Map<String, String> form = form("not-an-email", csrf);
        form.put("password_confirm", "something else");
        form.put("display_name", "root");
        form.put("website", "ftp://files");

        HttpClientSession.Reply reply = browser.postForm("/register", form);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("<p class=\"gh-error\" id=\"email-error\">Invalid email address</p>")
                .contains("<p class=\"gh-error\" id=\"display_name-error\">That name is reserved.</p>")
                .contains("<p class=\"gh-error\" id=\"website-error\">This value is not valid.</p>")
                .contains("value=\"not-an-email\"").contains("value=\"root\"").contains("value=\"ftp://files\"")
                .doesNotContain(PASSWORD).doesNotContain("something else");
        assertThat(reply.setCookie("gatehouse_session")).isNull();

        // With the application's fields in order, the flow checks the rest: here the retyped password.
        Map<String, String> second = form(TestApp.email("mismatch"), LoginApiTest.hiddenCsrfToken(reply.body()));
        second.put("password_confirm", "something else");
        HttpClientSession.Reply mismatch = browser.postForm("/register", second);
        assertThat(mismatch.status()).isEqualTo(200);
        assertThat(mismatch.body()).contains("<p class=\"gh-error\" id=\"password_confirm-error\">The passwords do not match.</p>")
                .contains("value=\"Ann\"").doesNotContain("something else");
        assertThat(app.gatehouse.users().findUserByEmail(second.get("email"))).isEmpty();
    }

    @Test
    void the_json_api_registers_signs_in_and_answers_like_login() {
        HttpClientSession client = app.client();
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        String email = TestApp.email("json-register");

        HttpClientSession.Reply reply = client.postJson("/register?include_auth_token",
                Map.of("email", email, "password", PASSWORD, "display_name", "Bo"), "X-CSRFToken", csrf);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.user().path("email").asText()).isEqualTo(email);
        assertThat(reply.user().path("authentication_token").asText()).isNotEmpty();
        assertThat(client.getJson("/api/me").json().path("email").asText()).isEqualTo(email);
    }

    @Test
    void json_errors_name_their_fields_in_the_clients_language() {
        HttpClientSession client = app.client();
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        String taken = app.newUser("taken").email();

        HttpClientSession.Reply fields = client.postJson("/register", Map.of("email", "nobody@", "password", "short"),
                "X-CSRFToken", csrf, "Accept-Language", "de");
        HttpClientSession.Reply takenAddress = client.postJson("/register", Map.of("email", taken, "password", PASSWORD,
                "display_name", "T"), "X-CSRFToken", csrf, "Accept-Language", "de");
        HttpClientSession.Reply shortPassword = client.postJson("/register", Map.of("email", TestApp.email("short"),
                "password", "short", "display_name", "S"), "X-CSRFToken", csrf, "Accept-Language", "de");

        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.fieldErrors("email")).containsExactly("Ungültige E-Mail-Adresse");
        assertThat(fields.fieldErrors("display_name")).containsExactly("Dieses Feld muss ausgefüllt werden.");
        assertThat(fields.errors()).hasSize(2);
        assertThat(takenAddress.status()).isEqualTo(400);
        assertThat(takenAddress.fieldErrors("email")).containsExactly(taken + " gehört bereits zu einem Konto.");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.fieldErrors("password")).containsExactly("Das Passwort muss mindestens 8 Zeichen lang sein.");
    }

    // Issue 10: these four were accepted at registration.
    @Test
    void a_guessable_password_or_one_made_of_the_account_s_own_words_is_a_400_on_the_password_field() {
        HttpClientSession client = app.client();
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        String email = TestApp.email("ownwords");

        HttpClientSession.Reply repeated = register(client, csrf, email, "aaaaaaaa", "Ann");
        HttpClientSession.Reply spaces = register(client, csrf, email, "        ", "Ann");
        HttpClientSession.Reply season = register(client, csrf, email, "Summer2024!", "Ann");
        HttpClientSession.Reply ownEmail = register(client, csrf, email, email, "Ann");
        HttpClientSession.Reply ownName = register(client, csrf, email, "Quartermaine Zebulon!", "Zebulon Quartermaine");
        HttpClientSession.Reply german = register(client, csrf, email, "        ", "Ann", "Accept-Language", "de");

        for (HttpClientSession.Reply weak : java.util.List.of(repeated, spaces, season)) {
            assertThat(weak.status()).as(weak.body()).isEqualTo(400);
            assertThat(weak.fieldErrors("password")).singleElement().asString()
                    .startsWith("This password is too easy to guess; choose a longer or less common one.");
        }
        assertThat(spaces.fieldErrors("password").get(0)).contains("Repeats like \"aaa\" are easy to guess.");
        for (HttpClientSession.Reply personal : java.util.List.of(ownEmail, ownName)) {
            assertThat(personal.status()).as(personal.body()).isEqualTo(400);
            assertThat(personal.fieldErrors("password"))
                    .containsExactly("The password must not be made of your email address, username or the site's name.");
        }
        assertThat(german.fieldErrors("password")).singleElement().asString()
                .startsWith("Dieses Passwort ist zu leicht zu erraten").contains("Wiederholungen");
        assertThat(app.gatehouse.users().findUserByEmail(email)).isEmpty();
        assertThat(register(client, csrf, email, PASSWORD, "Ann").status()).isEqualTo(200);
    }

    private static HttpClientSession.Reply register(HttpClientSession client, String csrf, String email, String password,
            String displayName, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-CSRFToken";
        all[1] = csrf;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return client.postJson("/register", Map.of("email", email, "password", password, "display_name", displayName), all);
    }

    @Test
    void registration_needs_a_csrf_token_and_refuses_off_site_next_for_json() {
        HttpClientSession client = app.client();
        client.getJson("/register");

        HttpClientSession.Reply noToken = client.postJson("/register", Map.of("email", TestApp.email("csrf"), "password", PASSWORD,
                "display_name", "C"));
        String csrf = client.getJson("/register").json().path("response").path("csrf_token").asText();
        HttpClientSession.Reply offSite = client.postJson("/register?next=//evil.com", Map.of("email", TestApp.email("next"),
                "password", PASSWORD, "display_name", "N"), "X-CSRFToken", csrf);

        assertThat(noToken.status()).isEqualTo(400);
        assertThat(noToken.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(offSite.status()).isEqualTo(400);
        assertThat(offSite.fieldErrors("next")).isNotEmpty();
    }

    @Test
    void a_signed_in_client_cannot_register_another_account() {
        HttpClientSession client = app.signedIn(app.newUser("already"));

        HttpClientSession.Reply reply = client.postJson("/register", Map.of("email", TestApp.email("second"), "password", PASSWORD,
                "display_name", "S"), "X-CSRFToken", client.csrfToken());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errors()).containsExactly("You can only access this endpoint when not logged in.");
    }

    @Test
    void registration_is_mounted_only_with_registerable() {
        try (TestApp closed = new TestApp()) {
            assertThat(closed.client().get("/register").status()).isEqualTo(404);
            assertThat(closed.client().postJson("/register", Map.of()).status()).isEqualTo(404);
            assertThat(closed.client().get("/login").body()).doesNotContain("href=\"/register\"");
        }
        assertThat(app.client().get("/login").body()).contains("href=\"/register\"");
    }

    @Test
    void with_confirmation_required_a_new_account_is_not_signed_in_but_told_to_confirm() {
        try (TestApp confirmable = new TestApp(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RETURN_GENERIC_RESPONSES, false)
                .set(EXTERNAL_URL, "https://app.example.com"))) {
            HttpClientSession browser = confirmable.client();
            String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/register").body());
            String email = TestApp.email("confirm-first");
            Map<String, String> form = new LinkedHashMap<>(Map.of("email", email, "password", PASSWORD,
                    "password_confirm", PASSWORD, "csrf_token", csrf));

            HttpClientSession.Reply reply = browser.postForm("/register", form);

            assertThat(reply.status()).isEqualTo(302);
            assertThat(reply.header("Location")).isEqualTo("/login");
            assertThat(browser.get("/login").body()).contains("Thank you. Confirmation instructions have been sent to "
                    + email + ".");
            assertThat(browser.get("/public").body()).isEqualTo("anonymous");
            assertThat(confirmable.gatehouse.users().findUserByEmail(email).orElseThrow().confirmedAt()).isEmpty();
        }
    }
}
