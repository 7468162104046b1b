package dev.gatehouse.password;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Spring Security's Pbkdf2PasswordEncoder output: hex of salt || hash, with neither algorithm nor
 * iterations in it, so the settings come from the {@code {id}}: {@code {pbkdf2}} is Spring's
 * {@code defaultsForSpringSecurity_v5_5} (PBKDF2WithHmacSHA1, 185000 iterations) in
 * PasswordEncoderFactories, and some applications mapped it to the 5.8 defaults (PBKDF2WithHmacSHA256,
 * 310000 iterations), so both are tried; {@code {pbkdf2@SpringSecurity_v5_8}} is the 5.8 defaults
 * only. The hash is 256 bits in both; the salt is the rest (8 bytes in v5_5, 16 in v5_8). Spring's
 * default empty secret is assumed.
 */
record SpringPbkdf2Hash(List<Variant> variants, byte[] salt, byte[] hash) implements StoredHash {

    static final Variant V5_5 = new Variant(Pbkdf2Digest.SHA1, 185_000);
    static final Variant V5_8 = new Variant(Pbkdf2Digest.SHA256, 310_000);
    private static final int HASH_BYTES = 32;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MAX_SALT_BYTES = 64;

    record Variant(Pbkdf2Digest digest, int iterations) {
    }

    static Optional<SpringPbkdf2Hash> parse(List<Variant> variants, String hex) {
        return HashEncoding.fromHex(hex)
                .filter(bytes -> bytes.length >= MIN_SALT_BYTES + HASH_BYTES && bytes.length <= MAX_SALT_BYTES + HASH_BYTES)
                .map(bytes -> new SpringPbkdf2Hash(variants, Arrays.copyOf(bytes, bytes.length - HASH_BYTES),
                        Arrays.copyOfRange(bytes, bytes.length - HASH_BYTES, bytes.length)));
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        boolean matched = false;
        for (Variant variant : variants) {
            byte[] computed = Pbkdf2Hash.derive(variant.digest(), password, salt, variant.iterations(), HASH_BYTES);
            matched = MessageDigest.isEqual(computed, hash);
            Arrays.fill(computed, (byte) 0);
            if (matched) {
                break;
            }
        }
        return matched;
    }

    @Override
    public String toString() {
        return "SpringPbkdf2Hash" + variants;
    }
}
