package dev.gatehouse.password;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A bcrypt hash in modular crypt format, {@code $2a$}, {@code $2b$} or {@code $2y$}, cost 4 to 31.
 *
 * <p>Verification uses the first 72 bytes of the password, as every bcrypt implementation that
 * wrote such hashes did (passlib, Spring Security before 6.3, OpenBSD); this is also what lets
 * Flask-Security's 88-character HMAC pre-hash verify. Gatehouse itself never writes a bcrypt hash
 * of a longer password ({@link BcryptScheme}).
 */
record BcryptHash(String encoded, String ident, int cost) implements StoredHash {

    private static final Pattern MODULAR_CRYPT = Pattern.compile(
            "\\$(2a|2b|2y)\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    static Optional<BcryptHash> parse(String text) {
        Matcher m = MODULAR_CRYPT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BcryptHash(text, m.group(1), Integer.parseInt(m.group(2))));
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        byte[] bytes = PasswordText.utf8(password);
        try {
            // Bouncy Castle reads at most 72 bytes and compares the whole string in constant time.
            return OpenBSDBCrypt.checkPassword(encoded, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public boolean isCurrent(HashScheme scheme) {
        return scheme instanceof BcryptScheme s && ident.equals(BcryptScheme.IDENT) && cost == s.cost();
    }

    @Override
    public String toString() {
        return "BcryptHash[$" + ident + "$, cost=" + cost + "]";
    }
}
