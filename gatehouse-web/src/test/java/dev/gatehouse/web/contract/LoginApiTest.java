package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.user.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET/POST /login}: Flask-Security's JSON envelope, errors, generic responses and form logins. */
@HttpContract
class LoginApiTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void odd_accept_headers_are_negotiated_not_a_500() {
        // Found by RequestParsingFuzzTest: an empty range ("text/html,;") threw in content negotiation.
        assertThat(app.client().get("/login", "Accept", "text/html,;").status()).isEqualTo(200);
        assertThat(app.client().get("/login", "Accept", ";").status()).isEqualTo(200);
        HttpClientSession.Reply nan = app.client().get("/login", "Accept", "application/json;q=NaN, text/html;q=0.5");
        assertThat(nan.status()).isEqualTo(200);
        assertThat(nan.header("Content-Type")).as("a NaN quality counts as 0").startsWith("text/html");
        HttpClientSession.Reply huge = app.client().get("/login", "Accept", "application/json;q=1e9, text/html");
        assertThat(huge.header("Content-Type")).as("qualities are capped at 1; ties go to HTML").startsWith("text/html");
    }

    @Test
    void a_successful_json_login_answers_the_flask_security_envelope() {
        User user = app.newUser("envelope");

        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Content-Type")).startsWith("application/json");
        assertThat(login.header("Cache-Control")).isEqualTo("no-store");
        JsonNode json = login.json();
        assertThat(json.path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(json.path("response").path("user").isObject()).isTrue();
        assertThat(json.path("response").path("csrf_token").asText()).isNotEmpty();
        assertThat(json.path("response").has("errors")).isFalse();
    }

    @Test
    void get_login_tells_an_anonymous_json_client_its_csrf_token_and_the_identity_attributes() {
        HttpClientSession.Reply page = app.client().getJson("/login");

        assertThat(page.status()).isEqualTo(200);
        JsonNode response = page.json().path("response");
        assertThat(page.json().path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(response.path("csrf_token").asText()).isNotEmpty();
        assertThat(response.path("identity_attributes").toString()).isEqualTo("[\"email\"]");
        assertThat(response.has("user")).isFalse();
    }

    @Test
    void get_login_tells_a_signed_in_json_client_its_user_and_csrf_token() {
        HttpClientSession browser = app.signedIn(app.newUser("signed-in"));

        HttpClientSession.Reply page = browser.getJson("/login");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("response").path("user").isObject()).isTrue();
        assertThat(page.json().path("response").path("csrf_token").asText()).isNotEmpty();
        assertThat(page.json().path("response").has("identity_attributes")).isFalse();
    }

    @Test
    void get_login_shows_an_html_form_with_a_csrf_token_to_an_anonymous_browser() {
        HttpClientSession.Reply page = app.client().get("/login");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<form method=\"post\" action=\"/login\">").contains("name=\"csrf_token\"")
                .contains("name=\"password\"");
    }

    @Test
    void get_login_redirects_a_signed_in_browser_to_the_post_login_view() {
        HttpClientSession browser = app.signedIn(app.newUser("redirected"));

        HttpClientSession.Reply page = browser.get("/login");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/");
    }

    @Test
    void post_login_from_a_signed_in_client_is_refused_with_anonymous_user_required() {
        HttpClientSession browser = app.signedIn(app.newUser("twice"));
        String csrf = browser.csrfToken();

        HttpClientSession.Reply again = browser.postJson("/login", Map.of("email", "x@example.com", "password", "whatever"),
                "X-CSRF-Token", csrf);

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().path("meta").path("code").asInt()).isEqualTo(400);
        assertThat(again.errors()).containsExactly("You can only access this endpoint when not logged in.");
    }

    @Test
    void with_generic_responses_an_unknown_email_and_a_wrong_password_look_the_same() {
        User user = app.newUser("generic");

        HttpClientSession.Reply wrongPassword = app.client().login(user.email(), "wrong password");
        HttpClientSession.Reply unknownEmail = app.client().login("nobody-" + user.email(), TestApp.PASSWORD);

        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(unknownEmail.status()).isEqualTo(wrongPassword.status());
        assertThat(unknownEmail.body()).isEqualTo(wrongPassword.body());
        assertThat(wrongPassword.errors()).isNotEmpty();
        assertThat(wrongPassword.json().path("response").path("field_errors").has("email")).isFalse();
        assertThat(wrongPassword.json().path("response").path("field_errors").has("password")).isFalse();
    }

    @Test
    void without_generic_responses_a_wrong_password_is_a_password_field_error_and_an_unknown_email_an_email_one() {
        try (TestApp custom = new TestApp(c -> c.set("return-generic-responses", "false"))) {
            User user = custom.newUser("specific");

            HttpClientSession.Reply wrongPassword = custom.client().login(user.email(), "wrong password");
            assertThat(wrongPassword.status()).isEqualTo(400);
            assertThat(wrongPassword.json().path("meta").path("code").asInt()).isEqualTo(400);
            assertThat(wrongPassword.fieldErrors("password")).containsExactly("Invalid password");
            assertThat(wrongPassword.errors()).contains("Invalid password");

            HttpClientSession.Reply unknownEmail = custom.client().login("nobody-" + user.email(), TestApp.PASSWORD);
            assertThat(unknownEmail.status()).isEqualTo(400);
            assertThat(unknownEmail.fieldErrors("email")).containsExactly("Specified user does not exist");
            assertThat(unknownEmail.json().path("response").path("field_errors").has("password")).isFalse();
        }
    }

    @Test
    void missing_email_and_password_are_field_errors() {
        HttpClientSession client = app.client();
        String csrf = client.csrfToken();

        HttpClientSession.Reply reply = client.postJson("/login", Map.of(), "X-CSRF-Token", csrf);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.fieldErrors("email")).isNotEmpty();
        assertThat(reply.fieldErrors("password")).isNotEmpty();
        assertThat(reply.errors()).hasSize(2);
    }

    @Test
    void a_body_that_is_not_a_json_object_is_a_clean_400() {
        HttpClientSession client = app.client();
        String csrf = client.csrfToken();

        for (String body : List.of("{not json", "[1,2]", "\"text\"")) {
            HttpClientSession.Reply reply = client.postRaw("/login", "application/json", body, "X-CSRF-Token", csrf);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(400);
            assertThat(reply.errors()).isNotEmpty();
        }
    }

    @Test
    void the_email_is_matched_case_insensitively() {
        User user = app.newUser("MixedCase");

        HttpClientSession browser = app.client();
        HttpClientSession.Reply login = browser.login("  " + user.email().toUpperCase() + " ", TestApp.PASSWORD);

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(browser.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
    }

    @Test
    void a_deactivated_account_cannot_sign_in_even_with_the_right_password() {
        User user = app.newUser("disabled");
        app.gatehouse.users().deactivate(user.id());

        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD);

        assertThat(login.status()).isEqualTo(400);
        assertThat(login.errors()).containsExactly("Account is disabled.");
        assertThat(login.setCookie("gatehouse_session")).isNull();
    }

    @Test
    void a_form_login_is_accepted_and_redirects_to_the_post_login_view() {
        User user = app.newUser("form");
        HttpClientSession browser = app.client();
        String page = browser.get("/login").body();
        String csrf = hiddenCsrfToken(page);

        HttpClientSession.Reply login = browser.postForm("/login",
                Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf));

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/");
        assertThat(login.setCookie("gatehouse_session")).isNotNull();
        assertThat(browser.get("/public").body()).isEqualTo("user " + user.email());
    }

    @Test
    void a_form_login_with_a_json_accept_header_answers_json() {
        User user = app.newUser("form-json");
        HttpClientSession browser = app.client();
        String csrf = browser.csrfToken();

        HttpClientSession.Reply login = browser.postForm("/login",
                Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf), "Accept", "application/json");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().path("response").path("csrf_token").asText()).isNotEmpty();
    }

    @Test
    void a_failed_form_login_shows_the_form_again_with_the_error_and_signs_nobody_in() {
        User user = app.newUser("form-fail");
        HttpClientSession browser = app.client();
        String csrf = browser.csrfToken();

        HttpClientSession.Reply login = browser.postForm("/login",
                Map.of("email", user.email(), "password", "wrong password", "csrf_token", csrf));

        assertThat(login.header("Location")).isNull();
        assertThat(login.header("Content-Type")).startsWith("text/html");
        assertThat(login.body()).contains("Invalid credentials").contains("value=\"" + user.email() + "\"");
        assertThat(login.setCookie("gatehouse_session")).isNull();
        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
    }

    @Test
    void values_echoed_into_the_login_form_are_html_escaped() {
        HttpClientSession browser = app.client();
        String csrf = browser.csrfToken();

        HttpClientSession.Reply failed = browser.postForm("/login",
                Map.of("email", "\"><script>alert(1)</script>@example.com", "password", "x", "csrf_token", csrf));
        assertThat(failed.body()).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");

        HttpClientSession.Reply page = browser.get("/login?next=" + java.net.URLEncoder.encode(
                "/account\"><script>alert(2)</script>", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.body()).doesNotContain("<script>alert(2)</script>");
    }

    @Test
    void the_user_payload_is_configurable_and_carries_the_token_when_asked() {
        try (TestApp custom = new TestApp(dev.gatehouse.web.WebOptions.builder()
                .userPayload(u -> Map.of("email", u.email(), "id", u.id())).build())) {
            User user = custom.newUser("payload");
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("include_auth_token", true);

            HttpClientSession.Reply login = custom.client().login(user.email(), TestApp.PASSWORD, extra);

            assertThat(login.user().path("email").asText()).isEqualTo(user.email());
            assertThat(login.user().path("id").asLong()).isEqualTo(user.id());
            assertThat(login.user().path("authentication_token").asText()).isNotEmpty();
        }
    }

    @Test
    void with_usernames_enabled_get_login_names_both_identity_attributes_and_a_username_signs_in() {
        try (TestApp custom = new TestApp(c -> c.set("username-enable", "true"))) {
            String email = TestApp.email("named");
            custom.gatehouse.users().createUser(dev.gatehouse.user.NewUser.builder(email)
                    .username("NamedUser")
                    .passwordHash(custom.gatehouse.passwords().hash(TestApp.PASSWORD)).build());

            assertThat(custom.client().getJson("/login").json().path("response").path("identity_attributes").toString())
                    .isEqualTo("[\"email\",\"username\"]");
            HttpClientSession client = custom.client();
            String csrf = client.csrfToken();
            HttpClientSession.Reply login = client.postJson("/login",
                    Map.of("username", "nameduser", "password", TestApp.PASSWORD), "X-CSRF-Token", csrf);
            assertThat(login.status()).as(login.body()).isEqualTo(200);
            assertThat(client.getJson("/api/me").json().path("email").asText()).isEqualTo(email);
        }
    }

    @Test
    void with_a_url_prefix_the_endpoints_and_the_login_redirect_move_under_it() {
        try (TestApp custom = new TestApp(c -> c.set("url-prefix", "/auth"))) {
            User user = custom.newUser("prefixed");
            HttpClientSession client = custom.client();

            assertThat(client.get("/api/me").header("Location")).isEqualTo("/auth/login?next=%2Fapi%2Fme");
            assertThat(client.getJson("/login").status()).isEqualTo(404);
            String csrf = client.getJson("/auth/login").json().path("response").path("csrf_token").asText();
            assertThat(client.postJson("/auth/login", Map.of("email", user.email(), "password", TestApp.PASSWORD),
                    "X-CSRF-Token", csrf).status()).isEqualTo(200);
            assertThat(client.getJson("/api/me").status()).isEqualTo(200);
        }
    }

    static String hiddenCsrfToken(String html) {
        String marker = "name=\"csrf_token\" value=\"";
        int start = html.indexOf(marker);
        assertThat(start).as("a csrf_token field in " + html).isNotNegative();
        start += marker.length();
        return html.substring(start, html.indexOf('"', start));
    }
}
