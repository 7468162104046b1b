package dev.gatehouse.config;

/** Values of {@code password-hash}: the algorithm of new password hashes. */
public enum PasswordHashAlgorithm implements Choice {
    /** Argon2id, the default. */
    ARGON2ID,
    /** bcrypt. */
    BCRYPT,
    /** scrypt. */
    SCRYPT,
    /** PBKDF2 with HMAC-SHA-256. */
    PBKDF2_SHA256,
    /** PBKDF2 with HMAC-SHA-512. */
    PBKDF2_SHA512
}
