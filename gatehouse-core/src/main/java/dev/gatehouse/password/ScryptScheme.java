package dev.gatehouse.password;

import java.util.Arrays;

/** scrypt in passlib's {@code $scrypt$ln=..,r=..,p=..$salt$hash} format, 16-byte salt, 32-byte hash. */
final class ScryptScheme extends HashScheme {
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    static final int MAX_LOG2_N = 20;
    /** scrypt needs 128 * r * N bytes; more than 1 GiB is not a password hash any more. */
    static final long MAX_MEMORY_BYTES = 1L << 30;

    private final int log2N;
    private final int blockSize;
    private final int parallelism;

    ScryptScheme(int log2N, int blockSize, int parallelism) {
        String problem = ScryptHash.checkParameters(log2N, blockSize, parallelism);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.log2N = log2N;
        this.blockSize = blockSize;
        this.parallelism = parallelism;
    }

    int log2N() {
        return log2N;
    }

    int blockSize() {
        return blockSize;
    }

    int parallelism() {
        return parallelism;
    }

    @Override
    public String name() {
        return "scrypt";
    }

    @Override
    String hash(String normalizedPassword, HashingContext context) {
        byte[] salt = context.salt(SALT_BYTES);
        byte[] password = PasswordText.utf8(normalizedPassword);
        try {
            byte[] hash = ScryptHash.derive(password, salt, log2N, blockSize, parallelism, HASH_BYTES);
            return new ScryptHash(log2N, blockSize, parallelism, salt, hash).encode();
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScryptScheme s && s.log2N == log2N && s.blockSize == blockSize
                && s.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return (log2N * 31 + blockSize) * 31 + parallelism;
    }

    @Override
    public String toString() {
        return "scrypt(ln=" + log2N + ", r=" + blockSize + ", p=" + parallelism + ")";
    }
}
