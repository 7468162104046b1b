package dev.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Spring's property sources feed Gatehouse's configuration with relaxed names, Spring's precedence and Gatehouse's errors. */
class SpringSettingsTest {

    private static final String SECRET = "test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz";

    private final StandardEnvironment environment = new StandardEnvironment();

    SpringSettingsTest() {
        MutablePropertySources sources = environment.getPropertySources();
        // Only what each test adds: the process's own environment and system properties stay out.
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    }

    /** Adds a source below those already added (lower precedence), as application.properties is below the environment. */
    private void lowest(String name, Map<String, Object> properties) {
        environment.getPropertySources().addLast(new MapPropertySource(name, properties));
    }

    private GatehouseConfig config() {
        GatehouseConfig.Builder builder = GatehouseConfig.builder();
        SpringSettings.apply(environment, builder);
        return builder.build();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void kebabCamelAndUnderscoreNamesAreTheSameSetting() {
        lowest("application.properties", map("gatehouse.secret", SECRET, "gatehouse.token-max-age", "2h",
                "gatehouse.passwordLengthMin", 12, "gatehouse.url_prefix", "/auth", "gatehouse.registerable", true));
        GatehouseConfig config = config();
        assertThat(config.get(Settings.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(2));
        assertThat(config.get(Settings.PASSWORD_LENGTH_MIN)).isEqualTo(12);
        assertThat(config.get(Settings.URL_PREFIX)).contains("/auth");
        assertThat(config.get(Settings.REGISTERABLE)).isTrue();
    }

    @Test
    void canonicalNames() {
        assertThat(SpringSettings.canonical("tokenMaxAge")).isEqualTo("token-max-age");
        assertThat(SpringSettings.canonical("token_max_age")).isEqualTo("token-max-age");
        assertThat(SpringSettings.canonical("token-max-age")).isEqualTo("token-max-age");
        assertThat(SpringSettings.canonical("oidc.keycloak.clientId")).isEqualTo("oidc.keycloak.client-id");
        assertThat(SpringSettings.canonical("supportedLocales[1]")).isEqualTo("supported-locales[1]");
        assertThat(SpringSettings.canonical("totp2Issuer")).isEqualTo("totp2-issuer");
    }

    @Test
    void higherPrecedenceWinsAndEnvironmentVariablesCount() {
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                map("GATEHOUSE_TOKEN_MAX_AGE", "3h", "PATH", "/usr/bin")));
        lowest("application.properties", map("gatehouse.secret", SECRET, "gatehouse.token-max-age", "2h",
                "gatehouse.registerable", "true"));
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", map("gatehouse.registerable", "false")));
        GatehouseConfig config = config();
        assertThat(config.get(Settings.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(3));
        assertThat(config.get(Settings.REGISTERABLE)).isFalse();
    }

    @Test
    void yamlListsAndPlaceholders() {
        lowest("application.yaml", map("gatehouse.secret", "${app.secret}", "app.secret", SECRET,
                "gatehouse.supported-locales[1]", "de", "gatehouse.supported-locales[0]", "en"));
        GatehouseConfig config = config();
        assertThat(config.get(Settings.SUPPORTED_LOCALES)).containsExactly("en", "de");
        assertThat(config.get(Settings.SECRET).reveal()).isEqualTo(SECRET);
    }

    @Test
    void otherPropertiesAreNotGatehouses() {
        lowest("application.properties", map("gatehouse.secret", SECRET, "gatehousekeeping", "x", "spring.datasource.url", "jdbc:h2:mem:x"));
        assertThat(config().get(Settings.REGISTERABLE)).isFalse();
    }

    @Test
    void mistakesAreGatehousesMessagesNamingTheSource() {
        lowest("application.properties", map("gatehouse.secret", SECRET, "gatehouse.tokenMaxAge", "soon", "gatehouse.registrable", "true"));
        assertThatThrownBy(this::config).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
            List<String> problems = e.problems();
            assertThat(problems).hasSize(2);
            assertThat(problems).allSatisfy(p -> assertThat(p).startsWith("[application.properties] gatehouse."));
            assertThat(problems).anySatisfy(p -> assertThat(p).contains("gatehouse.token-max-age", "soon"));
            assertThat(problems).anySatisfy(p -> assertThat(p).contains("registrable", "no such setting", "registerable"));
        });
    }

    @Test
    void theSameSettingTwiceInOneSourceIsRefused() {
        lowest("application.properties", map("gatehouse.secret", SECRET, "gatehouse.tokenMaxAge", "1h", "gatehouse.token-max-age", "2h"));
        assertThatThrownBy(this::config).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("set twice");
    }

    @Test
    void withoutASecretGatehouseRefusesToStart() {
        lowest("application.properties", map("gatehouse.registerable", "true"));
        assertThatThrownBy(this::config).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("secret").hasMessageContaining("GATEHOUSE_SECRET");
    }

    @Test
    void aBadEnvironmentVariableIsNamedAsItIsWritten() {
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                map("GATEHOUSE_TOKEN_MAX_AGE", "forever")));
        lowest("application.properties", map("gatehouse.secret", SECRET));
        assertThatThrownBy(this::config).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(e.problems()).singleElement().asString().startsWith("[systemEnvironment] GATEHOUSE_TOKEN_MAX_AGE"));
    }
}
