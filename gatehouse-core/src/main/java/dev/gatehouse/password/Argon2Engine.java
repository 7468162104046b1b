package dev.gatehouse.password;

/**
 * Computes raw argon2 hashes. Implementations produce identical bytes for identical inputs; they
 * differ only in speed. Thread-safe.
 */
interface Argon2Engine {

    /**
     * The raw argon2 hash of {@code password}; does not keep or modify {@code password}.
     *
     * @param version 0x10 or 0x13
     */
    byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                byte[] password, byte[] salt, int hashLength);

    /** A short description for logs, e.g. "native libargon2 (argon2-jvm)". */
    String description();
}
