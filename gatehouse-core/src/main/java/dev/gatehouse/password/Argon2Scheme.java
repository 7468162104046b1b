package dev.gatehouse.password;

import java.util.Arrays;

/** argon2id, version 1.3, 16-byte salt, 32-byte hash, in PHC format. */
final class Argon2Scheme extends HashScheme {
    static final int VERSION = 0x13;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    static final int MAX_MEMORY_KIB = 1 << 21;
    static final int MAX_ITERATIONS = 1000;
    static final int MAX_PARALLELISM = 255;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;

    Argon2Scheme(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("argon2 parallelism must be between 1 and " + MAX_PARALLELISM
                    + ", not " + parallelism);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2 memory must be between 8 KiB per lane (" + 8 * parallelism
                    + ") and " + MAX_MEMORY_KIB + " KiB, not " + memoryKiB + " (OWASP: 19456 KiB with t=2)");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("argon2 iterations must be between 1 and " + MAX_ITERATIONS
                    + ", not " + iterations);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    int memoryKiB() {
        return memoryKiB;
    }

    int iterations() {
        return iterations;
    }

    int parallelism() {
        return parallelism;
    }

    @Override
    public String name() {
        return "argon2id";
    }

    @Override
    String hash(String normalizedPassword, HashingContext context) {
        byte[] salt = context.salt(SALT_BYTES);
        byte[] password = PasswordText.utf8(normalizedPassword);
        try {
            byte[] hash = context.argon2().hash(Argon2Type.ID, VERSION, memoryKiB, iterations, parallelism,
                    password, salt, HASH_BYTES);
            return new Argon2Hash(Argon2Type.ID, VERSION, memoryKiB, iterations, parallelism, salt, hash).encode();
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2Scheme s && s.memoryKiB == memoryKiB && s.iterations == iterations
                && s.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return (memoryKiB * 31 + iterations) * 31 + parallelism;
    }

    @Override
    public String toString() {
        return "argon2id(m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism + ")";
    }
}
