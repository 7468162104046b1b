package dev.gatehouse.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII of "12345678901234567890". */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T = {0} s: step {1}, code {2}")
    @CsvSource({
            "59,          0000000000000001, 94287082",
            "1111111109,  00000000023523EC, 07081804",
            "1111111111,  00000000023523ED, 14050471",
            "1234567890,  000000000273EF07, 89005924",
            "2000000000,  0000000003F940AA, 69279037",
            "20000000000, 0000000027BC86AA, 65353130"})
    void rfc_6238_appendix_b_sha1_vectors(long time, String stepHex, String code) {
        long step = Totp.stepAt(time);
        assertThat(step).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(Totp.code(RFC_SEED, step, 8)).isEqualTo(code);
        // Apps show 6 digits: the low 6 of the same truncated value (RFC 4226 section 5.3).
        assertThat(Totp.code(RFC_SEED, step, 6)).isEqualTo(code.substring(2));
    }

    @Test
    void a_code_matches_within_the_window_and_tells_its_step() {
        long now = Totp.stepAt(1234567890);
        String previous = Totp.code(RFC_SEED, now - 1, 6);
        assertThat(Totp.match(RFC_SEED, previous, now, 1)).hasValue(now - 1);
        assertThat(Totp.match(RFC_SEED, " " + previous.substring(0, 3) + " " + previous.substring(3), now, 1))
                .as("spaces typed in").hasValue(now - 1);
        assertThat(Totp.match(RFC_SEED, previous, now, 0)).isEmpty();
        assertThat(Totp.match(RFC_SEED, Totp.code(RFC_SEED, now + 2, 6), now, 1)).isEmpty();
        assertThat(Totp.match(RFC_SEED, "12345", now, 1)).isEmpty();
        assertThat(Totp.match(RFC_SEED, null, now, 1)).isEmpty();
    }

    @Test
    void keys_are_160_random_bits_in_base32_and_decode_back() {
        String key = Totp.newKey();
        assertThat(key).matches("[A-Z2-7]{32}").isNotEqualTo(Totp.newKey());
        assertThat(Totp.decode(key, Totp.KEY_BYTES)).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(20));
        assertThat(Totp.decode(key.toLowerCase(), 20)).isPresent();
        assertThat(Totp.encode(RFC_SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.decode("GEZDGNBVGY3TQOJQ", Totp.MIN_IMPORT_KEY_BYTES)).as("80 bits").isPresent();
        assertThat(Totp.decode("GEZDGNBVGY3TQ", Totp.MIN_IMPORT_KEY_BYTES)).as("too short").isEmpty();
        assertThat(Totp.decode("not base32!", 1)).isEmpty();
        assertThat(Totp.decode("GEZDGNBVGY3TQOJ1", 1)).as("1 is not in the alphabet").isEmpty();
    }
}
