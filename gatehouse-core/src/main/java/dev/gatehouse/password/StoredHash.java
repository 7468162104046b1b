package dev.gatehouse.password;

import java.util.Optional;

/**
 * A stored password hash, parsed: the algorithm, its parameters, salt and digest. Parsing does no
 * cryptography, so {@link PasswordHashFormat} uses it to recognize hashes; a string that parses is
 * exactly a string {@link PasswordHasher} can verify.
 */
sealed interface StoredHash
        permits Argon2Hash, BcryptHash, ScryptHash, Pbkdf2Hash, ShaCryptHash, SpringPbkdf2Hash,
                SpringPrefixedHash, FlaskSecurityHash {

    /** Longer strings are not hashes Gatehouse reads (the longest legitimate ones are a few hundred characters). */
    int MAX_LENGTH = 1024;

    /**
     * Whether {@code password} (in the form to check: already normalized, or as typed) hashes to this.
     * Implementations compare in constant time and zero the password bytes they make.
     */
    boolean matches(String password, HashingContext context);

    /** Whether this hash is exactly what {@code scheme} would write now (same algorithm, parameters, sizes, format). */
    default boolean isCurrent(HashScheme scheme) {
        return false;
    }

    /**
     * Parses the formats Gatehouse verifies: passlib / PHC / modular crypt strings, optionally behind
     * {@code {fs}} (Flask-Security's HMAC pre-hash), and Spring Security's {@code {id}} encodings.
     */
    static Optional<StoredHash> parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (text.startsWith(FlaskSecurityHash.PREFIX)) {
            return parsePasslib(text.substring(FlaskSecurityHash.PREFIX.length())).map(FlaskSecurityHash::new);
        }
        if (text.startsWith("{")) {
            return SpringPrefixedHash.parse(text);
        }
        return parsePasslib(text);
    }

    /** The formats passlib (and so Flask-Security) writes. */
    static Optional<StoredHash> parsePasslib(String text) {
        if (text.startsWith("$argon2")) {
            return Argon2Hash.parse(text).map(StoredHash.class::cast);
        }
        if (text.startsWith("$2")) {
            return BcryptHash.parse(text).map(StoredHash.class::cast);
        }
        if (text.startsWith("$scrypt$")) {
            return ScryptHash.parsePasslib(text).map(StoredHash.class::cast);
        }
        if (text.startsWith("$pbkdf2")) {
            return Pbkdf2Hash.parse(text).map(StoredHash.class::cast);
        }
        if (text.startsWith("$5$") || text.startsWith("$6$")) {
            return ShaCryptHash.parse(text).map(StoredHash.class::cast);
        }
        return Optional.empty();
    }
}
