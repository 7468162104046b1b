package dev.gatehouse.web.contract;

import static dev.gatehouse.web.contract.HttpClientSession.basic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP Basic on routes that ask for it. */
@HttpContract
class BasicAuthenticationTest {

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
    void correct_credentials_authenticate_on_a_basic_route() {
        User user = app.newUser("correct");

        HttpClientSession.Reply reply = app.client().get("/basic", "Authorization", basic(user.email(), TestApp.PASSWORD));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).startsWith("basic ").contains(user.email());
        assertThat(reply.setCookies()).as("Basic creates no session").noneMatch(c -> c.startsWith("gatehouse_session="));
    }

    @Test
    void the_email_of_basic_credentials_is_matched_case_insensitively() {
        User user = app.newUser("CaseBasic");

        assertThat(app.client().get("/basic", "Authorization", basic(user.email().toUpperCase(), TestApp.PASSWORD)).status())
                .isEqualTo(200);
    }

    @Test
    void without_credentials_a_basic_route_answers_401_with_a_challenge_for_the_default_realm() {
        HttpClientSession.Reply reply = app.client().getJson("/basic");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login Required\"");
        assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(401);
        assertThat(reply.errors()).isNotEmpty();
    }

    @Test
    void an_html_client_on_a_basic_route_gets_the_401_challenge_not_a_redirect() {
        HttpClientSession.Reply reply = app.client().get("/basic");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Login Required\"");
        assertThat(reply.header("Location")).isNull();
    }

    @Test
    void a_wrong_password_is_refused_with_a_challenge() {
        User user = app.newUser("wrong");

        HttpClientSession.Reply reply = app.client().getJson("/basic", "Authorization", basic(user.email(), "wrong password"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Basic realm=");
    }

    @Test
    void a_non_ascii_password_is_decoded_as_utf_8() {
        String email = TestApp.email("utf8");
        app.user(email, "pässwörd-日本語");

        assertThat(app.client().get("/basic", "Authorization", basic(email, "pässwörd-日本語")).status()).isEqualTo(200);
        assertThat(app.client().get("/basic", "Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((email + ":pässwörd-日本語").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).status())
                .isEqualTo(401);
    }

    @Test
    void an_unknown_user_is_refused() {
        assertThat(app.client().getJson("/basic", "Authorization", basic("nobody@example.com", TestApp.PASSWORD)).status())
                .isEqualTo(401);
    }

    @Test
    void malformed_authorization_headers_are_refused_with_401() {
        User user = app.newUser("malformed");
        String[] headers = {
            "Basic",
            "Basic ",
            "Basic !!!not-base64!!!",
            "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()),
            "Basic " + java.util.Base64.getEncoder().encodeToString((":" + TestApp.PASSWORD).getBytes()),
            "Bearer " + java.util.Base64.getEncoder().encodeToString((user.email() + ":" + TestApp.PASSWORD).getBytes()),
            "Basic " + "A".repeat(5000),
        };
        for (String header : headers) {
            HttpClientSession.Reply reply = app.client().getJson("/basic", "Authorization", header);
            assertThat(reply.status()).as("Authorization: %s", header.length() > 60 ? header.substring(0, 60) + "…" : header)
                    .isEqualTo(401);
            assertThat(reply.json().path("meta").path("code").asInt()).isEqualTo(401);
        }
    }

    @Test
    void the_realm_is_configurable() {
        try (TestApp custom = new TestApp(c -> c.set("http-auth-realm", "Diary API"))) {
            HttpClientSession.Reply reply = custom.client().getJson("/basic");

            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Diary API\"");
        }
    }

    @Test
    void a_deactivated_user_no_longer_authenticates_by_basic_even_right_after_a_success() {
        User user = app.newUser("deactivated");
        String header = basic(user.email(), TestApp.PASSWORD);
        assertThat(app.client().get("/basic", "Authorization", header).status()).isEqualTo(200);

        app.gatehouse.users().deactivate(user.id());

        assertThat(app.client().get("/basic", "Authorization", header).status()).isEqualTo(401);
    }

    @Test
    void a_rotated_security_stamp_ends_a_remembered_basic_check() {
        User user = app.newUser("stamp");
        String header = basic(user.email(), TestApp.PASSWORD);
        assertThat(app.client().get("/basic", "Authorization", header).status()).isEqualTo(200);

        // Stamp rotation alone (the password is still right) must not break Basic: it is re-checked.
        app.gatehouse.users().rotateSecurityStamp(user.id());
        assertThat(app.client().get("/basic", "Authorization", header).status()).isEqualTo(200);

        app.gatehouse.users().setPasswordHash(user.id(), app.gatehouse.passwords().hash("another password 42"));
        app.gatehouse.users().rotateSecurityStamp(user.id());
        assertThat(app.client().get("/basic", "Authorization", header).status()).as("old password after a change").isEqualTo(401);
        assertThat(app.client().get("/basic", "Authorization", basic(user.email(), "another password 42")).status())
                .isEqualTo(200);
    }

    @Test
    void a_basic_route_does_not_accept_a_session_or_a_token() {
        User user = app.newUser("only-basic");
        HttpClientSession browser = app.signedIn(user);
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        assertThat(browser.getJson("/basic").status()).isEqualTo(401);
        assertThat(app.client().getJson("/basic", "Authentication-Token", token).status()).isEqualTo(401);
    }

    @Test
    void by_default_a_basic_authenticated_post_needs_no_csrf_token() {
        // Browsers do not send Basic credentials cross-site on their own accord the way they send
        // cookies, so, like token requests, Basic requests are exempt unless configured.
        User user = app.newUser("basic-no-csrf");

        HttpClientSession.Reply reply = app.client().postJson("/basic", Map.of(),
                "Authorization", basic(user.email(), TestApp.PASSWORD));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("basic post");
    }

    @Test
    void with_basic_in_csrf_protect_mechanisms_a_basic_post_needs_a_csrf_token() {
        try (TestApp custom = new TestApp(c -> c.set("csrf-protect-mechanisms", "session, basic"))) {
            User user = custom.newUser("basic-csrf");
            String header = basic(user.email(), TestApp.PASSWORD);
            HttpClientSession client = custom.client();

            HttpClientSession.Reply without = client.postJson("/basic", Map.of(), "Authorization", header);
            assertThat(without.status()).isEqualTo(400);
            assertThat(without.errors()).isNotEmpty();

            String csrf = client.csrfToken();
            HttpClientSession.Reply with = client.postJson("/basic", Map.of(), "Authorization", header, "X-CSRF-Token", csrf);
            assertThat(with.status()).as(with.body()).isEqualTo(200);
        }
    }
}
