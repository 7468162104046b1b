package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatehouseConfigTest {

    static final String SECRET = "t0p-s3cret-Lq8vX2mN9pR4wK7zB1cD5fG";          // 35 bytes
    static final String OLD_SECRET = "old-s3cret-Yh6jT3uE8oI0aS2dF4gH7kL";       // 35 bytes

    private static GatehouseConfig.Builder withSecret() {
        return GatehouseConfig.builder().secret(SECRET);
    }

    private static InvalidConfigurationException failure(Runnable r) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, r::run);
        assertThat(e).as("an InvalidConfigurationException").isNotNull();
        assertThat(e.code()).isEqualTo("INVALID_CONFIGURATION");
        return e;
    }

    @Nested
    class Defaults {

        @Test
        void follow_flask_security_or_the_safer_choice_of_the_issue() {
            GatehouseConfig c = withSecret().build();

            assertThat(c.tokenMaxAge()).isEqualTo(Duration.ofMinutes(15));
            assertThat(c.freshness()).as("issue 10: minutes, not a day").isEqualTo(Duration.ofMinutes(15));
            assertThat(c.changeEmailRevertWithin()).isEqualTo(Duration.ofDays(7));
            assertThat(c.resetPasswordWithin()).isEqualTo(Duration.ofHours(1));
            assertThat(c.confirmEmailWithin()).isEqualTo(Duration.ofDays(5));
            assertThat(c.rememberCookieDuration()).isEqualTo(Duration.ofDays(30));
            assertThat(c.tokenAuthenticationHeader()).isEqualTo("Authentication-Token");
            assertThat(c.tokenAuthenticationKey()).isEqualTo("auth_token");
            assertThat(c.tokenAuthenticationQuery()).isEqualTo("non-get");
            assertThat(c.passwordHash()).isEqualTo("argon2id");
            assertThat(c.passwordLengthMin()).isEqualTo(8);
            assertThat(c.passwordLengthMax()).isEqualTo(128);
            assertThat(c.passwordCheckBreached()).isEqualTo("off");
            assertThat(c.cookieSecure()).isTrue();
            assertThat(c.returnGenericResponses()).isTrue();
            assertThat(c.defaultRememberMe()).isFalse();
            assertThat(c.logoutMethods()).containsExactly("POST");
            assertThat(c.trustedProxyCount()).isZero();
            assertThat(c.loginUrl()).isEqualTo("/login");
            assertThat(c.postLoginView()).isEqualTo("/");
            assertThat(c.emailSender()).isEqualTo("no-reply@localhost");
            assertThat(c.secretPrevious()).isEmpty();
        }

        @Test
        void every_feature_is_off() {
            GatehouseConfig c = withSecret().build();

            assertThat(List.of(c.registerable(), c.confirmable(), c.recoverable(), c.changeable(), c.changeEmail(),
                    c.usernameEnable(), c.usernameRecovery(), c.unifiedSignin(), c.trackable(), c.twoFactor(),
                    c.webauthn(), c.loginWithoutConfirmation())).containsOnly(false);
        }

        @Test
        void optional_settings_are_unset() {
            GatehouseConfig c = withSecret().build();

            assertThat(c.passwordSalt()).isEmpty();
            assertThat(c.unauthorizedView()).isEmpty();
            assertThat(c.urlPrefix()).isEmpty();
            assertThat(c.dbUrl()).isEmpty();
            assertThat(c.mailUsername()).isEmpty();
            assertThat(c.mailPassword()).isEmpty();
        }
    }

    @Nested
    class TheSecret {

        @Test
        void is_required_and_the_message_says_how_to_set_one() {
            InvalidConfigurationException e = failure(() -> GatehouseConfig.builder().build());

            assertThat(e.getMessage())
                    .startsWith("secret: not set")
                    .contains("GATEHOUSE_SECRET", ".secret(...)", "at least 32", "openssl rand -base64 48");
        }

        @Test
        void needs_32_bytes_and_the_message_never_shows_it() {
            String shortSecret = "sh0rt-but-n0t-enough-31-bytes-x";   // 31 bytes

            InvalidConfigurationException e = failure(() -> GatehouseConfig.builder().secret(shortSecret));

            assertThat(e.getMessage()).isEqualTo("secret: the value has 31 bytes; it needs at least 32"
                    + " (generate one with: openssl rand -base64 48)");
            assertThat(e.getMessage()).doesNotContain(shortSecret);
        }

        @Test
        void counts_utf8_bytes_not_characters() {
            String elevenEuros = "€".repeat(11);   // 11 characters, 33 bytes

            assertThat(GatehouseConfig.builder().secret(elevenEuros).build().secret().bytes()).hasSize(33);
        }

        @Test
        void from_the_environment_is_checked_the_same_way_without_echoing_it() {
            InvalidConfigurationException e = failure(() ->
                    GatehouseConfig.builder().fromEnvironment(Map.of("GATEHOUSE_SECRET", "hunter2")));

            assertThat(e.getMessage()).startsWith("GATEHOUSE_SECRET: the value has 7 bytes").doesNotContain("hunter2");
        }

        @Test
        void refuses_commas_so_it_can_move_to_secret_previous() {
            assertThat(failure(() -> GatehouseConfig.builder().secret(SECRET + ",more")).getMessage())
                    .isEqualTo("secret: the value contains a comma, which secrets cannot (lists of secrets are comma-separated)");
        }

        @Test
        void previous_secrets_are_a_comma_separated_list_each_checked() {
            GatehouseConfig c = withSecret().set("secret-previous", OLD_SECRET + ", " + SECRET.toUpperCase()).build();

            assertThat(c.secretPrevious()).extracting(Secret::reveal).containsExactly(OLD_SECRET, SECRET.toUpperCase());
            assertThat(failure(() -> withSecret().set("secret-previous", OLD_SECRET + ",tooshort")).getMessage())
                    .isEqualTo("secret-previous: the value has an item that has 8 bytes; it needs at least 32"
                            + " (generate one with: openssl rand -base64 48)");
        }
    }

    @Nested
    class StringInput {

        @Test
        void parses_each_type() {
            GatehouseConfig c = withSecret()
                    .set("registerable", "TRUE")
                    .set("token-max-age", "2h")
                    .set("password-length-min", "12")
                    .set("password-hash", "BCrypt")
                    .set("logout-methods", "post, get")
                    .set("csrf-protect-mechanisms", "")
                    .set("unauthorized-view", "/denied?from=x")
                    .set("db-url", "jdbc:h2:mem:test")
                    .build();

            assertThat(c.registerable()).isTrue();
            assertThat(c.tokenMaxAge()).isEqualTo(Duration.ofHours(2));
            assertThat(c.passwordLengthMin()).isEqualTo(12);
            assertThat(c.passwordHash()).isEqualTo("bcrypt");
            assertThat(c.logoutMethods()).containsExactly("POST", "GET");
            assertThat(c.csrfProtectMechanisms()).isEmpty();
            assertThat(c.unauthorizedView()).contains("/denied?from=x");
            assertThat(c.dbUrl()).contains("jdbc:h2:mem:test");
        }

        @Test
        void malformed_values_are_named_quoted_and_explained() {
            assertThat(failure(() -> withSecret().set("registerable", "yes")).getMessage())
                    .isEqualTo("registerable: \"yes\" is not a boolean; use true or false");
            assertThat(failure(() -> withSecret().set("token-max-age", "15x")).getMessage())
                    .startsWith("token-max-age: \"15x\" is not a duration; use e.g. 15m, 2h, 5d");
            assertThat(failure(() -> withSecret().set("reset-password-within", "2h")).getMessage())
                    .isEqualTo("reset-password-within: \"2h\" is too long; use at most 1h");
            assertThat(failure(() -> withSecret().set("mail-port", "0")).getMessage())
                    .isEqualTo("mail-port: \"0\" is out of range; use a whole number from 1 to 65535");
            assertThat(failure(() -> withSecret().set("mail-port", "25a")).getMessage())
                    .isEqualTo("mail-port: \"25a\" is not a whole number; use a whole number from 1 to 65535");
            assertThat(failure(() -> withSecret().set("password-hash", "md5")).getMessage())
                    .isEqualTo("password-hash: \"md5\" is not one of: argon2id, bcrypt, scrypt, pbkdf2-sha256, pbkdf2-sha512");
            assertThat(failure(() -> withSecret().set("logout-methods", "POST, DELETE")).getMessage())
                    .isEqualTo("logout-methods: \"POST, DELETE\" has an item \"DELETE\" that is not one of: GET, POST");
            assertThat(failure(() -> withSecret().set("logout-methods", "POST,,GET")).getMessage())
                    .contains("has an empty item");
            assertThat(failure(() -> withSecret().set("login-url", "//evil.example")).getMessage())
                    .startsWith("login-url: \"//evil.example\" is not a path on this site");
            assertThat(failure(() -> withSecret().set("email-sender", "nobody")).getMessage())
                    .startsWith("email-sender: \"nobody\" is not an email address");
            assertThat(failure(() -> withSecret().set("token-authentication-header", "Auth Token")).getMessage())
                    .startsWith("token-authentication-header: \"Auth Token\" is not an HTTP header name");
        }

        @Test
        void a_malformed_value_of_a_redacted_setting_is_not_echoed() {
            String url = "jdbc-postgresql://app:pa55word@db/app";

            InvalidConfigurationException e = failure(() -> withSecret().set("db-url", url));

            assertThat(e.getMessage()).startsWith("db-url: the value is not a JDBC URL").doesNotContain("pa55word");
        }

        @Test
        void quoted_values_are_shortened_and_control_characters_escaped() {
            String message = failure(() -> withSecret().set("registerable", "x\n" + "y".repeat(100))).getMessage();

            assertThat(message).contains("\"x\\u000ayyy").contains("…\" is not a boolean").doesNotContain("\n");
        }

        @Test
        void blank_unsets_an_optional_setting_but_not_one_with_a_default() {
            GatehouseConfig c = withSecret().set("unauthorized-view", "/denied").set("unauthorized-view", "  ").build();

            assertThat(c.unauthorizedView()).isEmpty();
            assertThat(failure(() -> withSecret().set("login-url", " ")).getMessage())
                    .startsWith("login-url: \"\" is not a path on this site");
        }

        @Test
        void unknown_names_fail_with_a_suggestion() {
            assertThat(failure(() -> withSecret().set("token-max-agee", "15m")).getMessage())
                    .isEqualTo("token-max-agee: no such setting (did you mean token-max-age?);"
                            + " the settings are listed in docs/configuration.md");
            assertThat(failure(() -> withSecret().set("frobnicate", "1")).getMessage())
                    .isEqualTo("frobnicate: no such setting; the settings are listed in docs/configuration.md");
        }
    }

    @Nested
    class Environment {

        @Test
        void reads_gatehouse_variables_and_ignores_all_others() {
            GatehouseConfig c = GatehouseConfig.builder().fromEnvironment(Map.of(
                    "GATEHOUSE_SECRET", SECRET,
                    "GATEHOUSE_REGISTERABLE", "true",
                    "GATEHOUSE_TOKEN_MAX_AGE", "PT30M",
                    "GATEHOUSE_SECRET_PREVIOUS", OLD_SECRET,
                    "PATH", "/usr/bin",
                    "gatehouse_registerable", "not-even-a-boolean",
                    "TOKEN_MAX_AGE", "garbage")).build();

            assertThat(c.secret().reveal()).isEqualTo(SECRET);
            assertThat(c.registerable()).isTrue();
            assertThat(c.tokenMaxAge()).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.secretPrevious()).extracting(Secret::reveal).containsExactly(OLD_SECRET);
        }

        @Test
        void reports_every_problem_at_once_without_values_of_unknown_variables_and_changes_nothing() {
            GatehouseConfig.Builder builder = withSecret();

            InvalidConfigurationException e = failure(() -> builder.fromEnvironment(Map.of(
                    "GATEHOUSE_TOKEN_MAX_AGE", "15x",
                    "GATEHOUSE_REGISTERABLE", "true",
                    "GATEHOUSE_CONFIRMABLE", "maybe",
                    "GATEHOUSE_SECRET_PREVIOS", "leaked-" + OLD_SECRET)));

            assertThat(e.problems()).containsExactly(
                    "GATEHOUSE_CONFIRMABLE: \"maybe\" is not a boolean; use true or false",
                    "GATEHOUSE_SECRET_PREVIOS: no such setting (did you mean GATEHOUSE_SECRET_PREVIOUS?);"
                            + " the settings are listed in docs/configuration.md",
                    "GATEHOUSE_TOKEN_MAX_AGE: \"15x\" is not a duration; " + Durations.EXPECTED);
            assertThat(e.getMessage()).startsWith("3 configuration problems: GATEHOUSE_CONFIRMABLE").doesNotContain("leaked");
            assertThat(builder.build().registerable()).as("the valid variable was not applied either").isFalse();
        }
    }

    @Nested
    class Properties_ {

        @Test
        void accept_plain_and_prefixed_keys() {
            Properties p = new Properties();
            p.setProperty("secret", SECRET);
            p.setProperty("gatehouse.token-max-age", "45m");
            p.setProperty("recoverable", " true ");
            p.setProperty("gatehouse.external-url", "https://app.example.com/");

            GatehouseConfig c = GatehouseConfig.builder().fromProperties(p).build();

            assertThat(c.tokenMaxAge()).isEqualTo(Duration.ofMinutes(45));
            assertThat(c.recoverable()).isTrue();
        }

        @Test
        void refuse_unknown_keys_and_a_setting_given_twice() {
            Properties p = new Properties();
            p.setProperty("gatehouse.registerabel", "true");
            p.setProperty("token-max-age", "1m");
            p.setProperty("gatehouse.token-max-age", "2m");

            InvalidConfigurationException e = failure(() -> withSecret().fromProperties(p));

            assertThat(e.problems()).containsExactly(
                    "gatehouse.registerabel: no such setting (did you mean registerable?);"
                            + " the settings are listed in docs/configuration.md",
                    "token-max-age: set twice, also as gatehouse.token-max-age; keep one");
        }

        @Test
        void load_from_a_utf8_file_whose_path_problems_name(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("gatehouse.properties");
            Files.writeString(file, "# Gatehouse\nsecret=" + SECRET + "\nemail-sender=bücher@example.com\n",
                    StandardCharsets.UTF_8);

            assertThat(GatehouseConfig.builder().fromPropertiesFile(file).build().emailSender())
                    .isEqualTo("bücher@example.com");

            Files.writeString(file, "confirm-email-within=-1d\n");
            assertThat(failure(() -> withSecret().fromPropertiesFile(file)).getMessage())
                    .isEqualTo(file + ": confirm-email-within: \"-1d\" is not a duration; " + Durations.EXPECTED);
        }

        @Test
        void a_missing_file_fails_naming_it(@TempDir Path dir) {
            Path missing = dir.resolve("nope.properties");

            assertThat(failure(() -> withSecret().fromPropertiesFile(missing)).getMessage())
                    .isEqualTo(missing + ": cannot read the properties file (no such file)");
        }
    }

    @Nested
    class Precedence {

        @Test
        void what_is_called_last_wins_setting_by_setting() {
            Properties file = new Properties();
            file.setProperty("token-max-age", "30m");
            file.setProperty("registerable", "true");

            GatehouseConfig envLast = withSecret()
                    .tokenMaxAge(Duration.ofMinutes(5))
                    .confirmable(true)
                    .externalUrl("https://app.example.com")
                    .fromProperties(file)
                    .fromEnvironment(Map.of("GATEHOUSE_TOKEN_MAX_AGE", "1h"))
                    .build();

            assertThat(envLast.tokenMaxAge()).isEqualTo(Duration.ofHours(1));   // env over file over code
            assertThat(envLast.registerable()).isTrue();                        // only the file set it
            assertThat(envLast.confirmable()).isTrue();                         // only code set it

            GatehouseConfig codeLast = withSecret()
                    .fromEnvironment(Map.of("GATEHOUSE_TOKEN_MAX_AGE", "1h"))
                    .tokenMaxAge(Duration.ofMinutes(5))
                    .build();

            assertThat(codeLast.tokenMaxAge()).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Nested
    class TypedSetters {

        @Test
        void validate_immediately_with_the_same_messages() {
            assertThat(failure(() -> withSecret().tokenMaxAge(Duration.ofMinutes(-1))).getMessage())
                    .isEqualTo("token-max-age: \"PT-1M\" is negative; use a positive duration between 1s and 365d");
            assertThat(failure(() -> withSecret().passwordLengthMin(0)).getMessage())
                    .isEqualTo("password-length-min: \"0\" is out of range; use a whole number from 1 to 1024");
            assertThat(failure(() -> withSecret().passwordHash("sha1")).getMessage())
                    .startsWith("password-hash: \"sha1\" is not one of");
            assertThat(failure(() -> withSecret().logoutMethods(List.of("PUT"))).getMessage())
                    .startsWith("logout-methods: \"PUT\" has an item \"PUT\" that is not one of: GET, POST");
            assertThat(failure(() -> withSecret().mailPassword("")).getMessage())
                    .isEqualTo("mail-password: the value is empty; set the SMTP password");
        }

        @Test
        void normalize_like_text_input() {
            GatehouseConfig c = withSecret().passwordHash("PBKDF2-SHA512").logoutMethods(List.of("get")).build();

            assertThat(c.passwordHash()).isEqualTo("pbkdf2-sha512");
            assertThat(c.logoutMethods()).containsExactly("GET");
        }

        @Test
        void returned_lists_are_immutable() {
            GatehouseConfig c = withSecret().secretPrevious(List.of(OLD_SECRET)).build();

            assertThatThrownBy(() -> c.secretPrevious().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> c.logoutMethods().add("GET")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void the_builder_does_not_share_state_with_built_configs() {
            GatehouseConfig.Builder builder = withSecret().registerable(true);
            GatehouseConfig first = builder.build();

            builder.registerable(false);

            assertThat(first.registerable()).isTrue();
            assertThat(builder.build().registerable()).isFalse();
        }
    }

    @Nested
    class CrossChecks {

        @Test
        void are_reported_together_at_build() {
            InvalidConfigurationException e = failure(() -> withSecret()
                    .passwordLengthMin(20).passwordLengthMax(10)
                    .sessionIdleTimeout(Duration.ofHours(2)).sessionAbsoluteTimeout(Duration.ofHours(1))
                    .mailUseTls(true).mailUseSsl(true)
                    .usernameRecovery(true)
                    .build());

            assertThat(e.problems()).hasSize(4);
            assertThat(e.problems().get(0)).startsWith("password-length-min (20) is greater than password-length-max (10)");
            assertThat(e.problems().get(1)).startsWith("session-idle-timeout (2h) is longer than session-absolute-timeout (1h)");
            assertThat(e.problems().get(2)).startsWith("mail-use-tls and mail-use-ssl are both true");
            assertThat(e.problems().get(3)).startsWith("username-recovery is true but username-enable is false");
        }

        @Test
        void the_default_locale_must_be_a_supported_one() {
            InvalidConfigurationException e = failure(() -> withSecret()
                    .supportedLocales(java.util.List.of("de", "fr")).defaultLocale("en").build());

            assertThat(e.problems()).containsExactly("default-locale (en) is not one of supported-locales (de, fr);"
                    + " add it there or choose one of them");
            assertThat(withSecret().fromEnvironment(java.util.Map.of("GATEHOUSE_DEFAULT_LOCALE", "de",
                    "GATEHOUSE_SUPPORTED_LOCALES", "de, fr-CA")).build().supportedLocales()).containsExactly("de", "fr-CA");
        }

        @Test
        void include_a_missing_secret() {
            InvalidConfigurationException e = failure(() ->
                    GatehouseConfig.builder().passwordLengthMin(20).passwordLengthMax(10).build());

            assertThat(e.problems()).hasSize(2);
            assertThat(e.problems().get(0)).startsWith("secret: not set");
        }
    }

    @Nested
    class ToString {

        @Test
        void shows_changed_settings_and_never_a_secret() {
            String salt = "fs-salt-of-the-imported-app";
            String mailPassword = "smtp-pa55word";
            String dbUrl = "jdbc:postgresql://db/app?user=app&password=db-pa55word";
            GatehouseConfig c = withSecret()
                    .secretPrevious(List.of(OLD_SECRET))
                    .passwordSalt(salt)
                    .mailPassword(mailPassword)
                    .dbUrl(dbUrl)
                    .registerable(true)
                    .tokenMaxAge(Duration.ofMinutes(90))
                    .build();

            String text = c.toString();

            assertThat(text).doesNotContain(SECRET, OLD_SECRET, salt, mailPassword, "db-pa55word", "postgresql");
            assertThat(text).contains("secret=<redacted>", "secret-previous=<redacted>", "password-salt=<redacted>",
                    "mail-password=<redacted>", "db-url=<redacted>", "registerable=true", "token-max-age=90m");
            assertThat(text).doesNotContain("confirmable", "login-url");
            assertThat(c.secret()).hasToString("<redacted>");
        }
    }
}
