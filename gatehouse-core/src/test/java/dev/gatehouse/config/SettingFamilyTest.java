package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings repeated per id ({@link SettingFamily}), contributed by a module's {@link SettingGroup}
 * (this test's group is listed in the test resources' {@code META-INF/services}, as a module's
 * would be): read from properties, the environment and code, validated, redacted and documented
 * like ordinary settings.
 */
class SettingFamilyTest {

    /** What a module such as gatehouse-oidc would ship: a list of ids, and settings per id. */
    public static final class ProvidersGroup implements SettingGroup {

        static final Setting<List<String>> PROVIDERS = Setting.define("idp-providers",
                ValueType.listOf(ValueType.familyId()), List.of(), "The ids of the identity providers in use.");
        static final SettingFamily<String> ISSUER = SettingFamily.define("idp", "issuer", ValueType.externalUrl(),
                "The provider's issuer URL; unset: the provider cannot be used.");
        static final SettingFamily<Secret> CLIENT_SECRET = SettingFamily.define("idp", "client-secret",
                ValueType.secret(16, "copy it from the provider's console"), "The client secret.");
        /** A suffix that another suffix ends with: the environment's longest-suffix rule decides. */
        static final SettingFamily<Secret> SECRET = SettingFamily.define("idp", "secret",
                ValueType.secret(16, "copy it from the provider's console"), "A second secret.");
        static final SettingFamily<Duration> TIMEOUT = SettingFamily.define("idp", "timeout",
                ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(1)), Duration.ofSeconds(10),
                "How long to wait for the provider.");
        static final SettingFamily<Boolean> ENABLED = SettingFamily.define("idp", "enabled", ValueType.bool(), true,
                "Whether the provider is offered.");

        @Override
        public String title() {
            return "Test identity providers";
        }

        @Override
        public List<SettingKey<?>> settings() {
            return List.of(PROVIDERS);
        }

        @Override
        public List<SettingFamily<?>> families() {
            return List.of(ISSUER, CLIENT_SECRET, SECRET, TIMEOUT, ENABLED);
        }

        @Override
        public List<String> check(GatehouseConfig config) {
            List<String> problems = new ArrayList<>();
            for (String id : config.get(PROVIDERS)) {
                if (config.get(ISSUER, id).isEmpty()) {
                    problems.add("idp-providers lists " + id + ", but " + ISSUER.name(id) + " is not set");
                }
            }
            return problems;
        }
    }

    private static final String CLIENT_SECRET_VALUE = "client-s3cret-0123456789";
    private static final String OTHER_SECRET_VALUE = "other-s3cret-9876543210";

    private static GatehouseConfig.Builder withSecret() {
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(GatehouseConfigTest.SECRET));
    }

    private static List<String> problems(Runnable r) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, r::run);
        assertThat(e).as("an InvalidConfigurationException").isNotNull();
        return e.problems();
    }

    @Nested
    class Naming {

        @Test
        void names_and_environment_variables_follow_prefix_id_and_suffix() {
            assertThat(ProvidersGroup.CLIENT_SECRET.prefix()).isEqualTo("idp");
            assertThat(ProvidersGroup.CLIENT_SECRET.suffix()).isEqualTo("client-secret");
            assertThat(ProvidersGroup.CLIENT_SECRET.name("keycloak")).isEqualTo("idp.keycloak.client-secret");
            assertThat(ProvidersGroup.CLIENT_SECRET.envName("my-corp")).isEqualTo("GATEHOUSE_IDP_MY_CORP_CLIENT_SECRET");
            assertThat(ProvidersGroup.CLIENT_SECRET).hasToString("idp.<id>.client-secret");
            assertThat(ProvidersGroup.TIMEOUT.defaultValue()).contains(Duration.ofSeconds(10));
            assertThat(ProvidersGroup.ISSUER.defaultValue()).isEmpty();
        }

        @Test
        void ids_are_short_lower_case_kebab_words() {
            assertThat(List.of("a", "keycloak", "my-corp", "entra2", "a" + "b".repeat(31)))
                    .allMatch(SettingFamily::isValidId);
            assertThat(List.of("", "Keycloak", "2fa", "-x", "my_corp", "my.corp", "a" + "b".repeat(32), "ké"))
                    .noneMatch(SettingFamily::isValidId);
            assertThat(SettingFamily.isValidId(null)).isFalse();
            assertThatThrownBy(() -> ProvidersGroup.ISSUER.name("My")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"My\"");
            assertThatThrownBy(() -> ProvidersGroup.ISSUER.envName("my_corp")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void definitions_are_checked() {
            assertThatThrownBy(() -> SettingFamily.define("Idp", "issuer", ValueType.bool(), "x."))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kebab-case: Idp");
            assertThatThrownBy(() -> SettingFamily.define("idp", "client.id", ValueType.bool(), "x."))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kebab-case: client.id");
            assertThatThrownBy(() -> SettingFamily.define("gatehouse", "x", ValueType.bool(), "x."))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SettingFamily.define("idp", "wait", ValueType.duration(Duration.ofSeconds(1),
                    Duration.ofMinutes(1)), Duration.ofHours(1), "x.")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idp.<id>.wait: the default is too long; use at most 1m");
        }
    }

    @Nested
    class Sources {

        @Test
        void a_properties_file_sets_members_with_or_without_the_gatehouse_prefix(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("gatehouse.properties");
            Files.writeString(file, """
                    idp-providers=keycloak, my-corp
                    idp.keycloak.issuer=https://sso.example.com/realms/app
                    idp.keycloak.client-secret=%s
                    gatehouse.idp.my-corp.issuer=https://login.example.org/
                    gatehouse.idp.my-corp.timeout=30s
                    idp.my-corp.enabled=false
                    """.formatted(CLIENT_SECRET_VALUE));

            GatehouseConfig config = withSecret().fromPropertiesFile(file).build();

            assertThat(config.get(ProvidersGroup.PROVIDERS)).containsExactly("keycloak", "my-corp");
            assertThat(config.get(ProvidersGroup.ISSUER, "keycloak")).contains("https://sso.example.com/realms/app");
            assertThat(config.get(ProvidersGroup.ISSUER, "my-corp")).as("normalized like the type's other uses")
                    .contains("https://login.example.org");
            assertThat(config.get(ProvidersGroup.CLIENT_SECRET, "keycloak").map(Secret::reveal)).contains(CLIENT_SECRET_VALUE);
            assertThat(config.get(ProvidersGroup.CLIENT_SECRET, "my-corp")).isEmpty();
            assertThat(config.get(ProvidersGroup.TIMEOUT, "my-corp")).contains(Duration.ofSeconds(30));
            assertThat(config.get(ProvidersGroup.TIMEOUT, "keycloak")).as("the default").contains(Duration.ofSeconds(10));
            assertThat(config.get(ProvidersGroup.ENABLED, "my-corp")).contains(false);
            assertThat(config.get(ProvidersGroup.ENABLED, "keycloak")).contains(true);
            assertThat(config.ids("idp")).containsExactly("keycloak", "my-corp");
        }

        @Test
        void environment_variables_set_members_with_ids_in_upper_case_and_underscores() {
            GatehouseConfig config = withSecret().fromEnvironment(Map.of(
                    "GATEHOUSE_IDP_PROVIDERS", "my-corp",
                    "GATEHOUSE_IDP_MY_CORP_ISSUER", "https://login.example.org",
                    "GATEHOUSE_IDP_MY_CORP_TIMEOUT", "5s",
                    "GATEHOUSE_IDP_X_ENABLED", "false",
                    "PATH", "/usr/bin")).build();

            assertThat(config.get(ProvidersGroup.PROVIDERS)).as("an exact setting name wins").containsExactly("my-corp");
            assertThat(config.get(ProvidersGroup.ISSUER, "my-corp")).contains("https://login.example.org");
            assertThat(config.get(ProvidersGroup.TIMEOUT, "my-corp")).contains(Duration.ofSeconds(5));
            assertThat(config.get(ProvidersGroup.ENABLED, "x")).contains(false);
            assertThat(config.ids("idp")).containsExactly("my-corp", "x");
        }

        @Test
        void in_the_environment_the_longest_matching_suffix_decides_where_the_id_ends() {
            GatehouseConfig config = withSecret().fromEnvironment(Map.of(
                    "GATEHOUSE_IDP_MY_CLIENT_SECRET", CLIENT_SECRET_VALUE,
                    "GATEHOUSE_IDP_MY_CORP_SECRET", OTHER_SECRET_VALUE)).build();

            assertThat(config.get(ProvidersGroup.CLIENT_SECRET, "my").map(Secret::reveal)).contains(CLIENT_SECRET_VALUE);
            assertThat(config.get(ProvidersGroup.SECRET, "my-client")).isEmpty();
            assertThat(config.get(ProvidersGroup.SECRET, "my-corp").map(Secret::reveal)).contains(OTHER_SECRET_VALUE);
            assertThat(config.ids("idp")).containsExactly("my", "my-corp");

            // What the environment cannot say, a properties file can.
            Properties properties = new Properties();
            properties.setProperty("idp.my-client.secret", OTHER_SECRET_VALUE);
            GatehouseConfig fromFile = withSecret().fromProperties(properties).build();
            assertThat(fromFile.get(ProvidersGroup.SECRET, "my-client").map(Secret::reveal)).contains(OTHER_SECRET_VALUE);
            assertThat(fromFile.get(ProvidersGroup.CLIENT_SECRET, "my")).isEmpty();
        }

        @Test
        void code_sets_members_typed_or_as_text_and_the_last_call_wins() {
            GatehouseConfig config = withSecret()
                    .set(ProvidersGroup.TIMEOUT, "a", Duration.ofSeconds(20))
                    .set(ProvidersGroup.ISSUER, "a", "https://a.example.com/")
                    .set(ProvidersGroup.ISSUER, "b", "https://b.example.com")
                    .set("idp.b.timeout", "3s")
                    .fromEnvironment(Map.of("GATEHOUSE_IDP_A_TIMEOUT", "40s"))
                    .set("idp.b.issuer", "")
                    .build();

            assertThat(config.get(ProvidersGroup.TIMEOUT, "a")).contains(Duration.ofSeconds(40));
            assertThat(config.get(ProvidersGroup.ISSUER, "a")).contains("https://a.example.com");
            assertThat(config.get(ProvidersGroup.TIMEOUT, "b")).contains(Duration.ofSeconds(3));
            assertThat(config.get(ProvidersGroup.ISSUER, "b")).as("blank unsets a member without default").isEmpty();
            assertThat(config.get(ProvidersGroup.ISSUER, "c")).isEmpty();
            assertThat(config.get(ProvidersGroup.TIMEOUT, "c")).contains(Duration.ofSeconds(10));
        }

        @Test
        void blank_does_not_unset_a_member_with_a_default() {
            assertThat(problems(() -> withSecret().set("idp.a.timeout", " ")))
                    .containsExactly("idp.a.timeout: \"\" is not a duration; use e.g. 15m, 2h, 5d (units ms, s, m, h, d) or ISO-8601 such as PT1H30M");
        }
    }

    @Nested
    class Validation {

        @Test
        void a_file_reports_every_problem_with_the_full_name_and_changes_nothing(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("gatehouse.properties");
            Files.writeString(file, """
                    idp.a.timeout=2h
                    idp.a.issuer=http://sso.example.com
                    idp.a.client-secret=short-s3cret
                    idp.a.issur=https://sso.example.com
                    idp.a.colour=blue
                    idp.a=x
                    idp.My_Corp.issuer=https://sso.example.com
                    idp.b.enabled=false
                    idp.b.timeout=5s
                    gatehouse.idp.b.timeout=6s
                    """);
            GatehouseConfig.Builder builder = withSecret();

            assertThat(problems(() -> builder.fromPropertiesFile(file))).containsExactlyInAnyOrder(
                    file + ": idp.a.timeout: \"2h\" is too long; use at most 1m",
                    file + ": idp.a.issuer: \"http://sso.example.com\" uses plain http, which would send emailed tokens "
                            + "in the clear; use https:// (http is allowed for localhost only)",
                    file + ": idp.a.client-secret: the value has 12 bytes; it needs at least 16 (copy it from the provider's console)",
                    file + ": idp.a.issur: no such setting (did you mean idp.a.issuer?); idp.<id>. is followed by one of: "
                            + "issuer, client-secret, secret, timeout, enabled; the settings are listed in docs/configuration.md",
                    file + ": idp.a.colour: no such setting; idp.<id>. is followed by one of: "
                            + "issuer, client-secret, secret, timeout, enabled; the settings are listed in docs/configuration.md",
                    file + ": idp.a: no such setting; idp.<id>. is followed by one of: "
                            + "issuer, client-secret, secret, timeout, enabled; the settings are listed in docs/configuration.md",
                    file + ": idp.My_Corp.issuer: the id \"My_Corp\" is not valid; use 1-32 lower-case letters, digits and -, "
                            + "starting with a letter",
                    file + ": idp.b.timeout: set twice, also as gatehouse.idp.b.timeout; keep one");

            GatehouseConfig unchanged = builder.build();
            assertThat(unchanged.get(ProvidersGroup.ENABLED, "b")).as("all or nothing").contains(true);
            assertThat(unchanged.ids("idp")).isEmpty();
        }

        @Test
        void the_environment_reports_bad_ids_and_unknown_suffixes_naming_the_variable() {
            assertThat(problems(() -> withSecret().fromEnvironment(Map.of(
                    "GATEHOUSE_IDP_Corp_ISSUER", "https://sso.example.com",
                    "GATEHOUSE_IDP_A" + "B".repeat(32) + "_ISSUER", "https://sso.example.com",
                    "GATEHOUSE_IDP_MY_CORP_ISSUR", "https://sso.example.com",
                    "GATEHOUSE_IDP_CORP_CLIENT_SECRT", "s3cret-not-to-be-shown",
                    "GATEHOUSE_IDP_CORP_COLOUR", "blue",
                    "GATEHOUSE_IDP_CORP_TIMEOUT", "forever",
                    "GATEHOUSE_IDP_CORP_SECRET", "short")))).containsExactlyInAnyOrder(
                    "GATEHOUSE_IDP_Corp_ISSUER: the id \"Corp\" is not valid; in environment variables use 1-32 upper-case "
                            + "letters, digits and _ (for -), starting with a letter",
                    "GATEHOUSE_IDP_A" + "B".repeat(32) + "_ISSUER: the id \"A" + "B".repeat(32) + "\" is not valid; in "
                            + "environment variables use 1-32 upper-case letters, digits and _ (for -), starting with a letter",
                    "GATEHOUSE_IDP_MY_CORP_ISSUR: no such setting (did you mean GATEHOUSE_IDP_MY_CORP_ISSUER?); "
                            + "GATEHOUSE_IDP_<ID>_ is followed by one of: ISSUER, CLIENT_SECRET, SECRET, TIMEOUT, ENABLED"
                            + "; the settings are listed in docs/configuration.md",
                    "GATEHOUSE_IDP_CORP_CLIENT_SECRT: no such setting (did you mean GATEHOUSE_IDP_CORP_CLIENT_SECRET?); "
                            + "GATEHOUSE_IDP_<ID>_ is followed by one of: ISSUER, CLIENT_SECRET, SECRET, TIMEOUT, ENABLED"
                            + "; the settings are listed in docs/configuration.md",
                    "GATEHOUSE_IDP_CORP_COLOUR: no such setting; "
                            + "GATEHOUSE_IDP_<ID>_ is followed by one of: ISSUER, CLIENT_SECRET, SECRET, TIMEOUT, ENABLED"
                            + "; the settings are listed in docs/configuration.md",
                    "GATEHOUSE_IDP_CORP_TIMEOUT: \"forever\" is not a duration; use e.g. 15m, 2h, 5d (units ms, s, m, h, d) or ISO-8601 such as PT1H30M",
                    "GATEHOUSE_IDP_CORP_SECRET: the value has 5 bytes; it needs at least 16 (copy it from the provider's console)");
        }

        @Test
        void code_is_checked_the_same_way() {
            assertThat(problems(() -> withSecret().set(ProvidersGroup.TIMEOUT, "a", Duration.ofHours(2))))
                    .containsExactly("idp.a.timeout: \"2h\" is too long; use at most 1m");
            assertThat(problems(() -> withSecret().set(ProvidersGroup.CLIENT_SECRET, "a", Secret.of("short"))))
                    .containsExactly("idp.a.client-secret: the value has 5 bytes; it needs at least 16 (copy it from the provider's console)");
            assertThat(problems(() -> withSecret().set(ProvidersGroup.ISSUER, "Entra", "https://sso.example.com")))
                    .containsExactly("idp.<id>.issuer: the id \"Entra\" is not valid; use 1-32 lower-case letters, digits "
                            + "and -, starting with a letter");
            assertThat(problems(() -> withSecret().set("idp.a.issuer", "not a url")))
                    .containsExactly("idp.a.issuer: \"not a url\" is not an absolute URL; use e.g. https://app.example.com "
                            + "(no query or fragment)");
            assertThat(problems(() -> withSecret().set("idp-providers", "keycloak, Entra")))
                    .containsExactly("idp-providers: \"keycloak, Entra\" has an item \"Entra\" that is not an id; use 1-32 "
                            + "lower-case letters, digits and -, starting with a letter");
        }

        @Test
        void names_under_no_family_prefix_are_unknown_settings_as_before() {
            assertThat(problems(() -> withSecret().set("idq.a.issuer", "https://sso.example.com")))
                    .containsExactly("idq.a.issuer: no such setting; the settings are listed in docs/configuration.md");
            assertThat(problems(() -> withSecret().fromEnvironment(Map.of("GATEHOUSE_IDP", "x"))))
                    .containsExactly("GATEHOUSE_IDP: no such setting; the settings are listed in docs/configuration.md");
        }

        @Test
        void reading_needs_a_valid_id_and_a_registered_family() {
            GatehouseConfig config = withSecret().build();
            SettingFamily<String> stray = SettingFamily.define("stray", "issuer", ValueType.externalUrl(), "Not in any group.");

            assertThatThrownBy(() -> config.get(ProvidersGroup.ISSUER, "Bad")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> config.get(stray, "a")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stray.<id>.issuer: not a registered setting family");
            assertThatThrownBy(() -> withSecret().set(stray, "a", "https://a.example.com"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> config.ids("stray")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stray: no registered setting family has this prefix");
        }
    }

    @Nested
    class Reading {

        @Test
        void ids_lists_each_id_with_any_value_under_the_prefix_sorted_and_unmodifiable() {
            GatehouseConfig config = withSecret()
                    .set(ProvidersGroup.TIMEOUT, "zeta", Duration.ofSeconds(10))
                    .set(ProvidersGroup.ISSUER, "alpha", "https://a.example.com")
                    .set(ProvidersGroup.ENABLED, "alpha", false)
                    .set(ProvidersGroup.ISSUER, "mid-1", "https://m.example.com")
                    .build();

            assertThat(config.ids("idp")).containsExactly("alpha", "mid-1", "zeta");
            assertThatThrownBy(() -> config.ids("idp").add("x")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void to_string_shows_members_that_differ_from_the_default_and_redacts_secrets() {
            GatehouseConfig config = withSecret()
                    .set(ProvidersGroup.ISSUER, "keycloak", "https://sso.example.com")
                    .set(ProvidersGroup.CLIENT_SECRET, "keycloak", Secret.of(CLIENT_SECRET_VALUE))
                    .set(ProvidersGroup.TIMEOUT, "keycloak", Duration.ofSeconds(10))
                    .set(ProvidersGroup.TIMEOUT, "entra", Duration.ofSeconds(30))
                    .build();

            assertThat(config.toString())
                    .contains("idp.entra.timeout=30s, idp.keycloak.client-secret=<redacted>, "
                            + "idp.keycloak.issuer=https://sso.example.com")
                    .doesNotContain(CLIENT_SECRET_VALUE, GatehouseConfigTest.SECRET, "idp.keycloak.timeout");
        }

        @Test
        void a_malformed_secret_member_is_never_echoed() {
            List<String> problems = problems(() -> withSecret().fromProperties(properties(
                    "idp.a.client-secret", "tiny,secret-0123456789")));

            assertThat(problems).containsExactly("idp.a.client-secret: the value contains a comma, which secrets cannot "
                    + "(lists of secrets are comma-separated)");
        }

        private static Properties properties(String key, String value) {
            Properties p = new Properties();
            p.setProperty(key, value);
            return p;
        }
    }

    @Nested
    class GroupChecks {

        @Test
        void a_group_checks_its_settings_together_at_build() {
            GatehouseConfig.Builder builder = withSecret().set("idp-providers", "keycloak, entra")
                    .set("idp.keycloak.issuer", "https://sso.example.com");

            assertThat(problems(builder::build)).containsExactly("idp-providers lists entra, but idp.entra.issuer is not set");
            assertThatCode(() -> builder.set("idp.entra.issuer", "https://login.example.com").build())
                    .doesNotThrowAnyException();
        }

        @Test
        void group_checks_run_only_once_gatehouse_own_settings_are_complete() {
            assertThat(problems(() -> GatehouseConfig.builder().set("idp-providers", "entra").build()))
                    .singleElement().asString().startsWith("secret: not set");
        }
    }

    @Nested
    class Registration {

        private static SettingGroup group(String title, List<SettingKey<?>> settings, List<SettingFamily<?>> families) {
            return new SettingGroup() {
                @Override
                public String title() {
                    return title;
                }

                @Override
                public List<SettingKey<?>> settings() {
                    return settings;
                }

                @Override
                public List<SettingFamily<?>> families() {
                    return families;
                }
            };
        }

        private static SettingFamily<Boolean> family(String prefix, String suffix) {
            return SettingFamily.define(prefix, suffix, ValueType.bool(), false, "A test family.");
        }

        @Test
        void two_families_with_one_name_clash() {
            SettingGroup a = group("A", List.of(), List.of(family("zz", "on")));
            SettingGroup b = group("B", List.of(), List.of(family("zz", "on")));

            assertThatThrownBy(() -> new Registry(List.of(a, b))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("two setting families named zz.<id>.on");
        }

        @Test
        void a_prefix_extending_another_clashes_in_the_environment() {
            SettingGroup a = group("A", List.of(), List.of(family("zz", "on"), family("zz-top", "on")));

            assertThatThrownBy(() -> new Registry(List.of(a))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the setting family prefixes zz and zz-top clash");
        }

        @Test
        void a_setting_whose_environment_variable_reads_as_a_member_clashes() {
            Setting<Boolean> setting = Setting.define("zz-default-on", ValueType.bool(), false, "A test setting.");
            SettingGroup a = group("A", List.of(setting), List.of(family("zz", "on")));

            assertThatThrownBy(() -> new Registry(List.of(a))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the environment variable GATEHOUSE_ZZ_DEFAULT_ON of setting zz-default-on would also "
                            + "name zz.default.on of the family zz.<id>.on; rename one");
        }

        @Test
        void settings_sharing_the_prefix_otherwise_and_overlapping_suffixes_are_fine() {
            Setting<Boolean> setting = Setting.define("zz-on", ValueType.bool(), false, "A test setting.");
            SettingGroup a = group("A", List.of(setting), List.of(family("zz", "on"), family("zz", "turned-on"),
                    family("zzz", "on")));

            assertThatCode(() -> new Registry(List.of(a))).doesNotThrowAnyException();
        }

        @Test
        void the_documentation_lists_families_in_their_group() {
            String doc = ConfigurationDoc.render(Registry.get());

            assertThat(doc).contains("## Test identity providers\n")
                    .contains("| `idp-providers` | `GATEHOUSE_IDP_PROVIDERS` | comma-separated list, each a setting id "
                            + "(lower-case letters, digits and -) | empty | The ids of the identity providers in use. |\n"
                            + "| `idp.<id>.issuer` | `GATEHOUSE_IDP_<ID>_ISSUER` | absolute https URL | unset |")
                    .contains("| `idp.<id>.timeout` | `GATEHOUSE_IDP_<ID>_TIMEOUT` | duration, 1s–1m | `10s` |")
                    .contains("| `idp.<id>.client-secret` | `GATEHOUSE_IDP_<ID>_CLIENT_SECRET` | secret, at least 16 bytes | unset |")
                    .contains("`idp.<id>.enabled`.")
                    .contains("- **Per-id settings.**");
            assertThat(ConfigurationDoc.render()).as("docs/configuration.md holds Gatehouse's own settings only")
                    .doesNotContain("idp.", "GATEHOUSE_IDP", "Test identity providers");
        }
    }
}
