package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.testing.TestGatehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The {@code development} switch: it changes the defaults of {@code cookie-secure} and
 * {@code mail-backend} only, explicit values win, it is refused away from this machine or over
 * https, and start-up logs one warning block naming what it relaxed.
 */
class DevelopmentModeTest {

    private static GatehouseConfig.Builder config() {
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(TestGatehouse.SECRET));
    }

    @Test
    void off_by_default_and_then_cookies_are_secure_and_mail_goes_over_smtp() {
        GatehouseConfig c = config().build();

        assertThat(c.get(Settings.DEVELOPMENT)).isFalse();
        assertThat(c.get(Settings.COOKIE_SECURE)).isTrue();
        assertThat(c.get(Settings.MAIL_BACKEND)).isEqualTo(MailBackend.SMTP);
    }

    @Test
    void on_it_turns_cookie_secure_off_and_writes_mail_to_files() {
        GatehouseConfig c = config().set(Settings.DEVELOPMENT, true).build();

        assertThat(c.get(Settings.COOKIE_SECURE)).isFalse();
        assertThat(c.get(Settings.MAIL_BACKEND)).isEqualTo(MailBackend.FILES);
        assertThat(c.get(Settings.HSTS_MAX_AGE)).as("untouched").isEqualTo(java.time.Duration.ofDays(365));
    }

    @Test
    void explicit_settings_win_whichever_source_and_order() {
        GatehouseConfig code = config().set(Settings.COOKIE_SECURE, true).set(Settings.DEVELOPMENT, true).build();
        GatehouseConfig env = config().fromEnvironment(Map.of("GATEHOUSE_DEVELOPMENT", "true",
                "GATEHOUSE_MAIL_BACKEND", "smtp")).build();

        assertThat(code.get(Settings.COOKIE_SECURE)).isTrue();
        assertThat(code.get(Settings.MAIL_BACKEND)).isEqualTo(MailBackend.FILES);
        assertThat(env.get(Settings.MAIL_BACKEND)).isEqualTo(MailBackend.SMTP);
        assertThat(env.get(Settings.COOKIE_SECURE)).isFalse();
    }

    @Test
    void plain_http_on_a_loopback_external_url_is_accepted() {
        for (String url : new String[] {"http://localhost:8080", "http://127.0.0.1", "http://[::1]:7000/app"}) {
            GatehouseConfig c = config().set(Settings.DEVELOPMENT, true).set(Settings.EXTERNAL_URL, url).build();
            assertThat(c.get(Settings.EXTERNAL_URL)).contains(url);
        }
    }

    @Test
    void refused_outright_when_external_url_is_https_or_another_machine() {
        for (String url : new String[] {"https://app.example.com", "https://localhost:8443"}) {
            InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                    () -> config().set(Settings.DEVELOPMENT, true).set(Settings.EXTERNAL_URL, url).build());

            assertThat(e).as(url).isNotNull();
            assertThat(e.getMessage()).contains("development is true but external-url (" + url + ")", "turn it off");
        }
    }

    @Test
    void start_up_logs_one_warning_block_naming_what_is_relaxed() {
        String warning = warningBuilding(c -> c.set(Settings.DEVELOPMENT, true));

        assertThat(warning).contains("DEVELOPMENT MODE", "cookies are sent without Secure", "cookie-secure=false",
                "email is written to files in data/mail", "mail-backend=files");
        assertThat(warning.lines().filter(line -> line.contains("WARN"))).as("one block").hasSize(1);
    }

    @Test
    void the_warning_leaves_out_what_explicit_settings_kept() {
        String warning = warningBuilding(c -> c.set(Settings.DEVELOPMENT, true).set(Settings.MAIL_BACKEND, MailBackend.NONE));

        assertThat(warning).contains("cookies are sent without Secure").doesNotContain("mail-backend=files");
    }

    @Test
    void no_warning_without_development() {
        assertThat(warningBuilding(c -> c)).doesNotContain("DEVELOPMENT");
    }

    /** What building a Gatehouse logged about development mode (slf4j-simple logs to standard error in tests). */
    private static String warningBuilding(UnaryOperator<GatehouseConfig.Builder> settings) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Gatehouse.builder().passwordHasher(TestGatehouse.CHEAP_HASHER)
                    .config(c -> settings.apply(c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)))).build().close();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        int start = log.indexOf("DEVELOPMENT MODE");
        if (start < 0) {
            return "";
        }
        int lineStart = log.lastIndexOf('\n', start) + 1;
        int end = log.indexOf("\n[", start);  // the next log record
        String block = log.substring(lineStart, end < 0 ? log.length() : end);
        return block.lines().takeWhile(line -> line.startsWith("  - ") || line.contains("DEVELOPMENT MODE"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
