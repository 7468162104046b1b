package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * SHA-256 from the JDK, the one place Gatehouse takes it: for digests of one-time secrets, and for
 * the keys of counters and markers that must not hold the value they count (a client address, an
 * email address, a used token) in the clear. Not for passwords (see {@code PasswordHasher}) and not
 * a MAC (see {@link TokenSigner#mac}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Sha256 {

    /** Digests run on every request (session cookies, rate-limit keys): reuse MessageDigest instances. */
    private static final InstancePool<MessageDigest> POOL = new InstancePool<>(Sha256::newInstance, MessageDigest::reset);

    private Sha256() {
    }

    /** The 32-byte SHA-256 of {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        MessageDigest sha256 = POOL.take();
        try {
            return sha256.digest(bytes);
        } finally {
            POOL.give(sha256);
        }
    }

    /** The 32-byte SHA-256 of the UTF-8 bytes of {@code text}. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The first {@code length} bytes of the SHA-256 of {@code text}'s UTF-8 bytes, in unpadded
     * base64url: a key that tells values apart without revealing them. Keys already stored (rate-limit
     * counters, lockouts, used-token markers) depend on this exact form.
     *
     * @param length 1 to 32; fewer bytes keep a key short where 128 bits tell values apart well enough
     */
    public static String base64Url(String text, int length) {
        if (length < 1 || length > 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 1 to 32 bytes, not " + length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest(text), length));
    }

    private static MessageDigest newInstance() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this is a broken runtime.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
