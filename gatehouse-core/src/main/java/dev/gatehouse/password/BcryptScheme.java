package dev.gatehouse.password;

import dev.gatehouse.error.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt {@code $2b$}, 16-byte salt, via Bouncy Castle's OpenBSD-compatible implementation. */
final class BcryptScheme extends HashScheme {
    static final String IDENT = "2b";
    static final int SALT_BYTES = 16;
    /** bcrypt only ever reads this many bytes of a password. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MIN_COST = 12;
    static final int MAX_COST = 31;

    private final int cost;

    BcryptScheme(int cost) {
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and " + MAX_COST
                    + ", not " + cost);
        }
        this.cost = cost;
    }

    int cost() {
        return cost;
    }

    @Override
    public String name() {
        return "bcrypt";
    }

    @Override
    String hash(String normalizedPassword, HashingContext context) {
        byte[] password = PasswordText.utf8(normalizedPassword);
        try {
            // bcrypt would silently ignore everything after byte 72, so two passwords sharing a
            // 72-byte prefix would be the same password: refuse instead.
            if (password.length > MAX_PASSWORD_BYTES) {
                throw new InvalidInputException("password", "PASSWORD_TOO_LONG",
                        "bcrypt can only hash passwords of at most " + MAX_PASSWORD_BYTES
                                + " bytes (UTF-8); use a shorter password or the argon2id scheme",
                        Map.of("length", MAX_PASSWORD_BYTES));
            }
            return OpenBSDBCrypt.generate(IDENT, password, context.salt(SALT_BYTES), cost);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BcryptScheme s && s.cost == cost;
    }

    @Override
    public int hashCode() {
        return cost;
    }

    @Override
    public String toString() {
        return "bcrypt(cost=" + cost + ")";
    }
}
