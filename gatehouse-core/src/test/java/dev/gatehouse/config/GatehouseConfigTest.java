package dev.gatehouse.config;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_REVERT_WITHIN;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.CONFIRM_EMAIL_WITHIN;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.CSRF_PROTECT_MECHANISMS;
import static dev.gatehouse.config.Settings.DB_URL;
import static dev.gatehouse.config.Settings.DEFAULT_LOCALE;
import static dev.gatehouse.config.Settings.DEFAULT_REMEMBER_ME;
import static dev.gatehouse.config.Settings.EMAIL_SENDER;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.LOGOUT_METHODS;
import static dev.gatehouse.config.Settings.MAIL_PASSWORD;
import static dev.gatehouse.config.Settings.MAIL_USERNAME;
import static dev.gatehouse.config.Settings.MAIL_USE_SSL;
import static dev.gatehouse.config.Settings.MAIL_USE_TLS;
import static dev.gatehouse.config.Settings.PASSWORD_CHECK_BREACHED;
import static dev.gatehouse.config.Settings.PASSWORD_HASH;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MAX;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MIN;
import static dev.gatehouse.config.Settings.PASSWORD_SALT;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.RESET_PASSWORD_WITHIN;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.config.Settings.SESSION_IDLE_TIMEOUT;
import static dev.gatehouse.config.Settings.SUPPORTED_LOCALES;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_HEADER;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_KEY;
import static dev.gatehouse.config.Settings.TOKEN_AUTHENTICATION_QUERY;
import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static dev.gatehouse.config.Settings.UNAUTHORIZED_VIEW;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.URL_PREFIX;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
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
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(SECRET));
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

            assertThat(c.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(15));
            assertThat(c.get(FRESHNESS)).as("issue 10: minutes, not a day").isEqualTo(Duration.ofMinutes(15));
            assertThat(c.get(CHANGE_EMAIL_REVERT_WITHIN)).isEqualTo(Duration.ofDays(7));
            assertThat(c.get(RESET_PASSWORD_WITHIN)).isEqualTo(Duration.ofHours(1));
            assertThat(c.get(CONFIRM_EMAIL_WITHIN)).isEqualTo(Duration.ofDays(5));
            assertThat(c.get(REMEMBER_COOKIE_DURATION)).isEqualTo(Duration.ofDays(30));
            assertThat(c.get(TOKEN_AUTHENTICATION_HEADER)).isEqualTo("Authentication-Token");
            assertThat(c.get(TOKEN_AUTHENTICATION_KEY)).isEqualTo("auth_token");
            assertThat(c.get(TOKEN_AUTHENTICATION_QUERY)).isEqualTo(TokenInQuery.NON_GET);
            assertThat(c.get(PASSWORD_HASH)).isEqualTo(PasswordHashAlgorithm.ARGON2ID);
            assertThat(c.get(PASSWORD_LENGTH_MIN)).isEqualTo(8);
            assertThat(c.get(PASSWORD_LENGTH_MAX)).isEqualTo(128);
            assertThat(c.get(PASSWORD_CHECK_BREACHED)).isEqualTo(BreachCheckMode.OFF);
            assertThat(c.get(COOKIE_SECURE)).isTrue();
            assertThat(c.get(RETURN_GENERIC_RESPONSES)).isTrue();
            assertThat(c.get(DEFAULT_REMEMBER_ME)).isFalse();
            assertThat(c.get(LOGOUT_METHODS)).containsExactly(LogoutMethod.POST);
            assertThat(c.get(TRUSTED_PROXY_COUNT)).isZero();
            assertThat(c.get(LOGIN_URL)).isEqualTo("/login");
            assertThat(c.get(POST_LOGIN_VIEW)).isEqualTo("/");
            assertThat(c.get(EMAIL_SENDER)).isEqualTo("no-reply@localhost");
            assertThat(c.get(SECRET_PREVIOUS)).isEmpty();
        }

        @Test
        void every_feature_is_off() {
            GatehouseConfig c = withSecret().build();

            assertThat(List.of(c.get(REGISTERABLE), c.get(CONFIRMABLE), c.get(RECOVERABLE), c.get(CHANGEABLE), c.get(CHANGE_EMAIL),
                    c.get(USERNAME_ENABLE), c.get(USERNAME_RECOVERY), c.get(UNIFIED_SIGNIN), c.get(TRACKABLE),
                    c.get(LOGIN_WITHOUT_CONFIRMATION))).containsOnly(false);
        }

        @Test
        void optional_settings_are_unset() {
            GatehouseConfig c = withSecret().build();

            assertThat(c.get(PASSWORD_SALT)).isEmpty();
            assertThat(c.get(UNAUTHORIZED_VIEW)).isEmpty();
            assertThat(c.get(URL_PREFIX)).isEmpty();
            assertThat(c.get(DB_URL)).isEmpty();
            assertThat(c.get(MAIL_USERNAME)).isEmpty();
            assertThat(c.get(MAIL_PASSWORD)).isEmpty();
        }
    }

    @Nested
    class TheSecret {

        @Test
        void is_required_and_the_message_says_how_to_set_one() {
            InvalidConfigurationException e = failure(() -> GatehouseConfig.builder().build());

            assertThat(e.getMessage())
                    .startsWith("secret: not set")
                    .contains("GATEHOUSE_SECRET", ".set(Settings.SECRET, ...)", "at least 32", "openssl rand -base64 48");
        }

        /** Issue 14 point 3: {@code secret(System.getenv("GATEHOUSE_SECRET"))} with the variable unset. */
        @Test
        void missing_is_the_same_clear_error_however_it_is_given() {
            Map<String, Runnable> ways = new java.util.LinkedHashMap<>();
            ways.put("Gatehouse.builder().secret(null)", () -> dev.gatehouse.Gatehouse.builder().secret(null));
            ways.put("Gatehouse.builder().secret(blank)", () -> dev.gatehouse.Gatehouse.builder().secret("   "));
            ways.put("set(SECRET, null)", () -> GatehouseConfig.builder().set(Settings.SECRET, null));
            ways.put("set(SECRET, Secret.of(null))", () -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of(null)));
            ways.put("set(SECRET, Secret.of(\"\"))", () -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of("")));
            ways.put("set(SECRET, Secret.of(blank))", () -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of(" \t ")));
            ways.put("set(\"secret\", null)", () -> GatehouseConfig.builder().set("secret", null));
            ways.put("set(\"secret\", blank)", () -> GatehouseConfig.builder().set("secret", "  "));
            ways.put("empty GATEHOUSE_SECRET", () -> GatehouseConfig.builder().fromEnvironment(Map.of("GATEHOUSE_SECRET", "")));
            ways.put("blank GATEHOUSE_SECRET", () -> GatehouseConfig.builder().fromEnvironment(Map.of("GATEHOUSE_SECRET", "  ")));
            ways.put("blank in properties", () -> {
                Properties p = new Properties();
                p.setProperty("gatehouse.secret", " ");
                GatehouseConfig.builder().fromProperties(p);
            });
            ways.put("never given", () -> GatehouseConfig.builder().build());

            ways.forEach((way, r) -> assertThat(failure(r).getMessage()).as(way)
                    .contains(": no", "and there is no default; set the environment variable GATEHOUSE_SECRET",
                            "secret in the properties file", ".set(Settings.SECRET, ...)", "at least 32 random bytes",
                            "generate one with: openssl rand -base64 48"));
        }

        @Test
        void too_short_says_how_to_generate_one_however_it_is_given() {
            assertThat(failure(() -> dev.gatehouse.Gatehouse.builder().secret("short")).getMessage())
                    .isEqualTo("secret: the value has 5 bytes; it needs at least 32 (generate one with: openssl rand -base64 48)");
            assertThat(failure(() -> GatehouseConfig.builder().set("secret", "short")).getMessage())
                    .isEqualTo("secret: the value has 5 bytes; it needs at least 32 (generate one with: openssl rand -base64 48)");
            assertThat(failure(() -> GatehouseConfig.builder().fromEnvironment(Map.of("GATEHOUSE_SECRET", "short"))).getMessage())
                    .isEqualTo("GATEHOUSE_SECRET: the value has 5 bytes; it needs at least 32 (generate one with: openssl rand -base64 48)");
        }

        @Test
        void needs_32_bytes_and_the_message_never_shows_it() {
            String shortSecret = "sh0rt-but-n0t-enough-31-bytes-x";   // 31 bytes

            InvalidConfigurationException e = failure(() -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of(shortSecret)));

            assertThat(e.getMessage()).isEqualTo("secret: the value has 31 bytes; it needs at least 32"
                    + " (generate one with: openssl rand -base64 48)");
            assertThat(e.getMessage()).doesNotContain(shortSecret);
        }

        @Test
        void counts_utf8_bytes_not_characters() {
            String elevenEuros = "€".repeat(11);   // 11 characters, 33 bytes

            assertThat(GatehouseConfig.builder().set(Settings.SECRET, Secret.of(elevenEuros)).build().get(Settings.SECRET).bytes()).hasSize(33);
        }

        @Test
        void from_the_environment_is_checked_the_same_way_without_echoing_it() {
            InvalidConfigurationException e = failure(() ->
                    GatehouseConfig.builder().fromEnvironment(Map.of("GATEHOUSE_SECRET", "hunter2")));

            assertThat(e.getMessage()).startsWith("GATEHOUSE_SECRET: the value has 7 bytes").doesNotContain("hunter2");
        }

        @Test
        void refuses_commas_so_it_can_move_to_secret_previous() {
            assertThat(failure(() -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of(SECRET + ",more"))).getMessage())
                    .isEqualTo("secret: the value contains a comma, which secrets cannot (lists of secrets are comma-separated)");
        }

        @Test
        void previous_secrets_are_a_comma_separated_list_each_checked() {
            GatehouseConfig c = withSecret().set("secret-previous", OLD_SECRET + ", " + SECRET.toUpperCase()).build();

            assertThat(c.get(SECRET_PREVIOUS)).extracting(Secret::reveal).containsExactly(OLD_SECRET, SECRET.toUpperCase());
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

            assertThat(c.get(REGISTERABLE)).isTrue();
            assertThat(c.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(2));
            assertThat(c.get(PASSWORD_LENGTH_MIN)).isEqualTo(12);
            assertThat(c.get(PASSWORD_HASH)).isEqualTo(PasswordHashAlgorithm.BCRYPT);
            assertThat(c.get(LOGOUT_METHODS)).containsExactly(LogoutMethod.POST, LogoutMethod.GET);
            assertThat(c.get(CSRF_PROTECT_MECHANISMS)).isEmpty();
            assertThat(c.get(UNAUTHORIZED_VIEW)).contains("/denied?from=x");
            assertThat(c.get(DB_URL)).contains("jdbc:h2:mem:test");
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

            assertThat(c.get(UNAUTHORIZED_VIEW)).isEmpty();
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

            assertThat(c.get(Settings.SECRET).reveal()).isEqualTo(SECRET);
            assertThat(c.get(REGISTERABLE)).isTrue();
            assertThat(c.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.get(SECRET_PREVIOUS)).extracting(Secret::reveal).containsExactly(OLD_SECRET);
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
            assertThat(builder.build().get(REGISTERABLE)).as("the valid variable was not applied either").isFalse();
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

            assertThat(c.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(45));
            assertThat(c.get(RECOVERABLE)).isTrue();
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

            assertThat(GatehouseConfig.builder().fromPropertiesFile(file).build().get(EMAIL_SENDER))
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
                    .set(TOKEN_MAX_AGE, Duration.ofMinutes(5))
                    .set(CONFIRMABLE, true)
                    .set(EXTERNAL_URL, "https://app.example.com")
                    .fromProperties(file)
                    .fromEnvironment(Map.of("GATEHOUSE_TOKEN_MAX_AGE", "1h"))
                    .build();

            assertThat(envLast.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(1));   // env over file over code
            assertThat(envLast.get(REGISTERABLE)).isTrue();                        // only the file set it
            assertThat(envLast.get(CONFIRMABLE)).isTrue();                         // only code set it

            GatehouseConfig codeLast = withSecret()
                    .fromEnvironment(Map.of("GATEHOUSE_TOKEN_MAX_AGE", "1h"))
                    .set(TOKEN_MAX_AGE, Duration.ofMinutes(5))
                    .build();

            assertThat(codeLast.get(TOKEN_MAX_AGE)).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Nested
    class TypedSetters {

        @Test
        void validate_immediately_with_the_same_messages() {
            assertThat(failure(() -> withSecret().set(TOKEN_MAX_AGE, Duration.ofMinutes(-1))).getMessage())
                    .isEqualTo("token-max-age: \"PT-1M\" is negative; use a positive duration between 1s and 365d");
            assertThat(failure(() -> withSecret().set(PASSWORD_LENGTH_MIN, 0)).getMessage())
                    .isEqualTo("password-length-min: \"0\" is out of range; use a whole number from 1 to 1024");
            assertThat(failure(() -> withSecret().set("password-hash", "sha1")).getMessage())
                    .startsWith("password-hash: \"sha1\" is not one of");
            assertThat(failure(() -> withSecret().set("logout-methods", "PUT")).getMessage())
                    .startsWith("logout-methods: \"PUT\" has an item \"PUT\" that is not one of: GET, POST");
            assertThat(failure(() -> withSecret().set(MAIL_PASSWORD, Secret.of(""))).getMessage())
                    .isEqualTo("mail-password: the value is empty; set the SMTP password");
        }

        @Test
        void normalize_like_text_input() {
            GatehouseConfig c = withSecret().set("password-hash", "PBKDF2-SHA512").set("logout-methods", "get").build();

            assertThat(c.get(PASSWORD_HASH)).isEqualTo(PasswordHashAlgorithm.PBKDF2_SHA512);
            assertThat(c.get(LOGOUT_METHODS)).containsExactly(LogoutMethod.GET);
        }

        @Test
        void returned_lists_are_immutable() {
            GatehouseConfig c = withSecret().set(SECRET_PREVIOUS, List.of(Secret.of(OLD_SECRET))).build();

            assertThatThrownBy(() -> c.get(SECRET_PREVIOUS).clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> c.get(LOGOUT_METHODS).add(LogoutMethod.GET)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void the_builder_does_not_share_state_with_built_configs() {
            GatehouseConfig.Builder builder = withSecret().set(REGISTERABLE, true);
            GatehouseConfig first = builder.build();

            builder.set(REGISTERABLE, false);

            assertThat(first.get(REGISTERABLE)).isTrue();
            assertThat(builder.build().get(REGISTERABLE)).isFalse();
        }
    }

    @Nested
    class CrossChecks {

        @Test
        void are_reported_together_at_build() {
            InvalidConfigurationException e = failure(() -> withSecret()
                    .set(PASSWORD_LENGTH_MIN, 20).set(PASSWORD_LENGTH_MAX, 10)
                    .set(SESSION_IDLE_TIMEOUT, Duration.ofHours(2)).set(SESSION_ABSOLUTE_TIMEOUT, Duration.ofHours(1))
                    .set(MAIL_USE_TLS, true).set(MAIL_USE_SSL, true)
                    .set(USERNAME_RECOVERY, true)
                    .build());

            assertThat(e.problems()).hasSize(4);
            assertThat(e.problems().get(0)).startsWith("password-length-min (20) is greater than password-length-max (10)");
            assertThat(e.problems().get(1)).startsWith("session-idle-timeout (2h) is longer than session-absolute-timeout (1h)");
            assertThat(e.problems().get(2)).startsWith("mail-use-tls and mail-use-ssl are both true");
            assertThat(e.problems().get(3)).startsWith("username-recovery is true but username-enable is false");
        }

        @Test
        void cookie_names_must_all_differ() {
            InvalidConfigurationException e = failure(() -> withSecret()
                    .set("cookie-name-prefix", "diary").set("session-cookie-name", "diary_remember").build());

            assertThat(e.problems()).containsExactly("session-cookie-name, remember-cookie-name, csrf-cookie-name and the names"
                    + " made from cookie-name-prefix (diary_remember, diary_remember, diary_csrf, diary_flash, diary_signin_code)"
                    + " are not all different; one cookie would overwrite another");
        }

        @Test
        void a_cookie_name_cannot_bring_its_own_host_prefix() {
            InvalidConfigurationException e = failure(() -> withSecret().set("session-cookie-name", "__Host-sid").build());

            assertThat(e.problems()).singleElement().asString().startsWith("session-cookie-name");
        }

        @Test
        void the_default_locale_must_be_a_supported_one() {
            InvalidConfigurationException e = failure(() -> withSecret()
                    .set(SUPPORTED_LOCALES, java.util.List.of("de", "fr")).set(DEFAULT_LOCALE, "en").build());

            assertThat(e.problems()).containsExactly("default-locale (en) is not one of supported-locales (de, fr);"
                    + " add it there or choose one of them");
            assertThat(withSecret().fromEnvironment(java.util.Map.of("GATEHOUSE_DEFAULT_LOCALE", "de",
                    "GATEHOUSE_SUPPORTED_LOCALES", "de, fr-CA")).build().get(SUPPORTED_LOCALES)).containsExactly("de", "fr-CA");
        }

        @Test
        void include_a_missing_secret() {
            InvalidConfigurationException e = failure(() ->
                    GatehouseConfig.builder().set(PASSWORD_LENGTH_MIN, 20).set(PASSWORD_LENGTH_MAX, 10).build());

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
                    .set(SECRET_PREVIOUS, List.of(Secret.of(OLD_SECRET)))
                    .set(PASSWORD_SALT, Secret.of(salt))
                    .set(MAIL_PASSWORD, Secret.of(mailPassword))
                    .set(DB_URL, dbUrl)
                    .set(REGISTERABLE, true)
                    .set(TOKEN_MAX_AGE, Duration.ofMinutes(90))
                    .build();

            String text = c.toString();

            assertThat(text).doesNotContain(SECRET, OLD_SECRET, salt, mailPassword, "db-pa55word", "postgresql");
            assertThat(text).contains("secret=<redacted>", "secret-previous=<redacted>", "password-salt=<redacted>",
                    "mail-password=<redacted>", "db-url=<redacted>", "registerable=true", "token-max-age=90m");
            assertThat(text).doesNotContain("confirmable", "login-url");
            assertThat(c.get(Settings.SECRET)).hasToString("<redacted>");
        }
    }
}
