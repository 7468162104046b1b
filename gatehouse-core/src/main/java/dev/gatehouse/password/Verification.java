package dev.gatehouse.password;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link PasswordHasher#verifyAndUpdate}: whether the password matched and, when it
 * matched a hash that is not in the hasher's current scheme and parameters, the fresh hash to store
 * in its place.
 *
 * <p>Immutable. {@link #toString()} does not show the new hash.
 *
 * @param matches     whether the password is the one the stored hash was made from
 * @param updatedHash a new hash of the same password to replace the stored one; only ever present when {@code matches}
 */
public record Verification(boolean matches, Optional<String> updatedHash) {

    private static final Verification MISMATCH = new Verification(false, Optional.empty());
    private static final Verification MATCH = new Verification(true, Optional.empty());

    public Verification {
        Objects.requireNonNull(updatedHash, "updatedHash");
        if (!matches && updatedHash.isPresent()) {
            throw new IllegalArgumentException("a mismatch has no updated hash");
        }
    }

    static Verification mismatch() {
        return MISMATCH;
    }

    static Verification match() {
        return MATCH;
    }

    static Verification matchWithUpdate(String newHash) {
        return new Verification(true, Optional.of(newHash));
    }

    @Override
    public String toString() {
        return "Verification[matches=" + matches + ", updatedHash=" + (updatedHash.isPresent() ? "<new hash>" : "none") + "]";
    }
}
