package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OneTimeSecretTest {

    @Test
    void values_are_256_random_bits_in_43_url_safe_characters() {
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            values.add(OneTimeSecret.generate().value());
        }

        assertThat(values).hasSize(200).allMatch(v -> v.matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void the_digest_is_the_sha256_of_the_value_in_lower_case_hex() throws Exception {
        OneTimeSecret secret = OneTimeSecret.generate();

        byte[] expected = MessageDigest.getInstance("SHA-256").digest(secret.value().getBytes(StandardCharsets.US_ASCII));

        assertThat(secret.digest()).isEqualTo(HexFormat.of().formatHex(expected)).hasSize(OneTimeSecret.DIGEST_LENGTH)
                .matches("[0-9a-f]{64}");
        assertThat(OneTimeSecret.digestOf(secret.value())).isEqualTo(secret.digest());
        assertThat(secret.digest()).doesNotContain(secret.value());
    }

    @Test
    void known_digest() {
        assertThat(OneTimeSecret.digestOf("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void matches_only_the_right_secret() {
        OneTimeSecret secret = OneTimeSecret.generate();
        String value = secret.value();

        assertThat(OneTimeSecret.matches(value, secret.digest())).isTrue();
        assertThat(OneTimeSecret.matches(value, secret.digest().toUpperCase())).as("hex case does not matter").isTrue();
        assertThat(OneTimeSecret.matches(value.substring(1), secret.digest())).isFalse();
        assertThat(OneTimeSecret.matches(value + "x", secret.digest())).isFalse();
        assertThat(OneTimeSecret.matches(OneTimeSecret.generate().value(), secret.digest())).isFalse();
        assertThat(OneTimeSecret.matches(secret.digest(), secret.digest())).as("the digest is not the secret").isFalse();
    }

    @Test
    void garbage_never_matches_and_never_throws() {
        String digest = OneTimeSecret.generate().digest();

        assertThat(OneTimeSecret.matches(null, digest)).isFalse();
        assertThat(OneTimeSecret.matches("x", null)).isFalse();
        assertThat(OneTimeSecret.matches("", OneTimeSecret.digestOf(""))).isTrue();
        assertThat(OneTimeSecret.matches("x", "zz" + digest.substring(2))).isFalse();
        assertThat(OneTimeSecret.matches("x", digest.substring(1))).isFalse();
        assertThat(OneTimeSecret.matches("x", "")).isFalse();
        String longest = "A".repeat(OneTimeSecret.MAX_PRESENTED_LENGTH);
        assertThat(OneTimeSecret.matches(longest, OneTimeSecret.digestOf(longest))).as("the limit itself is allowed").isTrue();
        String huge = "A".repeat(OneTimeSecret.MAX_PRESENTED_LENGTH + 1);
        assertThat(OneTimeSecret.matches(huge, OneTimeSecret.digestOf(huge))).isFalse();
    }

    @Test
    void to_string_reveals_nothing() {
        OneTimeSecret secret = OneTimeSecret.generate();

        assertThat(secret.toString()).doesNotContain(secret.value()).doesNotContain(secret.digest()).isNotBlank();
    }
}
