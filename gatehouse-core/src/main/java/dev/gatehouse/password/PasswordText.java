package dev.gatehouse.password;

import dev.gatehouse.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;
import java.util.Optional;

/**
 * How a password string becomes the bytes the algorithms see: Unicode NFKD normalization (Flask-Security's
 * default {@code SECURITY_PASSWORD_NORMALIZE_FORM}), then UTF-8.
 */
final class PasswordText {

    /**
     * Longest password accepted, in UTF-8 bytes after normalization; passlib's {@code MAX_PASSWORD_SIZE}.
     * Bounds the work an attacker can ask for: sha256_crypt/sha512_crypt cost grows with password length.
     */
    static final int MAX_BYTES = 4096;

    private PasswordText() {
    }

    /** The NFKD form of {@code password}. */
    static String normalize(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKD);
    }

    /** The NFKD form of a password to hash; refuses an empty or overlong one. */
    static String normalizeForHashing(String password) {
        return normalizeWithinLimits(password).orElseThrow(() -> password.isEmpty()
                ? new InvalidInputException("password", "PASSWORD_NOT_PROVIDED", "a password is required")
                : new InvalidInputException("password", "PASSWORD_TOO_LONG",
                        "the password is longer than " + MAX_BYTES + " bytes", Map.of("length", MAX_BYTES)));
    }

    /** The NFKD form of {@code password}, or empty when it is empty or longer than {@link #MAX_BYTES}. */
    static Optional<String> normalizeWithinLimits(String password) {
        // NFKD can shorten a string (one supplementary character may become one BMP character), so
        // only inputs that cannot possibly fit are refused before normalizing.
        if (password.isEmpty() || password.length() > 2 * MAX_BYTES) {
            return Optional.empty();
        }
        String normalized = normalize(password);
        return withinLimits(normalized) ? Optional.of(normalized) : Optional.empty();
    }

    /** Whether {@code password} (as it will be hashed) is non-empty and at most {@link #MAX_BYTES} in UTF-8. */
    static boolean withinLimits(String password) {
        return !password.isEmpty() && utf8Length(password) <= MAX_BYTES;
    }

    /** The UTF-8 bytes; callers zero them when done. */
    static byte[] utf8(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** The UTF-8 length of {@code s}, counting unpaired surrogates as the one byte ('?') they encode to. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
