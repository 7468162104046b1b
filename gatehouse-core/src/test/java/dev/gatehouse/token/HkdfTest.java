package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 5869, appendix A.1 (Test Case 1); the RFC's OKM is 42 bytes, we produce its first 32. */
    @Test
    void matches_rfc_5869_test_case_1() {
        byte[] ikm = HEX.parseHex("0b".repeat(22));
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        byte[] prk = Hkdf.extract(salt, ikm);
        byte[] okm = Hkdf.expand(prk, info);

        assertThat(HEX.formatHex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865".substring(0, 64));
    }

    /** RFC 5869, appendix A.3 (Test Case 3): empty info; first 32 bytes of the 42-byte OKM. */
    @Test
    void matches_rfc_5869_test_case_3() {
        byte[] ikm = HEX.parseHex("0b".repeat(22));
        byte[] prk = Hkdf.extract(new byte[32], ikm);   // "not provided" salt is 32 zero bytes

        assertThat(HEX.formatHex(prk)).isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        assertThat(HEX.formatHex(Hkdf.expand(prk, new byte[0]))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8".substring(0, 64));
    }

    @Test
    void different_info_gives_unrelated_keys() {
        byte[] prk = Hkdf.extract("salt".getBytes(), "secret".getBytes());

        assertThat(Arrays.equals(Hkdf.expand(prk, "purpose:reset".getBytes()), Hkdf.expand(prk, "purpose:confirm".getBytes())))
                .isFalse();
    }
}
