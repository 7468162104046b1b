package dev.gatehouse.examples.diary;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in with a provider in a real headless Chromium: the diary configured by environment
 * variables alone (as {@code scripts/demo} would be), the provider's button on the login page, the
 * round trip through an in-process OpenID Connect provider (its content security policy lets the
 * form go there), a diary entry, and sign-out through the provider's end-session endpoint back to
 * the diary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiaryOidcBrowserTest {

    @RegisterExtension
    static final Chromium BROWSER = Chromium.english();

    private MockOAuth2Server provider;
    private TestDiary diary;

    /** The web stack under test: Javalin here, Spring Boot in examples/diary-spring's subclass. */
    TestDiary.Stack stack() {
        return TestDiary.JAVALIN;
    }

    @BeforeAll
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

    @AfterAll
    void stop() {
        diary.close();
        provider.shutdown();
    }

    @AfterEach
    void no_console_errors() {
        assertThat(BROWSER.consoleErrors()).as("browser console errors").isEmpty();
    }

    @Test
    void the_providers_button_signs_in_a_new_writer_who_keeps_a_diary_and_signs_out_at_the_provider() {
        String email = TestDiary.email("provider");
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "browser-sub", JOSEObjectType.JWT.getType(), null,
                Map.of("email", email, "email_verified", true), 3600));

        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
        assertThat(BROWSER.text("form[action^='/login/oauthstart/mock'] button")).isEqualTo("Sign in with Mock ID");
        BROWSER.click("form[action^='/login/oauthstart/mock'] button");

        assertThat(BROWSER.path()).isEqualTo("/");
        assertThat(BROWSER.text("main")).contains("Hello, " + email + "!");
        BROWSER.type("content", "Written after signing in with a provider.");
        BROWSER.click("form[action='/entries'] button");
        assertThat(BROWSER.text(".gh-flash")).isEqualTo("Your entry is saved.");
        assertThat(BROWSER.text(".gh-list li .gh-prose")).isEqualTo("Written after signing in with a provider.");

        BROWSER.click("header form[action='/logout'] button");
        assertThat(BROWSER.url()).startsWith(diary.url());
        BROWSER.open(diary.url() + "/");
        assertThat(BROWSER.path()).isEqualTo("/login?next=%2F");
    }
}
