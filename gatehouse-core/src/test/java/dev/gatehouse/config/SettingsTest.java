package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps the registry, the typed API and the naming rules in step. */
class SettingsTest {

    @Test
    void every_setting_has_a_typed_getter_and_a_typed_builder_method_and_nothing_else_does() {
        for (Setting<?> s : Settings.ALL) {
            assertThat(publicMethods(GatehouseConfig.class, s.methodName(), 0))
                    .as("GatehouseConfig.%s()", s.methodName()).hasSize(1);
            assertThat(publicMethods(GatehouseConfig.Builder.class, s.methodName(), 1))
                    .as("GatehouseConfig.Builder.%s(...)", s.methodName()).hasSize(1);
            Method getter = publicMethods(GatehouseConfig.class, s.methodName(), 0).get(0);
            assertThat(getter.getReturnType() == Optional.class)
                    .as("%s() returns Optional exactly when the setting may be unset", s.methodName())
                    .isEqualTo(s.optional());
        }
        Set<String> settingMethods = Settings.ALL.stream().map(Setting::methodName).collect(Collectors.toSet());
        Set<String> getters = Arrays.stream(GatehouseConfig.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> !n.equals("toString"))
                .collect(Collectors.toSet());
        assertThat(getters).as("no getter without a setting").isEqualTo(settingMethods);
    }

    @Test
    void names_map_to_environment_variables_and_methods() {
        Setting<?> s = Settings.byName("token-max-age").orElseThrow();

        assertThat(s.envName()).isEqualTo("GATEHOUSE_TOKEN_MAX_AGE");
        assertThat(s.methodName()).isEqualTo("tokenMaxAge");
        assertThat(Settings.byEnvName("GATEHOUSE_TOKEN_MAX_AGE")).containsSame(s);
        assertThat(s.flaskNames).containsExactly("SECURITY_TOKEN_MAX_AGE");
    }

    @Test
    void defaults_pass_their_own_validation_and_round_trip_through_text() throws BadValue {
        for (Setting<?> s : Settings.ALL) {
            if (s.defaultValue().isPresent() && !s.type.redacted()) {
                assertDefaultRoundTrips(s);
            }
        }
    }

    private static <T> void assertDefaultRoundTrips(Setting<T> s) throws BadValue {
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
        for (Setting<?> s : Settings.ALL) {
            assertThat(s.description).as(s.name).doesNotContain("\n", "|").endsWith(".").hasSizeLessThan(160);
        }
        List<String> flaskNames = Settings.ALL.stream().flatMap(s -> s.flaskNames.stream()).toList();
        assertThat(flaskNames).doesNotHaveDuplicates().allMatch(n -> n.matches("[A-Z][A-Z_]+"));
    }

    @Test
    void secrets_and_the_database_url_are_redacted() {
        Set<String> redacted = Settings.ALL.stream().filter(s -> s.type.redacted()).map(s -> s.name)
                .collect(Collectors.toSet());

        assertThat(redacted).containsExactlyInAnyOrder("secret", "secret-previous", "password-salt", "mail-password", "db-url");
    }

    private static List<Method> publicMethods(Class<?> type, String name, int parameters) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == parameters
                        && Modifier.isPublic(m.getModifiers()))
                .toList();
    }
}
