package dev.gatehouse.password;

/**
 * Recognizes the self-describing password hash formats Gatehouse can verify, without verifying
 * anything. Used to refuse storing a value that is not a hash (a plaintext password by mistake).
 *
 * <p>Agrees exactly with {@link PasswordHasher}: a value is recognized if and only if the hasher
 * parses it (algorithm, parameters, salt and digest well-formed and within limits) and can
 * therefore verify it. The accepted formats are listed in {@code docs/password-hashes.md}.
 * {@code {noop}} and other plaintext or unsalted formats are never recognized.
 *
 * <p>Stateless and thread-safe.
 */
public final class PasswordHashFormat {

    private PasswordHashFormat() {
    }

    /** Whether {@code value} has the shape of a hash Gatehouse verifies; {@code false} for {@code null}. */
    public static boolean isRecognized(String value) {
        return StoredHash.parse(value).isPresent();
    }
}
