package dev.gatehouse.password;

import dev.gatehouse.config.PasswordHashAlgorithm;
import java.util.List;
import java.util.Locale;

/**
 * The algorithm and cost parameters {@link PasswordHasher} writes new hashes with. Hashes in any
 * other scheme, or in this scheme with other parameters, still verify and are replaced on the next
 * successful sign-in ({@link PasswordHasher#verifyAndUpdate}).
 *
 * <p>The constants carry current OWASP Password Storage Cheat Sheet / ASVS 5.0 parameters; the
 * factory methods build the same algorithms with other costs (validated at once, with a message
 * naming the setting). Each scheme uses a 16-byte random salt; the digest is 32 bytes (64 for
 * PBKDF2-SHA512), written in the format passlib reads and writes.
 *
 * <p>Instances are immutable values, safe to share between threads.
 */
public abstract sealed class HashScheme permits Argon2Scheme, BcryptScheme, ScryptScheme, Pbkdf2Scheme {

    /** argon2id, m=19456 KiB (19 MiB), t=2, p=1: the default. Stored as {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}. */
    public static final HashScheme ARGON2ID = argon2id(19_456, 2, 1);

    /** bcrypt, cost 12. Stored as {@code $2b$12$...}. Refuses passwords over 72 UTF-8 bytes. */
    public static final HashScheme BCRYPT = bcrypt(12);

    /** scrypt, N=2^17, r=8, p=1 (128 MiB). Stored as {@code $scrypt$ln=17,r=8,p=1$salt$hash}. */
    public static final HashScheme SCRYPT = scrypt(17, 8, 1);

    /** PBKDF2-HMAC-SHA256, 600,000 iterations. Stored as {@code $pbkdf2-sha256$600000$salt$hash}. */
    public static final HashScheme PBKDF2_SHA256 = pbkdf2Sha256(600_000);

    /** PBKDF2-HMAC-SHA512, 210,000 iterations. Stored as {@code $pbkdf2-sha512$210000$salt$hash}. */
    public static final HashScheme PBKDF2_SHA512 = pbkdf2Sha512(210_000);

    private static final List<HashScheme> DEFAULTS = List.of(ARGON2ID, BCRYPT, SCRYPT, PBKDF2_SHA256, PBKDF2_SHA512);

    HashScheme() {
    }

    /**
     * argon2id with the given cost.
     *
     * @param memoryKiB   memory in KiB, at least 8 per lane, at most 2 GiB (2097152)
     * @param iterations  passes over memory, 1 to 1000
     * @param parallelism lanes, 1 to 255
     */
    public static HashScheme argon2id(int memoryKiB, int iterations, int parallelism) {
        return new Argon2Scheme(memoryKiB, iterations, parallelism);
    }

    /**
     * bcrypt ({@code $2b$}) with the given cost.
     *
     * @param cost log2 of the number of rounds, 12 to 31
     */
    public static HashScheme bcrypt(int cost) {
        return new BcryptScheme(cost);
    }

    /**
     * scrypt with the given cost.
     *
     * @param log2N       log2 of the CPU/memory cost N, 1 to 20
     * @param blockSize   r, at least 1
     * @param parallelism p, at least 1
     */
    public static HashScheme scrypt(int log2N, int blockSize, int parallelism) {
        return new ScryptScheme(log2N, blockSize, parallelism);
    }

    /** PBKDF2-HMAC-SHA256 with the given number of iterations (at least 1). */
    public static HashScheme pbkdf2Sha256(int iterations) {
        return new Pbkdf2Scheme(Pbkdf2Digest.SHA256, iterations);
    }

    /** PBKDF2-HMAC-SHA512 with the given number of iterations (at least 1). */
    public static HashScheme pbkdf2Sha512(int iterations) {
        return new Pbkdf2Scheme(Pbkdf2Digest.SHA512, iterations);
    }

    /**
     * The scheme with default parameters for a configuration name: {@code argon2id}, {@code bcrypt},
     * {@code scrypt}, {@code pbkdf2-sha256} or {@code pbkdf2-sha512} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static HashScheme named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (HashScheme scheme : DEFAULTS) {
            if (scheme.name().equals(wanted)) {
                return scheme;
            }
        }
        throw new IllegalArgumentException("unknown password hash scheme \"" + name
                + "\"; expected one of argon2id, bcrypt, scrypt, pbkdf2-sha256, pbkdf2-sha512");
    }

    /** The scheme with default parameters for the {@code password-hash} setting's value. */
    public static HashScheme of(PasswordHashAlgorithm algorithm) {
        return named(algorithm.wireName());
    }

    /** The algorithm's configuration name: {@code argon2id}, {@code bcrypt}, {@code scrypt}, {@code pbkdf2-sha256} or {@code pbkdf2-sha512}. */
    public abstract String name();

    /** Hashes an already normalized, length-checked password into a self-describing string. */
    abstract String hash(String normalizedPassword, HashingContext context);
}
