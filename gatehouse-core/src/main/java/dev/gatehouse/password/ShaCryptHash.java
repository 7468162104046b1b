package dev.gatehouse.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * A sha256_crypt ({@code $5$}) or sha512_crypt ({@code $6$}) hash, with or without an explicit
 * {@code rounds=} field (5000 when absent), computed by commons-codec's {@link Sha2Crypt}.
 * Verification only: Gatehouse never writes these.
 */
record ShaCryptHash(String encoded, boolean sha512, int rounds) implements StoredHash {

    private static final Pattern MODULAR_CRYPT = Pattern.compile(
            "\\$([56])\\$(?:rounds=([1-9][0-9]{3,8})\\$)?[./0-9A-Za-z]{1,16}\\$([./0-9A-Za-z]+)");
    private static final int DEFAULT_ROUNDS = 5000;

    static Optional<ShaCryptHash> parse(String text) {
        Matcher m = MODULAR_CRYPT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean sha512 = m.group(1).equals("6");
        if (m.group(3).length() != (sha512 ? 86 : 43)) {
            return Optional.empty();
        }
        int rounds = m.group(2) == null ? DEFAULT_ROUNDS : Integer.parseInt(m.group(2));
        return Optional.of(new ShaCryptHash(text, sha512, rounds));
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        byte[] bytes = PasswordText.utf8(password);
        try {
            // Sha2Crypt takes the salt (with its "$5$rounds=N$" prefix) from the front of the stored
            // hash and writes the rounds field back exactly when it was there.
            String computed = sha512 ? Sha2Crypt.sha512Crypt(bytes, encoded) : Sha2Crypt.sha256Crypt(bytes, encoded);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    encoded.getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "ShaCryptHash[" + (sha512 ? "$6$" : "$5$") + ", rounds=" + rounds + "]";
    }
}
