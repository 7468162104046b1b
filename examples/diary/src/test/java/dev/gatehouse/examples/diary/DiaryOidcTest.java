package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's diary: started as {@code scripts/demo} starts it, with a provider configured by
 * environment variables alone, the login page shows the provider's button; signing in with the
 * provider creates the local user (a Writer, as every registered user), who keeps a diary like
 * anyone else, and finds the same user the next time.
 */
class DiaryOidcTest {

    private MockOAuth2Server provider;
    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeEach
    void start() {
        provider = new MockOAuth2Server();
        provider.start();
        diary = TestDiary.start(stack(), Map.of(
                "GATEHOUSE_OIDC_PROVIDERS", "mock",
                "GATEHOUSE_OIDC_MOCK_ISSUER", provider.issuerUrl("default").toString(),
                "GATEHOUSE_OIDC_MOCK_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_MOCK_CLIENT_SECRET", "the diary's client secret",
                "GATEHOUSE_OIDC_MOCK_DISPLAY_NAME", "Mock ID"));
    }

    @AfterEach
    void stop() {
        diary.close();
        provider.shutdown();
    }

    @Test
    void a_provider_configured_by_environment_signs_in_a_new_writer_who_keeps_a_diary() throws Exception {
        HttpSession browser = diary.client();
        String login = browser.get("/login").body();
        assertThat(login).contains("Sign in with Mock ID").contains("action=\"/login/oauthstart/mock\"");

        signInWithProvider(browser, "sub-zoe", "zoe@example.com");
        assertThat(browser.write("Signed in with a provider").status()).isEqualTo(302);
        assertThat(browser.get("/").body()).contains("Signed in with a provider");

        HttpSession again = diary.client();
        signInWithProvider(again, "sub-zoe", "zoe@example.com");
        assertThat(again.get("/").body()).contains("Signed in with a provider");
    }

    private void signInWithProvider(HttpSession browser, String subject, String email) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", subject, JOSEObjectType.JWT.getType(), null,
                Map.of("email", email, "email_verified", true), 3600));
        String csrf = browser.get("/login").csrf();
        HttpSession.Reply start = browser.postForm("/login/oauthstart/mock", Map.of("csrf_token", csrf));
        assertThat(start.status()).isEqualTo(302);
        HttpResponse<String> atProvider = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(start.header("Location"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(diary.url() + "/login/oauthresponse/mock?");
        HttpSession.Reply done = browser.get(callback.substring(diary.url().length()));
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.header("Location")).isEqualTo("/");
        assertThat(List.copyOf(browser.cookies.keySet())).anyMatch(name -> name.endsWith("gatehouse_session"));
    }
}
