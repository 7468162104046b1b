package dev.gatehouse.password;

/** PBKDF2-HMAC-SHA256/512 in passlib's {@code $pbkdf2-sha256$rounds$salt$hash} format, 16-byte salt. */
final class Pbkdf2Scheme extends HashScheme {
    static final int SALT_BYTES = 16;

    private final Pbkdf2Digest digest;
    private final int iterations;

    Pbkdf2Scheme(Pbkdf2Digest digest, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 iterations must be at least 1, not " + iterations
                    + " (OWASP: 600000 for SHA-256, 210000 for SHA-512)");
        }
        this.digest = digest;
        this.iterations = iterations;
    }

    Pbkdf2Digest digest() {
        return digest;
    }

    int iterations() {
        return iterations;
    }

    @Override
    public String name() {
        return digest.passlibId();
    }

    @Override
    String hash(String normalizedPassword, HashingContext context) {
        byte[] salt = context.salt(SALT_BYTES);
        byte[] hash = Pbkdf2Hash.derive(digest, normalizedPassword, salt, iterations, digest.length());
        return new Pbkdf2Hash(digest, iterations, salt, hash).encode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pbkdf2Scheme s && s.digest == digest && s.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return digest.hashCode() * 31 + iterations;
    }

    @Override
    public String toString() {
        return digest.passlibId() + "(iterations=" + iterations + ")";
    }
}
