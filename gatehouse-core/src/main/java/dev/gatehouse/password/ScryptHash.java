package dev.gatehouse.password;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * An scrypt hash. Two formats carry the same values: passlib's {@code $scrypt$ln=17,r=8,p=1$salt$hash}
 * (base64 without padding) and Spring Security's {@code $<hex params>$<salt>$<hash>} (padded base64,
 * params = log2(N) << 16 | r << 8 | p), read by {@link #parseSpring}.
 */
record ScryptHash(int log2N, int blockSize, int parallelism, byte[] salt, byte[] hash) implements StoredHash {

    private static final Pattern PASSLIB = Pattern.compile(
            "\\$scrypt\\$ln=([1-9][0-9]?),r=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern SPRING = Pattern.compile("\\$([0-9a-fA-F]{1,8})\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_BYTES = 512;

    static Optional<ScryptHash> parsePasslib(String text) {
        Matcher m = PASSLIB.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long r = Long.parseLong(m.group(2));
        long p = Long.parseLong(m.group(3));
        if (r > Integer.MAX_VALUE || p > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return of(Integer.parseInt(m.group(1)), (int) r, (int) p,
                HashEncoding.fromB64(m.group(4)), HashEncoding.fromB64(m.group(5)));
    }

    /** Spring Security's SCryptPasswordEncoder format, without its {@code {scrypt}} prefix. */
    static Optional<ScryptHash> parseSpring(String text) {
        Matcher m = SPRING.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long params = Long.parseLong(m.group(1), 16);
        return of((int) (params >> 16 & 0xffff), (int) (params >> 8 & 0xff), (int) (params & 0xff),
                HashEncoding.fromPaddedB64(m.group(2)), HashEncoding.fromPaddedB64(m.group(3)));
    }

    private static Optional<ScryptHash> of(int log2N, int r, int p, Optional<byte[]> salt, Optional<byte[]> hash) {
        if (checkParameters(log2N, r, p) != null || salt.isEmpty() || hash.isEmpty()
                || salt.get().length == 0 || salt.get().length > MAX_BYTES
                || hash.get().length < MIN_HASH_BYTES || hash.get().length > MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new ScryptHash(log2N, r, p, salt.get(), hash.get()));
    }

    /** What is wrong with these scrypt parameters, or {@code null} if nothing. */
    static String checkParameters(int log2N, int blockSize, int parallelism) {
        if (log2N < 1 || log2N > ScryptScheme.MAX_LOG2_N) {
            return "scrypt log2(N) must be between 1 and " + ScryptScheme.MAX_LOG2_N + ", not " + log2N
                    + " (OWASP: 17)";
        }
        if (blockSize < 1 || parallelism < 1) {
            return "scrypt block size r and parallelism p must be at least 1";
        }
        if (128L * blockSize * (1L << log2N) > ScryptScheme.MAX_MEMORY_BYTES) {
            return "scrypt parameters need more than 1 GiB (128 * r * N bytes)";
        }
        if ((long) blockSize * parallelism >= 1L << 30) {
            return "scrypt r * p must be less than 2^30";
        }
        return null;
    }

    static byte[] derive(byte[] password, byte[] salt, int log2N, int blockSize, int parallelism, int length) {
        return SCrypt.generate(password, salt, 1 << log2N, blockSize, parallelism, length);
    }

    String encode() {
        return "$scrypt$ln=" + log2N + ",r=" + blockSize + ",p=" + parallelism + "$" + HashEncoding.b64(salt)
                + "$" + HashEncoding.b64(hash);
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        byte[] bytes = PasswordText.utf8(password);
        byte[] computed = null;
        try {
            computed = derive(bytes, salt, log2N, blockSize, parallelism, hash.length);
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
        return scheme instanceof ScryptScheme s && log2N == s.log2N() && blockSize == s.blockSize()
                && parallelism == s.parallelism() && salt.length == ScryptScheme.SALT_BYTES
                && hash.length == ScryptScheme.HASH_BYTES;
    }

    @Override
    public String toString() {
        return "ScryptHash[ln=" + log2N + ", r=" + blockSize + ", p=" + parallelism + "]";
    }
}
