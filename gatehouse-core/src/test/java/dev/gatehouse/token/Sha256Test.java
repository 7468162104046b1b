package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void digests_the_utf8_bytes_as_fips_180_says() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assertThat(HexFormat.of().formatHex(Sha256.digest("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void a_key_is_the_digest_cut_to_length_in_unpadded_base64url() {
        // Stored counter keys depend on this exact form: full length for rate limits and used-token
        // markers, 16 bytes for address-scoped lockouts.
        assertThat(Sha256.base64Url("abc", 32)).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(Sha256.base64Url("abc", 16)).isEqualTo("ungWv48Bz-pBQUDeXa4iIw");
    }

    @Test
    void a_key_length_outside_the_digest_is_refused() {
        assertThatThrownBy(() -> Sha256.base64Url("abc", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sha256.base64Url("abc", 33)).isInstanceOf(IllegalArgumentException.class);
    }
}
