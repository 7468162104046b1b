package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The log of the whole HTTP suite holds none of the passwords, tokens, cookies and secrets the
 * tests used (ASVS 5.0 V16.2.5: no secrets in logs). Runs after every other class of this module
 * ({@code junit-platform.properties} orders classes by {@link Order}); {@link LogCapture} has kept a
 * copy of standard output and error since the session started, {@link UsedSecrets} what to look for.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@HttpContract
class NoSecretsInLogsTest {

    @Test
    @Order(1)
    void the_scanner_finds_a_password_that_is_logged() {
        String password = "planted-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        // Deliberately logged, to prove a leak would be caught; not added to UsedSecrets, so the
        // suite-wide check below is not failed by this test's own plant.
        LoggerFactory.getLogger(NoSecretsInLogsTest.class).warn("test of the log scan: password={}", password);
        System.err.flush();

        assertThat(LogCapture.installed()).as("LogCapture is registered as a LauncherSessionListener").isTrue();
        assertThat(UsedSecrets.foundIn(LogCapture.text(), List.of(password))).hasSize(1);
        assertThat(UsedSecrets.foundIn("no secret here", List.of(password))).isEmpty();
    }

    @Test
    @Order(2)
    void the_log_of_the_http_suite_holds_none_of_the_secrets_the_tests_used() {
        // Some traffic of its own, so the check is not vacuous when this class runs alone.
        try (TestApp app = new TestApp(c -> c.set(REGISTERABLE, true))) {
            User user = app.newUser("log-scan");
            HttpClientSession client = app.client();
            String token = client.loginForToken(user.email(), TestApp.PASSWORD);
            client.getJson("/api/me", "Authentication-Token", token);
            client.getJson("/api/me?auth_token=" + token);
            client.postJson("/login", Map.of("email", user.email(), "password", "wrong-" + TestApp.PASSWORD));
        }

        assertThat(UsedSecrets.all()).contains(dev.gatehouse.testing.TestGatehouse.SECRET, TestApp.PASSWORD);
        assertThat(UsedSecrets.foundIn(LogCapture.text(), UsedSecrets.all()))
                .as("secrets that appear in the log of this test run (%d secrets checked, %d characters of log)",
                        UsedSecrets.all().size(), LogCapture.text().length())
                .isEmpty();
    }
}
