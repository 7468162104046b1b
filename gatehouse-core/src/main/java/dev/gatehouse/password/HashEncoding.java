package dev.gatehouse.password;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text encodings of salts and digests inside stored hashes. Decoders return empty rather than
 * throw, so a malformed stored hash is simply not recognized.
 */
final class HashEncoding {

    private static final Base64.Encoder B64_NO_PADDING = Base64.getEncoder().withoutPadding();
    private static final Pattern B64_UNPADDED = Pattern.compile("[A-Za-z0-9+/]*");
    private static final Pattern AB64 = Pattern.compile("[A-Za-z0-9./+]*");
    private static final Pattern B64_PADDED = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern HEX = Pattern.compile("([0-9a-fA-F]{2})*");

    private HashEncoding() {
    }

    /** Standard base64 without padding: PHC strings (argon2) and passlib's scrypt. */
    static String b64(byte[] bytes) {
        return B64_NO_PADDING.encodeToString(bytes);
    }

    static Optional<byte[]> fromB64(String text) {
        if (!B64_UNPADDED.matcher(text).matches() || text.length() % 4 == 1) {
            return Optional.empty();
        }
        return Optional.of(Base64.getDecoder().decode(text));
    }

    /** passlib's "adapted base64" of its pbkdf2 hashes: standard base64, {@code .} for {@code +}, no padding. */
    static String ab64(byte[] bytes) {
        return b64(bytes).replace('+', '.');
    }

    /** Decodes ab64; like passlib, also accepts {@code +}. */
    static Optional<byte[]> fromAb64(String text) {
        if (!AB64.matcher(text).matches()) {
            return Optional.empty();
        }
        return fromB64(text.replace('.', '+'));
    }

    /** Standard base64 with padding, as Spring Security's scrypt encoder writes it. */
    static Optional<byte[]> fromPaddedB64(String text) {
        if (!B64_PADDED.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(Base64.getDecoder().decode(text));
    }

    static Optional<byte[]> fromHex(String text) {
        if (!HEX.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(text));
    }
}
