package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decrypting the TOTP secrets Flask-Security stores, against values passlib itself wrote
 * ({@link TwoFactorFixture}): the key passlib decrypts, and the codes passlib computed from it at
 * fixed times, must come out the same here.
 */
class FlaskTotpSecretsTest {

    private static final FlaskTotpSecrets SECRETS = TwoFactorFixture.totpSecrets();

    @Test
    void every_value_passlib_wrote_yields_passlibs_key_and_codes() {
        JsonNode values = TwoFactorFixture.record().path("values");
        assertThat(values.size()).isEqualTo(5);
        values.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            String key = SECRETS.base32Key(value.path("stored").asText());
            assertThat(key).as(entry.getKey()).isEqualTo(value.path("key").asText());
            assertCodes(key, value.path("codes"));
        });
    }

    @Test
    void users_secrets_as_flask_security_stored_them_decrypt_to_passlibs_keys() {
        for (String email : new String[] {"tina@example.com", "olga@example.com", "walt@example.com"}) {
            String stored = TwoFactorFixture.column(email, "tf_totp_secret").orElseThrow();
            JsonNode expected = TwoFactorFixture.record().path("users").path(email);
            String key = SECRETS.base32Key(stored);
            assertThat(key).as(email).isEqualTo(expected.path("key").asText()).hasSize(32);
            assertCodes(key, expected.path("codes"));
        }
    }

    @Test
    void a_plain_value_needs_no_secrets_an_encrypted_one_does() {
        JsonNode values = TwoFactorFixture.record().path("values");
        String plain = values.path("plain").path("stored").asText();
        assertThat(FlaskTotpSecrets.none().base32Key(plain)).isEqualTo(values.path("plain").path("key").asText());

        String encrypted = values.path("encrypted").path("stored").asText();
        assertThatThrownBy(() -> FlaskTotpSecrets.none().base32Key(encrypted))
                .hasMessage("it is encrypted (tag 2) and no TOTP secrets were given (--totp-secrets)");
        assertThatThrownBy(() -> FlaskTotpSecrets.parse("1: " + TwoFactorFixture.TOTP_SECRET_1).base32Key(encrypted))
                .hasMessage("it is encrypted with tag 2, which the given TOTP secrets do not have");
        // The old tag alone still opens what it encrypted.
        String old = values.path("encrypted_old_tag").path("stored").asText();
        assertThat(FlaskTotpSecrets.parse("1: " + TwoFactorFixture.TOTP_SECRET_1).base32Key(old))
                .isEqualTo(values.path("encrypted_old_tag").path("key").asText());
    }

    @Test
    void a_wrong_secret_for_the_right_tag_gives_another_key_as_in_passlib() {
        // passlib's format has no check value: nothing to detect, only a key that makes other codes.
        JsonNode value = TwoFactorFixture.record().path("values").path("encrypted");
        String key = FlaskTotpSecrets.parse("{\"2\": \"not the secret\"}").base32Key(value.path("stored").asText());
        assertThat(key).hasSize(32).isNotEqualTo(value.path("key").asText());
    }

    @Test
    void the_damaged_value_in_the_fixture_is_refused_with_a_message() {
        String damaged = TwoFactorFixture.column("xena@example.com", "tf_totp_secret").orElseThrow();
        assertThatThrownBy(() -> SECRETS.base32Key(damaged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not passlib's TOTP JSON (it does not parse)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "null",
        "[]",
        "\"totp\"",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"v\":1}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"hotp\",\"v\":1}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":2}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":\"1\"}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"digits\":8}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"alg\":\"sha256\"}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"period\":60}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"extra\":1}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1} trailing",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}",
        "{\"key\":\"JBSWY3DPEHPK\",\"type\":\"totp\",\"v\":1}",
        "{\"key\":\"JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}",
        "{\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJ\",\"type\":\"totp\",\"v\":1}",
        "{\"key\":12345,\"type\":\"totp\",\"v\":1}",
        "{\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":14,\"k\":\"AAAA\",\"s\":\"AAAA\",\"t\":\"2\",\"v\":1},\"key\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":\"x\",\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":99,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":-1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":\"14\",\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":2},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"9\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"../2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"AAAAAAAA\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDA!\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1},\"type\":\"totp\",\"v\":1}",
        "{\"enckey\":{\"c\":1,\"k\":\"UG2SQTWWDUYRUGF4ON3N5Q4CZUJCZDAP\",\"s\":\"N6GXC3TNBWQ5I6RPIWAAAAAA\",\"t\":\"2\",\"v\":1,\"x\":0},\"type\":\"totp\",\"v\":1}",
    })
    void malformed_values_are_refused_with_a_message_that_shows_no_secret(String stored) {
        assertThatThrownBy(() -> SECRETS.base32Key(stored))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank()
                        .doesNotContain(TwoFactorFixture.TOTP_SECRET_2)
                        .doesNotContain("JBSWY3DP").doesNotContain("UG2SQTWW").doesNotContain("N6GXC3TN"));
    }

    @Test
    void a_value_far_longer_than_passlib_writes_is_refused_before_parsing() {
        String stored = "{\"key\":\"" + "A".repeat(5000) + "\",\"type\":\"totp\",\"v\":1}";
        assertThatThrownBy(() -> SECRETS.base32Key(stored)).hasMessage("longer than any TOTP secret passlib writes");
    }

    @Test
    void passlib_reads_keys_with_spaces_hyphens_lower_case_and_its_typo_fixes() {
        FlaskTotpSecrets none = FlaskTotpSecrets.none();
        assertThat(none.base32Key("{\"key\":\"jbsw-y3dp ehpk-3pxp\",\"type\":\"totp\",\"v\":1}")).isEqualTo("JBSWY3DPEHPK3PXP");
        // passlib reads 0 as O and 8 as B.
        assertThat(none.base32Key("{\"key\":\"J8SWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"issuer\":\"x\",\"label\":\"y\"}"))
                .isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(none.base32Key("{\"key\":\"JBSWY3DPEHPK3PXP\",\"type\":\"totp\",\"v\":1,\"alg\":\"sha1\",\"digits\":6,\"period\":30}"))
                .isEqualTo("JBSWY3DPEHPK3PXP");
    }

    @Test
    void base32_is_rfc_4648() {
        // RFC 4648 section 10.
        String[][] vectors = {{"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
            {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
        for (String[] vector : vectors) {
            byte[] bytes = vector[0].getBytes(StandardCharsets.US_ASCII);
            assertThat(FlaskTotpSecrets.Base32.encode(bytes)).isEqualTo(vector[1]);
            assertThat(FlaskTotpSecrets.Base32.decode(vector[1])).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes));
            assertThat(FlaskTotpSecrets.Base32.decode(vector[1].toLowerCase() + "======")).isPresent();
        }
        assertThat(FlaskTotpSecrets.Base32.decode("MZXW6YTBO")).isEmpty();
        assertThat(FlaskTotpSecrets.Base32.decode("MZXW6YTB1")).isEmpty();
    }

    @Test
    void secrets_are_read_as_json_or_as_tag_lines_like_passlib() {
        FlaskTotpSecrets json = FlaskTotpSecrets.parse("{\"1\": \"one\", \"2\": \"two\"}");
        assertThat(json.tags()).containsExactlyInAnyOrder("1", "2");
        FlaskTotpSecrets lines = FlaskTotpSecrets.parse("# SECURITY_TOTP_SECRETS\n\n1: one\n  v2.b-c_d : two: with colon\n");
        assertThat(lines.tags()).containsExactlyInAnyOrder("1", "v2.b-c_d");
        assertThat(FlaskTotpSecrets.none().isEmpty()).isTrue();
        assertThat(lines.isEmpty()).isFalse();
    }

    @Test
    void bad_secrets_are_refused_without_showing_a_secret() {
        Map<String, String> cases = Map.of(
                "{\"1\": \"s3cret-value\"", "not a JSON object of tag: secret (JSON syntax error at line 1)",
                "{\"1\": 5}", "the secret of tag 1 is not a string",
                "{\"-x\": \"s3cret-value\"}", "tag (a tag with other characters) has characters passlib does not allow in a tag",
                "1: s3cret-value\n1: s3cret-value", "tag 1 is given twice",
                "1:", "tag 1 has an empty secret",
                "s3cret-value", "line 1 is not tag: secret",
                "# only a comment", "no tag: secret in it",
                "{}", "no tag: secret in it");
        cases.forEach((text, message) -> assertThatThrownBy(() -> FlaskTotpSecrets.parse(text))
                .as(text).isInstanceOf(IllegalArgumentException.class).hasMessage(message));
    }

    /** The codes passlib computed at fixed times, recomputed from the key per RFC 6238 (SHA-1, 6 digits, 30 s). */
    private static void assertCodes(String base32Key, JsonNode codes) {
        assertThat(codes.size()).isEqualTo(5);
        byte[] key = FlaskTotpSecrets.Base32.decode(base32Key).orElseThrow();
        for (JsonNode code : codes) {
            assertThat(TwoFactorFixture.totp(key, code.path("time").asLong()))
                    .as("code at %d", code.path("time").asLong()).isEqualTo(code.path("code").asText());
        }
    }
}
