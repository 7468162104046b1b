package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.FlaskSecuritySource.SourceFactors;
import dev.gatehouse.cli.FlaskSecuritySource.SourceUser;
import dev.gatehouse.twofactor.FactorMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which of a Flask-Security user's second factors the import takes over: the users of the
 * two-factor fixture as Flask-Security stored them, and single rows for what it did not make.
 */
class FlaskSecondFactorsTest {

    private static final String PLAIN = "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}";
    private static final String OTHER_PLAIN = "{\"key\":\"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\",\"type\":\"totp\",\"v\":1}";

    @TempDir
    Path dir;

    private Map<String, SourceUser> fixtureUsers() {
        FlaskSecuritySource source = FlaskSecuritySource.read(FlaskFixture.sqliteUrl(TwoFactorFixture.sqliteCopy(dir)));
        return source.users().stream().collect(Collectors.toMap(SourceUser::email, u -> u));
    }

    @Test
    void the_fixture_users_keep_what_they_set_up_in_flask_security() {
        Map<String, SourceUser> users = fixtureUsers();
        FlaskTotpSecrets secrets = TwoFactorFixture.totpSecrets();
        List<String> warnings = new ArrayList<>();
        Map<String, FlaskSecondFactors> plans = users.values().stream().collect(Collectors.toMap(SourceUser::email,
                u -> FlaskSecondFactors.plan(u.email(), u.factors(), secrets, warnings)));

        assertThat(plans.get("tina@example.com")).isEqualTo(new FlaskSecondFactors(
                Optional.of(TwoFactorFixture.key("tina@example.com")), Optional.of(FactorMethod.AUTHENTICATOR),
                Optional.empty(), Set.of()));
        assertThat(plans.get("olga@example.com")).isEqualTo(new FlaskSecondFactors(
                Optional.of(TwoFactorFixture.key("olga@example.com")), Optional.of(FactorMethod.AUTHENTICATOR),
                Optional.empty(), Set.of()));
        assertThat(plans.get("walt@example.com")).isEqualTo(new FlaskSecondFactors(
                Optional.of(TwoFactorFixture.key("walt@example.com")), Optional.of(FactorMethod.AUTHENTICATOR),
                Optional.empty(), Set.of()));
        // SMS and email: Gatehouse sends its own codes, Flask-Security's TOTP secret for them is not kept.
        assertThat(plans.get("uma@example.com")).isEqualTo(new FlaskSecondFactors(Optional.empty(),
                Optional.of(FactorMethod.SMS), Optional.of("+15555550100"), Set.of()));
        assertThat(plans.get("vic@example.com")).isEqualTo(new FlaskSecondFactors(
                Optional.of(TwoFactorFixture.key("vic@example.com")), Optional.of(FactorMethod.EMAIL), Optional.empty(),
                Set.of(FactorMethod.AUTHENTICATOR, FactorMethod.EMAIL)));
        assertThat(plans.get("yann@example.com")).isEqualTo(new FlaskSecondFactors(Optional.empty(), Optional.empty(),
                Optional.of("+15555550199"), Set.of(FactorMethod.SMS)));
        assertThat(plans.get("xena@example.com")).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plans.get("xena@example.com").isEmpty()).isTrue();
        assertThat(warnings).containsExactlyInAnyOrder(
                "user tina@example.com: 5 recovery codes (mf_recovery_codes) are not imported: Flask-Security's have 48"
                        + " bits, fewer than Gatehouse requires; the user can make new ones",
                "user xena@example.com: its authenticator secret (tf_totp_secret) cannot be read: not passlib's TOTP JSON"
                        + " (it does not parse); imported without its second factor, so the password alone will sign it in");
    }

    @Test
    void without_the_applications_totp_secrets_only_plain_keys_come_along() {
        Map<String, SourceUser> users = fixtureUsers();
        List<String> warnings = new ArrayList<>();
        FlaskSecondFactors tina = plan(users.get("tina@example.com"), FlaskTotpSecrets.none(), warnings);
        FlaskSecondFactors vic = plan(users.get("vic@example.com"), FlaskTotpSecrets.none(), warnings);
        FlaskSecondFactors walt = plan(users.get("walt@example.com"), FlaskTotpSecrets.none(), warnings);

        assertThat(tina).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(vic).isEqualTo(new FlaskSecondFactors(Optional.empty(), Optional.of(FactorMethod.EMAIL), Optional.empty(),
                Set.of(FactorMethod.EMAIL)));
        assertThat(walt.base32Key()).contains(TwoFactorFixture.key("walt@example.com"));
        assertThat(warnings).contains(
                "user tina@example.com: its authenticator secret (tf_totp_secret) cannot be read: it is encrypted (tag 2)"
                        + " and no TOTP secrets were given (--totp-secrets); imported without its second factor, so the"
                        + " password alone will sign it in",
                "user vic@example.com: its unified sign-in authenticator secret (us_totp_secrets) cannot be read: it is"
                        + " encrypted (tag 2) and no TOTP secrets were given (--totp-secrets); that sign-in method is not"
                        + " imported");
    }

    @Test
    void flask_securitys_old_method_names_are_read() {
        assertThat(plan(factors("google_authenticator", PLAIN, null, null, null), List.of()).primaryMethod())
                .contains(FactorMethod.AUTHENTICATOR);
        assertThat(plan(factors("mail", null, null, null, null), List.of()).primaryMethod()).contains(FactorMethod.EMAIL);
    }

    @Test
    void what_gatehouse_cannot_keep_is_left_out_with_a_warning_each() {
        List<String> warnings = new ArrayList<>();
        assertThat(plan(factors("carrier_pigeon", null, null, null, null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors("sms", null, null, null, null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors("sms", null, "555-0100", null, null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors("authenticator", null, null, null, null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors(null, null, null, "not json", null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors(null, null, null, "{\"password\": \"x\", \"authenticator\": 5}", null), warnings))
                .isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors(null, null, null, "{\"sms\": \"x\"}", null), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(plan(factors(null, null, null, "{\"sms\": \"x\"}", "0171 555"), warnings)).isEqualTo(FlaskSecondFactors.NONE);
        assertThat(warnings).containsExactly(
                "user u@example.com: its two-factor method (tf_primary_method) is not one Gatehouse knows; imported without"
                        + " its second factor, so the password alone will sign it in",
                "user u@example.com: its two-factor method is sms but it has no tf_phone_number; imported without its"
                        + " second factor, so the password alone will sign it in",
                "user u@example.com: its tf_phone_number is not an international number (+ and country code); imported"
                        + " without its second factor, so the password alone will sign it in",
                "user u@example.com: its authenticator secret (tf_totp_secret) cannot be read: it is empty; imported"
                        + " without its second factor, so the password alone will sign it in",
                "user u@example.com: its unified sign-in methods (us_totp_secrets) are not a JSON object; none is imported",
                "user u@example.com: unified sign-in method password is not one Gatehouse knows; that sign-in method is"
                        + " not imported",
                "user u@example.com: its unified sign-in authenticator secret (us_totp_secrets) cannot be read: it is not a"
                        + " string; that sign-in method is not imported",
                "user u@example.com: unified sign-in by sms but it has no us_phone_number; that sign-in method is not"
                        + " imported",
                "user u@example.com: its us_phone_number is not an international number (+ and country code); that"
                        + " sign-in method is not imported");
    }

    @Test
    void one_authenticator_key_and_one_phone_per_user_the_two_factor_ones_win() {
        List<String> warnings = new ArrayList<>();
        String signIn = "{\"authenticator\": " + quoted(OTHER_PLAIN) + ", \"sms\": \"x\", \"email\": \"x\"}";
        FlaskSecondFactors differing = plan(factors("authenticator", PLAIN, null, signIn, "+4915123456789"), warnings);
        assertThat(differing).isEqualTo(new FlaskSecondFactors(Optional.of("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
                Optional.of(FactorMethod.AUTHENTICATOR), Optional.of("+4915123456789"),
                Set.of(FactorMethod.SMS, FactorMethod.EMAIL)));
        FlaskSecondFactors phones = plan(factors("sms", null, "+1 (555) 555-0100", "{\"sms\": \"x\"}", "+15555550199"), warnings);
        assertThat(phones).isEqualTo(new FlaskSecondFactors(Optional.empty(), Optional.of(FactorMethod.SMS),
                Optional.of("+15555550100"), Set.of()));
        assertThat(warnings).containsExactly(
                "user u@example.com: its unified sign-in authenticator has another key than its two-factor one; Gatehouse"
                        + " keeps one authenticator key per user (the two-factor one); that sign-in method is not imported",
                "user u@example.com: its unified sign-in phone number is not its two-factor one; Gatehouse keeps one phone"
                        + " number per user (the two-factor one); that sign-in method is not imported");
        // The same key and phone in both places are simply shared.
        FlaskSecondFactors same = plan(factors("authenticator", PLAIN, null, "{\"authenticator\": " + quoted(PLAIN) + "}",
                null), warnings);
        assertThat(same.signInMethods()).containsExactly(FactorMethod.AUTHENTICATOR);
        assertThat(warnings).hasSize(2);
    }

    @Test
    void no_text_shows_the_key() {
        FlaskSecondFactors plan = plan(factors("authenticator", PLAIN, null, null, null), List.of());
        assertThat(plan.toString()).doesNotContain("JBSWY3DP").contains("(set)");
        assertThat(factors("authenticator", PLAIN, null, null, null).toString()).doesNotContain("JBSWY3DP");
        assertThat(factors(" ", " ", "", null, null)).isEqualTo(factors(null, null, null, null, null));
    }

    private static FlaskSecondFactors plan(SourceUser user, FlaskTotpSecrets secrets, List<String> warnings) {
        return FlaskSecondFactors.plan(user.email(), user.factors(), secrets, warnings);
    }

    private static FlaskSecondFactors plan(SourceFactors factors, List<String> warnings) {
        return FlaskSecondFactors.plan("u@example.com", factors, FlaskTotpSecrets.none(), warnings);
    }

    private static SourceFactors factors(String method, String secret, String phone, String signIn, String signInPhone) {
        return new SourceFactors(Optional.ofNullable(method), Optional.ofNullable(secret), Optional.ofNullable(phone),
                Optional.ofNullable(signIn), Optional.ofNullable(signInPhone), Optional.empty());
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\"", "\\\"") + "\"";
    }
}
