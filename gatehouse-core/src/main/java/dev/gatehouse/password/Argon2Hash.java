package dev.gatehouse.password;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An argon2 hash in PHC format: {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, base64 without
 * padding. Any variant (d, i, id), version 1.0 (with {@code v=16} or, as written before version 1.3,
 * without a {@code v=} field) or 1.3, and any parameters, salt and hash length within the limits of
 * {@link Argon2Scheme}, as passlib, argon2-cffi, libargon2 and Spring Security write them.
 */
record Argon2Hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                  byte[] salt, byte[] hash) implements StoredHash {

    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2id|argon2i|argon2d)\\$(?:v=(16|19)\\$)?m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    // libargon2's ARGON2_MIN_SALT_LENGTH and ARGON2_MIN_OUTLEN.
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 4;
    private static final int MAX_BYTES = 512;

    static Optional<Argon2Hash> parse(String text) {
        Matcher m = PHC.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int version = m.group(2) == null || m.group(2).equals("16") ? 0x10 : 0x13;
        long memory = Long.parseLong(m.group(3));
        long iterations = Long.parseLong(m.group(4));
        long parallelism = Long.parseLong(m.group(5));
        if (parallelism > Argon2Scheme.MAX_PARALLELISM || memory < 8 * parallelism
                || memory > Argon2Scheme.MAX_MEMORY_KIB || iterations > Argon2Scheme.MAX_ITERATIONS) {
            return Optional.empty();
        }
        Optional<byte[]> salt = HashEncoding.fromB64(m.group(6));
        Optional<byte[]> hash = HashEncoding.fromB64(m.group(7));
        if (salt.isEmpty() || hash.isEmpty() || salt.get().length < MIN_SALT_BYTES || salt.get().length > MAX_BYTES
                || hash.get().length < MIN_HASH_BYTES || hash.get().length > MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new Argon2Hash(Argon2Type.fromPhcId(m.group(1)).orElseThrow(), version, (int) memory,
                (int) iterations, (int) parallelism, salt.get(), hash.get()));
    }

    String encode() {
        return "$" + type.phcId() + "$v=" + version + "$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + HashEncoding.b64(salt) + "$" + HashEncoding.b64(hash);
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        byte[] bytes = PasswordText.utf8(password);
        byte[] computed = null;
        try {
            computed = context.argon2().hash(type, version, memoryKiB, iterations, parallelism, bytes, salt, hash.length);
            return MessageDigest.isEqual(computed, hash);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (computed != null) {
                Arrays.fill(computed, (byte) 0);
            }
        }
    }

    @Override
    public boolean isCurrent(HashScheme scheme) {
        return scheme instanceof Argon2Scheme s && type == Argon2Type.ID && version == Argon2Scheme.VERSION
                && memoryKiB == s.memoryKiB() && iterations == s.iterations() && parallelism == s.parallelism()
                && salt.length == Argon2Scheme.SALT_BYTES && hash.length == Argon2Scheme.HASH_BYTES;
    }

    @Override
    public String toString() {
        // No salt or digest: hashes stay out of logs.
        return "Argon2Hash[" + type.phcId() + ", v=" + version + ", m=" + memoryKiB + ", t=" + iterations
                + ", p=" + parallelism + "]";
    }
}
