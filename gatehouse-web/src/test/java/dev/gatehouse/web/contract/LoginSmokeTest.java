package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@HttpContract
class LoginSmokeTest {

    private final TestApp app = new TestApp();

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void an_spa_signs_in_over_json_and_its_session_cookie_authenticates() {
        app.user("alice@example.com", "correct horse battery");
        HttpClientSession browser = app.client();

        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
        HttpClientSession.Reply login = browser.login("alice@example.com", "correct horse battery");

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(login.json().path("response").path("csrf_token").asText()).isNotEmpty();
        assertThat(login.setCookie("gatehouse_session")).contains("HttpOnly").contains("SameSite=Lax");
        HttpClientSession.Reply me = browser.getJson("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo("alice@example.com");
        assertThat(browser.get("/public").body()).isEqualTo("user alice@example.com");
    }
}
