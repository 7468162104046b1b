package dev.gatehouse.password;

import java.util.regex.Pattern;

/**
 * Recognizes the self-describing password hash formats Gatehouse can verify, without verifying
 * anything. Used to refuse storing a value that is not a hash (a plaintext password by mistake).
 */
public final class PasswordHashFormat {

    private static final String MODULAR = "\\$(argon2id|argon2i|argon2d|2a|2b|2y|scrypt|pbkdf2|pbkdf2-sha256|pbkdf2-sha512|5|6)"
            + "\\$[A-Za-z0-9./+=,$\\-]{20,600}";
    // PHC strings ($argon2id$..., $scrypt$..., $pbkdf2-sha256$...) and modular crypt ($2b$, $5$, $6$),
    // optionally behind {fs} (Flask-Security's HMAC pre-hash). Spring Security's own encodings
    // (hex pbkdf2, $-separated scrypt) only count behind their {id} prefix: bare hex could be a password.
    private static final Pattern HASH = Pattern.compile(
            "(\\{fs\\})?(" + MODULAR
                    + "|\\{[A-Za-z0-9_@.\\-]{1,40}\\}(" + MODULAR
                    + "|[0-9a-fA-F]{64,256}"
                    + "|\\$[0-9a-fA-F]{1,16}\\$[A-Za-z0-9+/=]{8,200}\\$[A-Za-z0-9+/=]{8,400}))");

    private PasswordHashFormat() {
    }

    /** Whether {@code value} has the shape of a hash Gatehouse verifies. */
    public static boolean isRecognized(String value) {
        return value != null && value.length() <= 1024 && HASH.matcher(value).matches();
    }
}
