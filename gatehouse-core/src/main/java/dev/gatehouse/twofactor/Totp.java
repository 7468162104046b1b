package dev.gatehouse.twofactor;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 30-second
 * steps from the Unix epoch (T0 = 0, X = 30, section 4), 6 digits. The HOTP computation (RFC 4226)
 * is java-otp's; this class adds the steps, the window and the base32 keys of the Key Uri Format.
 * Stateless and thread-safe (a generator per call: java-otp's hold a {@code Mac}).
 */
final class Totp {

    /** RFC 6238 section 4: X, the time step. */
    static final long STEP_SECONDS = 30;
    static final int DIGITS = 6;
    /** 160 bits, the HMAC-SHA1 output size (RFC 4226 section 4 recommends it). */
    static final int KEY_BYTES = 20;
    /** Shortest key accepted on import: 80 bits (RFC 4226 section 4: at least 128, recommended 160; FS uses 160). */
    static final int MIN_IMPORT_KEY_BYTES = 10;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]+=*");
    private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");

    private Totp() {
    }

    /** A new random key in base32 without padding (32 characters). */
    static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return encode(key);
    }

    static String encode(byte[] key) {
        return new Base32().encodeToString(key).replace("=", "");
    }

    /**
     * The key bytes of a base32 text (upper or lower case, spaces and padding ignored); empty if it
     * is not base32 or decodes to fewer than {@code minBytes} bytes.
     */
    static Optional<byte[]> decode(String base32, int minBytes) {
        if (base32 == null) {
            return Optional.empty();
        }
        String text = base32.replace(" ", "").toUpperCase(Locale.ROOT);
        if (text.length() > 256 || !BASE32.matcher(text).matches()) {
            return Optional.empty();
        }
        Base32 codec = new Base32();
        if (!codec.isInAlphabet(text.replace("=", "")) ) {
            return Optional.empty();
        }
        byte[] key = codec.decode(text);
        return key.length >= minBytes ? Optional.of(key) : Optional.empty();
    }

    /** The step of an instant given in epoch seconds: floor(t / X). */
    static long stepAt(long epochSecond) {
        return Math.floorDiv(epochSecond, STEP_SECONDS);
    }

    /** The code of {@code step} with {@code digits} digits (8 for the RFC's test vectors, 6 otherwise). */
    static String code(byte[] key, long step, int digits) {
        try {
            return new HmacOneTimePasswordGenerator(digits)
                    .generateOneTimePasswordString(new SecretKeySpec(key, "HmacSHA1"), step, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC-SHA1 key was refused", e);
        }
    }

    /**
     * The step within {@code window} steps of {@code nowStep} whose code is {@code typed}; every
     * step of the window is computed and compared in constant time, so the time taken does not
     * tell which one matched.
     */
    static OptionalLong match(byte[] key, String typed, long nowStep, int window) {
        String code = normalize(typed);
        if (!CODE.matcher(code).matches()) {
            return OptionalLong.empty();
        }
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long found = Long.MIN_VALUE;
        for (long step = nowStep - window; step <= nowStep + window; step++) {
            if (MessageDigest.isEqual(code(key, step, DIGITS).getBytes(StandardCharsets.US_ASCII), given)) {
                found = step;
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }

    /** A typed code without the spaces and dashes apps and users put in. */
    static String normalize(String typed) {
        return typed == null ? "" : typed.strip().replace(" ", "").replace("-", "");
    }
}
