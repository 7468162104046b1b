package dev.gatehouse.password;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PBKDF2 hash in passlib's format: {@code $pbkdf2-sha256$rounds$salt$hash}, {@code $pbkdf2-sha512$...}
 * or {@code $pbkdf2$...} (HMAC-SHA1), salt and hash in passlib's adapted base64. Computed by the
 * JDK's {@code PBKDF2WithHmacSHA*}, which encodes the password as UTF-8.
 */
record Pbkdf2Hash(Pbkdf2Digest digest, int iterations, byte[] salt, byte[] hash) implements StoredHash {

    private static final Pattern PASSLIB = Pattern.compile(
            "\\$(pbkdf2|pbkdf2-sha256|pbkdf2-sha512)\\$([1-9][0-9]{0,9})\\$([./A-Za-z0-9+]+)\\$([./A-Za-z0-9+]+)");
    private static final int MAX_SALT_BYTES = 1024;

    static Optional<Pbkdf2Hash> parse(String text) {
        Matcher m = PASSLIB.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Pbkdf2Digest digest = switch (m.group(1)) {
            case "pbkdf2" -> Pbkdf2Digest.SHA1;
            case "pbkdf2-sha256" -> Pbkdf2Digest.SHA256;
            default -> Pbkdf2Digest.SHA512;
        };
        long iterations = Long.parseLong(m.group(2));
        Optional<byte[]> salt = HashEncoding.fromAb64(m.group(3));
        Optional<byte[]> hash = HashEncoding.fromAb64(m.group(4));
        if (iterations > Integer.MAX_VALUE || salt.isEmpty() || hash.isEmpty() || salt.get().length == 0
                || salt.get().length > MAX_SALT_BYTES || hash.get().length != digest.length()) {
            return Optional.empty();
        }
        return Optional.of(new Pbkdf2Hash(digest, (int) iterations, salt.get(), hash.get()));
    }

    /** PBKDF2 of the UTF-8 encoded {@code password}. */
    static byte[] derive(Pbkdf2Digest digest, String password, byte[] salt, int iterations, int length) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance(digest.jcaAlgorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide PBKDF2WithHmacSHA1/SHA256/SHA512.
            throw new IllegalStateException(digest.jcaAlgorithm() + " is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    String encode() {
        return "$" + digest.passlibId() + "$" + iterations + "$" + HashEncoding.ab64(salt) + "$" + HashEncoding.ab64(hash);
    }

    @Override
    public boolean matches(String password, HashingContext context) {
        byte[] computed = derive(digest, password, salt, iterations, hash.length);
        try {
            return MessageDigest.isEqual(computed, hash);
        } finally {
            Arrays.fill(computed, (byte) 0);
        }
    }

    @Override
    public boolean isCurrent(HashScheme scheme) {
        return scheme instanceof Pbkdf2Scheme s && digest == s.digest() && iterations == s.iterations()
                && salt.length == Pbkdf2Scheme.SALT_BYTES;
    }

    @Override
    public String toString() {
        return "Pbkdf2Hash[" + digest.passlibId() + ", rounds=" + iterations + "]";
    }
}
