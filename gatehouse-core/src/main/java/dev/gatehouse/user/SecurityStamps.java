package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Generates and checks security stamps (Flask-Security's {@code fs_uniquifier}).
 *
 * <p>A fresh stamp carries 256 bits from {@link SecureRandom}, written as 43 URL-safe base64
 * characters. Imported stamps (Flask-Security writes 32 hex digits) are accepted when they have
 * at least 128 bits' worth of characters.
 */
public final class SecurityStamps {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern STAMP = Pattern.compile("[A-Za-z0-9_\\-]{32,64}");

    private SecurityStamps() {
    }

    /** A new random stamp. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks an externally supplied stamp: 32–64 characters of {@code [A-Za-z0-9_-]}.
     *
     * @throws InvalidInputException with field {@code security_stamp}
     */
    public static String check(String stamp) {
        if (stamp == null || !STAMP.matcher(stamp).matches()) {
            throw new InvalidInputException("security_stamp", "INVALID_SECURITY_STAMP",
                    "a security stamp is 32-64 characters of A-Z, a-z, 0-9, - and _");
        }
        return stamp;
    }
}
