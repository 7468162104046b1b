package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's settings, contributed through {@link SettingGroup} and discovered on the class path
 * (this test's group is listed in the test resources' {@code META-INF/services}), parse, validate
 * and document like Gatehouse's own.
 */
class ContributedSettingsTest {

    /** What a module such as gatehouse-oidc would ship. */
    public static final class ExampleGroup implements SettingGroup {

        static final Setting<String> CALLBACK_URL = Setting.define("example-callback-url", ValueType.urlPath(),
                "/example/callback", "Where the example provider sends users back to.");
        static final Setting<Duration> STATE_WITHIN = Setting.define("example-state-within",
                ValueType.duration(Duration.ofMinutes(1), Duration.ofHours(1)), Duration.ofMinutes(10),
                "How long a sign-in with the example provider may take.");
        static final Setting<LockoutScope> SCOPE = Setting.define("example-scope", ValueType.choice(LockoutScope.class),
                LockoutScope.ACCOUNT, "A choice, to show enums work for modules too.");
        static final OptionalSetting<Secret> CLIENT_SECRET = OptionalSetting.define("example-client-secret",
                ValueType.secret(16, "copy it from the provider's console"), "The client secret; unset: the provider is off.");

        @Override
        public String title() {
            return "Example provider";
        }

        @Override
        public List<SettingKey<?>> settings() {
            return List.of(CALLBACK_URL, STATE_WITHIN, SCOPE, CLIENT_SECRET);
        }
    }

    private static GatehouseConfig.Builder withSecret() {
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(GatehouseConfigTest.SECRET));
    }

    @Test
    void a_properties_file_sets_contributed_settings(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gatehouse.properties");
        Files.writeString(file, """
                registerable=true
                example-callback-url=/oidc/back
                gatehouse.example-state-within=5m
                example-scope=Account-And-Address
                example-client-secret=0123456789abcdef-secret
                """);

        GatehouseConfig config = withSecret().fromPropertiesFile(file).build();

        assertThat(config.get(Settings.REGISTERABLE)).isTrue();
        assertThat(config.get(ExampleGroup.CALLBACK_URL)).isEqualTo("/oidc/back");
        assertThat(config.get(ExampleGroup.STATE_WITHIN)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.get(ExampleGroup.SCOPE)).isEqualTo(LockoutScope.ACCOUNT_AND_ADDRESS);
        assertThat(config.get(ExampleGroup.CLIENT_SECRET).map(Secret::reveal)).contains("0123456789abcdef-secret");
        assertThat(config.toString()).contains("example-callback-url=/oidc/back").doesNotContain("abcdef-secret");
    }

    @Test
    void contributed_settings_have_defaults_typed_setters_and_environment_variables() {
        GatehouseConfig defaults = withSecret().build();
        assertThat(defaults.get(ExampleGroup.CALLBACK_URL)).isEqualTo("/example/callback");
        assertThat(defaults.get(ExampleGroup.CLIENT_SECRET)).isEmpty();

        GatehouseConfig config = withSecret().set(ExampleGroup.CALLBACK_URL, "/in/code")
                .fromEnvironment(Map.of("GATEHOUSE_EXAMPLE_STATE_WITHIN", "2m")).build();
        assertThat(config.get(ExampleGroup.CALLBACK_URL)).isEqualTo("/in/code");
        assertThat(config.get(ExampleGroup.STATE_WITHIN)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void contributed_settings_are_validated_with_the_same_messages_and_unknown_keys_still_fail(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("gatehouse.properties");
        Files.writeString(file, """
                example-state-within=2h
                example-callback-urls=/x
                flux-capacitor=true
                """);

        assertThatThrownBy(() -> withSecret().fromPropertiesFile(file))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactlyInAnyOrder(
                        file + ": example-callback-urls: no such setting (did you mean example-callback-url?)"
                                + "; the settings are listed in docs/configuration.md",
                        file + ": example-state-within: \"2h\" is too long; use at most 1h",
                        file + ": flux-capacitor: no such setting; the settings are listed in docs/configuration.md"));
        assertThatThrownBy(() -> withSecret().set(ExampleGroup.CALLBACK_URL, "no-slash"))
                .hasMessageStartingWith("example-callback-url: \"no-slash\" is not a path on this site");
    }

    @Test
    void the_documentation_lists_contributed_groups_under_their_title() {
        String doc = ConfigurationDoc.render(Registry.get());

        assertThat(doc).contains("## Example provider\n")
                .contains("| `example-state-within` | `GATEHOUSE_EXAMPLE_STATE_WITHIN` | duration, 1m–1h | `10m` |")
                .contains("| `example-scope` | `GATEHOUSE_EXAMPLE_SCOPE` | one of account, account-and-address | `account` |")
                .contains("| `example-client-secret` | `GATEHOUSE_EXAMPLE_CLIENT_SECRET` | secret, at least 16 bytes | unset |");
        assertThat(ConfigurationDoc.render()).as("docs/configuration.md holds Gatehouse's own settings only")
                .doesNotContain("example-");
    }

    @Test
    void a_key_whose_group_is_not_on_the_class_path_is_refused() {
        Setting<String> stray = Setting.define("stray-setting", ValueType.urlPath(), "/stray", "Not in any group.");
        GatehouseConfig config = withSecret().build();

        assertThatThrownBy(() -> config.get(stray)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stray-setting: not a registered setting");
        assertThatThrownBy(() -> withSecret().set(stray, "/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
