package dev.gatehouse.password;

/** The HMAC digests PBKDF2 hashes use, with their JCA algorithm and passlib identifier. */
enum Pbkdf2Digest {
    SHA1("PBKDF2WithHmacSHA1", 20, "pbkdf2"),
    SHA256("PBKDF2WithHmacSHA256", 32, "pbkdf2-sha256"),
    SHA512("PBKDF2WithHmacSHA512", 64, "pbkdf2-sha512");

    private final String jcaAlgorithm;
    private final int length;
    private final String passlibId;

    Pbkdf2Digest(String jcaAlgorithm, int length, String passlibId) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.length = length;
        this.passlibId = passlibId;
    }

    String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The digest size in bytes, which is also the length of passlib's stored checksum. */
    int length() {
        return length;
    }

    /** The identifier between the first two {@code $} of passlib's format. */
    String passlibId() {
        return passlibId;
    }
}
