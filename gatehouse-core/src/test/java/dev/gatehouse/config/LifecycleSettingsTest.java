package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of the account lifecycle: external URL, username rules and the cross-checks. */
class LifecycleSettingsTest {

    private static GatehouseConfig.Builder withSecret() {
        return GatehouseConfig.builder().secret(GatehouseConfigTest.SECRET);
    }

    @Test
    void the_external_url_is_an_absolute_https_url_and_loses_a_trailing_slash() {
        assertThat(withSecret().externalUrl("https://app.example.com/").build().externalUrl())
                .contains("https://app.example.com");
        assertThat(withSecret().externalUrl("https://app.example.com:8443/base").build().externalUrl())
                .contains("https://app.example.com:8443/base");
        assertThat(withSecret().externalUrl("http://localhost:7070").build().externalUrl()).contains("http://localhost:7070");
        assertThatThrownBy(() -> withSecret().externalUrl("http://app.example.com"))
                .hasMessageContaining("uses plain http");
        assertThatThrownBy(() -> withSecret().externalUrl("app.example.com")).hasMessageContaining("not an absolute URL");
        assertThatThrownBy(() -> withSecret().externalUrl("https://app.example.com/?next=evil"))
                .hasMessageContaining("not an absolute URL");
        assertThatThrownBy(() -> withSecret().externalUrl("https://user:pw@app.example.com"))
                .hasMessageContaining("not an absolute URL");
        assertThat(withSecret().build().externalUrl()).isEmpty();
    }

    @Test
    void features_that_mail_links_need_the_external_url() {
        assertThatThrownBy(() -> withSecret().recoverable(true).unifiedSignin(true).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("external-url is not set, but recoverable, unified-signin mail links");
        assertThat(withSecret().registerable(true).changeable(true).build().registerable())
                .as("registration without confirmation mails no link").isTrue();
        assertThat(withSecret().fromEnvironment(Map.of("GATEHOUSE_CONFIRMABLE", "true",
                "GATEHOUSE_EXTERNAL_URL", "https://app.example.com")).build().confirmable()).isTrue();
    }

    @Test
    void username_rules_must_agree() {
        assertThatThrownBy(() -> withSecret().usernameEnable(true).usernameMinLength(10).usernameMaxLength(5).build())
                .hasMessageContaining("username-min-length (10) is greater than username-max-length (5)");
        assertThatThrownBy(() -> withSecret().usernameRequired(true).build())
                .hasMessageContaining("username-required is true but username-enable is false");
    }

    @Test
    void lifecycle_defaults_are_safe() {
        GatehouseConfig c = withSecret().build();

        assertThat(c.returnGenericResponses()).isTrue();
        assertThat(c.emailUnknownAccounts()).isTrue();
        assertThat(c.autoLoginAfterReset()).isFalse();
        assertThat(c.lockoutEnabled()).isTrue();
        assertThat(c.lockoutUnlock()).isEqualTo("time");
        assertThat(c.rateLimitsEnabled()).isTrue();
        assertThat(c.loginCodeWithin()).hasMinutes(5);
        assertThatThrownBy(() -> withSecret().set("login-code-within", "11m")).hasMessageContaining("too long");
    }
}
