package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps the registry, the typed API and the naming rules in step. */
class SettingsTest {

    private static final Registry REGISTRY = new Registry(List.of());

    @Test
    void every_public_constant_of_settings_is_a_registered_key_named_after_its_setting() throws IllegalAccessException {
        List<SettingKey<?>> constants = new java.util.ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                assertThat(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())).as(f.getName()).isTrue();
                SettingKey<?> key = (SettingKey<?>) f.get(null);
                assertThat(f.getName()).isEqualTo(key.name().toUpperCase(Locale.ROOT).replace('-', '_'));
                assertThat(f.getType()).as("%s may be unset exactly when it is an OptionalSetting", f.getName())
                        .isEqualTo(key.defaultValue().isPresent() || key.required ? Setting.class : OptionalSetting.class);
                constants.add(key);
            }
        }
        List<SettingKey<?>> registered = Settings.GROUPS.stream().flatMap(g -> g.settings().stream()).toList();
        assertThat(constants).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void the_configuration_has_no_per_setting_methods_left() {
        Set<String> methods = Arrays.stream(GatehouseConfig.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName).collect(Collectors.toSet());
        assertThat(methods).containsExactlyInAnyOrder("get", "ids", "builder", "toString");
        Set<String> builderMethods = Arrays.stream(GatehouseConfig.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName).collect(Collectors.toSet());
        assertThat(builderMethods).containsExactlyInAnyOrder("set", "fromProperties", "fromPropertiesFile", "fromEnvironment", "build");
    }

    @Test
    void names_map_to_environment_variables() {
        SettingKey<?> s = REGISTRY.byName("token-max-age").orElseThrow();

        assertThat(s).isSameAs(Settings.TOKEN_MAX_AGE);
        assertThat(s.envName()).isEqualTo("GATEHOUSE_TOKEN_MAX_AGE");
        assertThat(REGISTRY.byEnvName("GATEHOUSE_TOKEN_MAX_AGE")).containsSame(s);
        assertThat(s.flaskNames).containsExactly("SECURITY_TOKEN_MAX_AGE");
    }

    @Test
    void defaults_pass_their_own_validation_and_round_trip_through_text() throws BadValue {
        for (SettingKey<?> s : REGISTRY.all) {
            if (s.defaultValue().isPresent() && !s.type.redacted()) {
                assertDefaultRoundTrips(s);
            }
        }
    }

    private static <T> void assertDefaultRoundTrips(SettingKey<T> s) throws BadValue {
        T value = s.defaultValue().orElseThrow();
        assertThat(s.type.normalize(value)).as(s.name).isEqualTo(value);
        assertThat(s.type.parse(s.type.format(value))).as(s.name).isEqualTo(value);
    }

    @Test
    void the_defaults_with_a_secret_form_a_valid_configuration() {
        assertThatCode(() -> GatehouseConfig.builder().set(Settings.SECRET, Secret.of(GatehouseConfigTest.SECRET)).build()).doesNotThrowAnyException();
    }

    @Test
    void descriptions_are_one_sentence_lines_and_flask_names_are_unique() {
        for (SettingKey<?> s : REGISTRY.all) {
            assertThat(s.description).as(s.name).doesNotContain("\n", "|").endsWith(".").hasSizeLessThan(160);
        }
        List<String> flaskNames = REGISTRY.all.stream().flatMap(s -> s.flaskNames.stream()).toList();
        assertThat(flaskNames).doesNotHaveDuplicates().allMatch(n -> n.matches("[A-Z][A-Z_]+"));
    }

    @Test
    void secrets_and_the_database_url_are_redacted() {
        Set<String> redacted = REGISTRY.all.stream().filter(s -> s.type.redacted()).map(s -> s.name)
                .collect(Collectors.toSet());

        assertThat(redacted).containsExactlyInAnyOrder("secret", "secret-previous", "password-salt", "mail-password", "db-url");
    }
}
