package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.cli.FlaskSecurityImport.Plan;
import dev.gatehouse.config.Secret;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.InMemorySecondFactorStore;
import dev.gatehouse.twofactor.SecondFactorRecord;
import dev.gatehouse.twofactor.SecondFactorStore;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's test of done: a TOTP secret Flask-Security stored (its own format, encrypted with its
 * SECURITY_TOTP_SECRETS) still yields valid codes after the import. The fixture the real
 * Flask-Security and passlib made ({@link TwoFactorFixture}) is imported; Gatehouse's
 * {@code TwoFactor#verify} then accepts the codes passlib generated at the recorded times and the
 * code of the current time.
 */
class TwoFactorImportTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    private static final String APP_SECRET = "two-factor-import-test-secret-0123456789abcdef";
    private static final String[] AUTHENTICATOR_USERS = {"tina@example.com", "olga@example.com", "walt@example.com",
        "vic@example.com"};

    @TempDir
    Path dir;

    UserStore store;
    Path flask;

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = DATABASE.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM gh_users");
            s.executeUpdate("DELETE FROM gh_roles");
        }
        store = Databases.store(DATABASE);
        flask = TwoFactorFixture.sqliteCopy(dir);
    }

    /** The application, at {@code clock}, keeping second factors in {@code factors}. */
    private Gatehouse app(SecondFactorStore factors, Clock clock) {
        return Gatehouse.builder().store(store).secondFactorStore(factors).clock(clock).userCache(false)
                .config(c -> c.set(SECRET, Secret.of(APP_SECRET)).set(TwoFactorSettings.TWO_FACTOR, true))
                .build();
    }

    private User user(String email) {
        return store.findUserByEmail(email).orElseThrow();
    }

    private static String currentCode(String email, Clock clock) {
        byte[] key = FlaskTotpSecrets.Base32.decode(TwoFactorFixture.key(email)).orElseThrow();
        return TwoFactorFixture.totp(key, clock.instant().getEpochSecond());
    }

    @Test
    void imported_authenticator_keys_pass_verify_with_passlibs_codes_and_the_current_one() {
        FlaskSecuritySource source = FlaskSecuritySource.read(FlaskFixture.sqliteUrl(flask));
        Plan plan = FlaskSecurityImport.plan(source, store, false, TwoFactorFixture.totpSecrets());
        assertThat(plan.conflicts()).isEmpty();
        assertThat(plan.secondFactors()).isEqualTo(6);
        InMemorySecondFactorStore factors = new InMemorySecondFactorStore(store);
        try (Gatehouse app = app(factors, Clock.systemUTC())) {
            assertThat(FlaskSecurityImport.apply(plan, DATABASE.dataSource(), app.twoFactor())).isEqualTo(7);
        }

        for (String email : AUTHENTICATOR_USERS) {
            User user = user(email);
            // The key is stored sealed, never as the base32 text.
            SecondFactorRecord record = factors.find(user.id()).orElseThrow();
            assertThat(record.sealedTotpSecret()).hasValueSatisfying(sealed -> assertThat(sealed)
                    .doesNotContain(TwoFactorFixture.key(email)));
            // passlib's codes at the recorded times, in order (a step once accepted is never accepted again).
            List<JsonNode> codes = new ArrayList<>();
            TwoFactorFixture.record().path("users").path(email).path("codes").forEach(codes::add);
            codes.sort(Comparator.comparingLong(code -> code.path("time").asLong()));
            assertThat(codes).hasSize(5);
            for (JsonNode recorded : codes) {
                Clock then = Clock.fixed(Instant.ofEpochSecond(recorded.path("time").asLong()), ZoneOffset.UTC);
                try (Gatehouse app = app(factors, then)) {
                    assertThat(app.twoFactor().verify(user, FactorMethod.AUTHENTICATOR, recorded.path("code").asText(),
                            "sign-in", Optional.empty(), ClientInfo.UNKNOWN))
                            .as("%s at %s", email, then.instant()).isEqualTo(CodeCheck.ACCEPTED);
                }
            }
            // Back to the record as imported: the recorded times reach beyond today (2033).
            factors.save(record);
            Clock now = Clock.systemUTC();
            try (Gatehouse app = app(factors, now)) {
                String code = currentCode(email, now);
                assertThat(app.twoFactor().verify(user, FactorMethod.AUTHENTICATOR, code, "sign-in", Optional.empty(),
                        ClientInfo.UNKNOWN)).as(email).isEqualTo(CodeCheck.ACCEPTED);
                assertThat(app.twoFactor().verify(user, FactorMethod.AUTHENTICATOR, code, "sign-in", Optional.empty(),
                        ClientInfo.UNKNOWN)).as(email).isEqualTo(CodeCheck.REPLAYED);
            }
        }
        try (Gatehouse app = app(factors, Clock.systemUTC())) {
            assertThat(app.twoFactor().isEnabledFor(user("tina@example.com"))).isTrue();
            assertThat(app.twoFactor().primaryMethod(user("vic@example.com"))).contains(FactorMethod.EMAIL);
            assertThat(app.twoFactor().signInMethods(user("vic@example.com")))
                    .containsExactlyInAnyOrder(FactorMethod.AUTHENTICATOR, FactorMethod.EMAIL);
            assertThat(app.twoFactor().primaryMethod(user("uma@example.com"))).contains(FactorMethod.SMS);
            assertThat(app.twoFactor().phoneNumber(user("uma@example.com"))).contains("+15555550100");
            assertThat(app.twoFactor().signInMethods(user("yann@example.com"))).containsExactly(FactorMethod.SMS);
            assertThat(app.twoFactor().phoneNumber(user("yann@example.com"))).contains("+15555550199");
            // The damaged secret: the user is there, without a second factor.
            assertThat(app.twoFactor().isEnabledFor(user("xena@example.com"))).isFalse();
            // A wrong code is refused.
            String right = currentCode("olga@example.com", Clock.systemUTC());
            String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
            assertThat(app.twoFactor().verify(user("olga@example.com"), FactorMethod.AUTHENTICATOR, wrong, "sign-in",
                    Optional.empty(), ClientInfo.UNKNOWN)).isEqualTo(CodeCheck.INVALID);
        }
    }

    @Test
    void the_command_imports_second_factors_the_application_then_accepts() throws Exception {
        Cli.Result result = Cli.on(Databases.url(DATABASE)).env("GATEHOUSE_SECRET", APP_SECRET)
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask),
                        "--totp-secrets", TwoFactorFixture.secretsFile(dir).toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Created 0 roles; 7 users (7 changes).",
                "6 users kept their second factors or sign-in methods.");
        assertThat(result.err()).contains("warning: user xena@example.com: its authenticator secret (tf_totp_secret)"
                + " cannot be read", "warning: user tina@example.com: 5 recovery codes (mf_recovery_codes) are not imported");
        // Nothing secret on the terminal.
        assertThat(result.out() + result.err()).doesNotContain(TwoFactorFixture.TOTP_SECRET_1)
                .doesNotContain(TwoFactorFixture.TOTP_SECRET_2).doesNotContain(TwoFactorFixture.key("tina@example.com"));

        // The application on the same database, with the same secret.
        try (Gatehouse app = Gatehouse.builder().stores(JdbcStores.withoutMigration(DATABASE.dataSource()))
                .userCache(false)
                .config(c -> c.set(SECRET, Secret.of(APP_SECRET)).set(TwoFactorSettings.TWO_FACTOR, true)).build()) {
            User tina = user("tina@example.com");
            assertThat(app.twoFactor().isEnabledFor(tina)).isTrue();
            assertThat(app.twoFactor().verify(tina, FactorMethod.AUTHENTICATOR, currentCode("tina@example.com",
                    Clock.systemUTC()), "sign-in", Optional.empty(), ClientInfo.UNKNOWN)).isEqualTo(CodeCheck.ACCEPTED);
        }
        // Running it again changes nothing.
        Cli.Result again = Cli.on(Databases.url(DATABASE)).env("GATEHOUSE_SECRET", APP_SECRET)
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask),
                        "--totp-secrets", TwoFactorFixture.secretsFile(dir).toString(), "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.json().path("changes").asInt()).isZero();
        assertThat(again.json().path("second_factors").asInt()).isZero();
    }

    @Test
    void a_dry_run_reports_the_second_factors_and_writes_nothing() {
        Cli.Result result = Cli.on(Databases.url(DATABASE))
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask),
                        "--totp-secrets", TwoFactorFixture.secretsFile(dir).toString(), "--dry-run", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = result.json();
        assertThat(report.path("second_factors").asInt()).isEqualTo(6);
        assertThat(report.path("warnings").toString()).contains("user xena@example.com: its authenticator secret");
        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).isEmpty();
    }

    @Test
    void second_factors_need_the_applications_secret_to_be_sealed_with() {
        Cli.Result result = Cli.on(Databases.url(DATABASE))
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask),
                        "--totp-secrets", TwoFactorFixture.secretsFile(dir).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("6 users would get second factors, whose keys are sealed with the"
                + " application's secret: configure it (GATEHOUSE_SECRET", "Nothing was imported");
        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).isEmpty();
    }

    @Test
    void a_bad_secrets_file_is_a_usage_error_that_shows_no_secret() throws Exception {
        Path file = dir.resolve("secrets.txt");
        Files.writeString(file, "1 = very-secret-value\n");
        Cli.Result bad = Cli.on(Databases.url(DATABASE)).env("GATEHOUSE_SECRET", APP_SECRET)
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask), "--totp-secrets", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--totp-secrets " + file + ": line 1 is not tag: secret")
                .doesNotContain("very-secret-value");

        Cli.Result missing = Cli.on(Databases.url(DATABASE)).env("GATEHOUSE_SECRET", APP_SECRET)
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(flask),
                        "--totp-secrets", dir.resolve("nothing-here").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--totp-secrets: cannot read");
        assertThat(store.listUsers(UserQuery.firstPage(10)).items()).isEmpty();
    }
}
