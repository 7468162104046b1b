package dev.gatehouse.config;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_RESET;
import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EMAIL_UNKNOWN_ACCOUNTS;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.LOGIN_CODE_WITHIN;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_MAX_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_MIN_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of the account lifecycle: external URL, username rules and the cross-checks. */
class LifecycleSettingsTest {

    private static GatehouseConfig.Builder withSecret() {
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(GatehouseConfigTest.SECRET));
    }

    @Test
    void the_external_url_is_an_absolute_https_url_and_loses_a_trailing_slash() {
        assertThat(withSecret().set(EXTERNAL_URL, "https://app.example.com/").build().get(EXTERNAL_URL))
                .contains("https://app.example.com");
        assertThat(withSecret().set(EXTERNAL_URL, "https://app.example.com:8443/base").build().get(EXTERNAL_URL))
                .contains("https://app.example.com:8443/base");
        assertThat(withSecret().set(EXTERNAL_URL, "http://localhost:7070").build().get(EXTERNAL_URL)).contains("http://localhost:7070");
        assertThatThrownBy(() -> withSecret().set(EXTERNAL_URL, "http://app.example.com"))
                .hasMessageContaining("uses plain http");
        assertThatThrownBy(() -> withSecret().set(EXTERNAL_URL, "app.example.com")).hasMessageContaining("not an absolute URL");
        assertThatThrownBy(() -> withSecret().set(EXTERNAL_URL, "https://app.example.com/?next=evil"))
                .hasMessageContaining("not an absolute URL");
        assertThatThrownBy(() -> withSecret().set(EXTERNAL_URL, "https://user:pw@app.example.com"))
                .hasMessageContaining("not an absolute URL");
        assertThat(withSecret().build().get(EXTERNAL_URL)).isEmpty();
    }

    @Test
    void features_that_mail_links_need_the_external_url() {
        assertThatThrownBy(() -> withSecret().set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("external-url is not set, but recoverable, unified-signin mail links");
        assertThat(withSecret().set(REGISTERABLE, true).set(CHANGEABLE, true).build().get(REGISTERABLE))
                .as("registration without confirmation mails no link").isTrue();
        assertThat(withSecret().fromEnvironment(Map.of("GATEHOUSE_CONFIRMABLE", "true",
                "GATEHOUSE_EXTERNAL_URL", "https://app.example.com")).build().get(CONFIRMABLE)).isTrue();
    }

    @Test
    void username_rules_must_agree() {
        assertThatThrownBy(() -> withSecret().set(USERNAME_ENABLE, true).set(USERNAME_MIN_LENGTH, 10).set(USERNAME_MAX_LENGTH, 5).build())
                .hasMessageContaining("username-min-length (10) is greater than username-max-length (5)");
        assertThatThrownBy(() -> withSecret().set(USERNAME_REQUIRED, true).build())
                .hasMessageContaining("username-required is true but username-enable is false");
    }

    @Test
    void lifecycle_defaults_are_safe() {
        GatehouseConfig c = withSecret().build();

        assertThat(c.get(RETURN_GENERIC_RESPONSES)).isTrue();
        assertThat(c.get(EMAIL_UNKNOWN_ACCOUNTS)).isTrue();
        assertThat(c.get(AUTO_LOGIN_AFTER_RESET)).isFalse();
        assertThat(c.get(LOCKOUT_ENABLED)).isTrue();
        assertThat(c.get(LOCKOUT_UNLOCK)).isEqualTo(LockoutUnlock.TIME);
        assertThat(c.get(RATE_LIMITS_ENABLED)).isTrue();
        assertThat(c.get(LOGIN_CODE_WITHIN)).hasMinutes(5);
        assertThatThrownBy(() -> withSecret().set("login-code-within", "11m")).hasMessageContaining("too long");
    }
}
