package dev.gatehouse.password;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Argon2 through the system's libsodium, whose {@code crypto_pwhash} picks a vectorised
 * implementation (SSSE3, AVX2 or AVX-512) for the processor it runs on: on x86-64 it hashes at
 * Gatehouse's default parameters in little more than half the time of libargon2's portable build,
 * which is what argon2-jvm bundles and Debian ships. Same algorithm, same bytes, same cost to an
 * attacker (who uses the fastest code anyway); a sign-in simply waits less for its own hash.
 *
 * <p>libsodium computes only argon2i and argon2id, version 1.3, one lane, a 16-byte salt and at
 * least 16 bytes of output; anything else (imported hashes with other shapes) goes to
 * {@code others}. Loading fails with a {@link LinkageError} where libsodium is not installed.
 */
final class SodiumArgon2Engine implements Argon2Engine {

    /** {@code crypto_pwhash_SALTBYTES}: libsodium takes salts of exactly this length. */
    private static final int SALT_BYTES = 16;
    private static final int MIN_HASH_BYTES = 16;
    /** {@code crypto_pwhash_ALG_ARGON2I13} and {@code crypto_pwhash_ALG_ARGON2ID13}. */
    private static final int ALG_ARGON2I13 = 1;
    private static final int ALG_ARGON2ID13 = 2;
    /** libsodium refuses argon2i with fewer passes (crypto_pwhash_argon2i_OPSLIMIT_MIN). */
    private static final int ARGON2I_MIN_ITERATIONS = 3;
    /** crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024. */
    private static final int MIN_MEMORY_KIB = 8;

    private final Sodium sodium;
    private final String version;
    private final Argon2Engine others;

    /** The few functions of libsodium used here. */
    interface Sodium extends Library {
        int sodium_init();

        String sodium_version_string();

        int crypto_pwhash(byte[] out, long outlen, Memory passwd, long passwdlen, byte[] salt,
                          long opslimit, long memlimit, int alg);
    }

    private SodiumArgon2Engine(Sodium sodium, Argon2Engine others) {
        this.sodium = sodium;
        this.version = sodium.sodium_version_string();
        this.others = others;
    }

    /**
     * Loads libsodium ({@code libsodium.so.23} and friends, found by JNA on the system's library
     * path) and initialises it.
     *
     * @param others computes what libsodium cannot
     * @throws LinkageError if JNA or libsodium is missing, or libsodium cannot initialise
     */
    static SodiumArgon2Engine load(Argon2Engine others) {
        Sodium sodium = Native.load("sodium", Sodium.class);
        if (sodium.sodium_init() < 0) {
            throw new UnsatisfiedLinkError("libsodium's sodium_init failed");
        }
        return new SodiumArgon2Engine(sodium, others);
    }

    /** Whether libsodium computes this hash itself (otherwise {@code others} does). */
    private static boolean computes(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                            int saltLength, int hashLength) {
        return version == 0x13 && parallelism == 1 && saltLength == SALT_BYTES && hashLength >= MIN_HASH_BYTES
                && memoryKiB >= MIN_MEMORY_KIB
                && (type == Argon2Type.ID || type == Argon2Type.I && iterations >= ARGON2I_MIN_ITERATIONS);
    }

    @Override
    public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                       byte[] password, byte[] salt, int hashLength) {
        if (!computes(type, version, memoryKiB, iterations, parallelism, salt.length, hashLength)) {
            return others.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
        }
        byte[] out = new byte[hashLength];
        // The password goes to native memory that is wiped afterwards, not to a copy JNA would leave behind.
        try (Memory passwd = new Memory(Math.max(1, password.length))) {
            passwd.write(0, password, 0, password.length);
            try {
                int status = sodium.crypto_pwhash(out, hashLength, passwd, password.length, salt, iterations,
                        memoryKiB * 1024L, type == Argon2Type.ID ? ALG_ARGON2ID13 : ALG_ARGON2I13);
                if (status != 0) {
                    // Parameters are checked above, so what is left is the allocation of memoryKiB.
                    throw new IllegalStateException("libsodium could not compute an argon2 hash with m=" + memoryKiB
                            + " KiB (out of memory?)");
                }
            } finally {
                passwd.clear();
            }
        }
        return out;
    }

    @Override
    public String description() {
        return "libsodium " + version + " (system library), with " + others.description() + " for other shapes";
    }
}
