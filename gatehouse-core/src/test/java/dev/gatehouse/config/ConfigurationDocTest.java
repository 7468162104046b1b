package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the registry. This test fails when the file is
 * out of date; run it with {@code -Dgatehouse.docs.write=true} to rewrite the file.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of(System.getProperty("basedir", "."))
            .resolve("../docs/configuration.md").normalize();

    @Test
    void docs_configuration_md_is_up_to_date() throws IOException {
        String expected = ConfigurationDoc.render();
        if (Boolean.getBoolean("gatehouse.docs.write")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }

        assertThat(Files.exists(DOC)).as("%s exists; create it with: %s", DOC, ConfigurationDoc.REGENERATE).isTrue();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("%s is out of date; regenerate it with: %s", DOC, ConfigurationDoc.REGENERATE)
                .isEqualTo(expected);
    }

    @Test
    void documents_every_setting_with_its_environment_variable_and_flask_security_name() {
        String doc = ConfigurationDoc.render();

        for (SettingKey<?> s : new Registry(List.of()).all) {
            assertThat(doc).contains("| `" + s.name + "` | `" + s.envName() + "` |");
        }
        assertThat(doc).contains("| `SECURITY_TOKEN_MAX_AGE` | Flask-Security | `token-max-age` | `GATEHOUSE_TOKEN_MAX_AGE` |");
        assertThat(doc).contains("| `secret` | `GATEHOUSE_SECRET` | secret, at least 32 bytes | **required** |");
        assertThat(doc).contains("| `token-max-age` | `GATEHOUSE_TOKEN_MAX_AGE` | duration, 1s–365d | `15m` |");
    }

    @Test
    void documents_the_groups_core_contributes_but_not_those_of_tests() {
        String doc = ConfigurationDoc.render();

        for (SettingKey<?> s : new dev.gatehouse.twofactor.TwoFactorSettings().settings()) {
            assertThat(doc).contains("| `" + s.name + "` | `" + s.envName() + "` |");
        }
        assertThat(doc).as("test groups on the class path").doesNotContain("example-", "idp.");
    }
}
