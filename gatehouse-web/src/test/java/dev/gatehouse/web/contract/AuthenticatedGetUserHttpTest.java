package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every JSON GET of an endpoint that Flask-Security answers with {@code response.user} for a
 * signed-in client ({@code base_render_json} with {@code form.user} set: {@code /login},
 * {@code /verify}, {@code /change}, {@code /change-email}, {@code /change-username},
 * {@code /us-signin}) carries the user payload beside the CSRF token, so a single-page app
 * learns who is signed in from whichever page it reloads.
 */
@HttpContract
class AuthenticatedGetUserHttpTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(CHANGEABLE, true).set(CHANGE_EMAIL, true).set(USERNAME_ENABLE, true)
                        .set(UNIFIED_SIGNIN, true).set(EXTERNAL_URL, "https://app.example.com"),
                WebOptions.builder().userPayload(u -> Map.of("email", u.email())).build());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/verify", "/change", "/change-email", "/change-username", "/us-signin"})
    void a_signed_in_json_get_answers_the_user_payload_and_a_csrf_token(String path) {
        User user = app.newUser("get-user");
        HttpClientSession client = app.signedIn(user);

        HttpClientSession.Reply reply = client.getJson(path);

        assertThat(reply.status()).as(path).isEqualTo(200);
        JsonNode response = reply.json().path("response");
        assertThat(response.path("user").path("email").asText()).as(path).isEqualTo(user.email());
        assertThat(response.path("csrf_token").asText()).as(path).isNotEmpty();
    }

    @Test
    void a_token_client_gets_the_user_from_get_change_too() {
        User user = app.newUser("token-user");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        HttpClientSession.Reply reply = app.client().getJson("/change", "Authentication-Token", token);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("response").path("user").path("email").asText()).isEqualTo(user.email());
        assertThat(reply.json().path("response").path("active_password").asBoolean()).isTrue();
    }

    @Test
    void an_anonymous_json_get_of_us_signin_names_no_user() {
        HttpClientSession.Reply reply = app.client().getJson("/us-signin");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("response").has("user")).isFalse();
        assertThat(reply.json().path("response").path("available_methods").get(0).asText()).isEqualTo("email");
    }
}
