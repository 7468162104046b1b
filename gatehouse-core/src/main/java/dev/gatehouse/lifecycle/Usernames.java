package dev.gatehouse.lifecycle;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.text.Normalizer;
import java.util.Map;

/**
 * The username rules of registration and username change, as Flask-Security's: NFKC-normalized and
 * trimmed, {@code username-min-length} to {@code username-max-length} characters (4–32 by default),
 * letters and digits of any script plus {@code _ - .}. Stored and compared case-insensitively.
 */
final class Usernames {

    private Usernames() {
    }

    /**
     * The normalized username.
     *
     * @throws InvalidInputException field {@code username}: {@code USERNAME_NOT_PROVIDED},
     *         {@code USERNAME_INVALID_LENGTH}, {@code USERNAME_ILLEGAL_CHARACTERS} (control,
     *         invisible or space characters) or {@code USERNAME_DISALLOWED_CHARACTERS} (other
     *         punctuation and symbols)
     */
    static String check(String username, int min, int max) {
        if (username == null || username.isBlank()) {
            throw new InvalidInputException("username", "USERNAME_NOT_PROVIDED", "Username not provided");
        }
        String normalized = Normalizer.normalize(username.strip(), Normalizer.Form.NFKC);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < min || length > max) {
            throw new InvalidInputException("username", "USERNAME_INVALID_LENGTH",
                    "Username must be at least " + min + " characters and at most " + max + " characters",
                    Map.of("min", min, "max", max));
        }
        if (normalized.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE)) {
            throw new InvalidInputException("username", "USERNAME_ILLEGAL_CHARACTERS", "Username contains illegal characters");
        }
        if (!normalized.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
            throw new InvalidInputException("username", "USERNAME_DISALLOWED_CHARACTERS",
                    "Username can contain only letters, digits, _, - and .");
        }
        return Identifiers.checkUsername(normalized);
    }
}
