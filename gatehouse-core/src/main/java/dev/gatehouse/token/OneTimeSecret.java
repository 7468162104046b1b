package dev.gatehouse.token;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A random one-time secret handed to a client (a session id, a reset or confirmation code, a
 * sign-in link code), together with the digest that is stored in its place.
 *
 * <p>Only the {@linkplain #digest() digest} is ever stored; the {@linkplain #value() value} goes to
 * the client and is forgotten. Someone who reads the store therefore cannot present any secret.
 * When a client presents a secret, look the record up by {@link #digestOf(String)} or compare with
 * {@link #matches(String, String)}, which runs in constant time.
 *
 * <p>Values carry 256 bits from {@link SecureRandom}, written as 43 URL-safe base64 characters.
 * Guessing one is hopeless, so a fast, unsalted SHA-256 is the right digest: a slow password hash
 * would add nothing but cost. For the same reason this is not for short human-typed codes (six
 * digits): their digests could be reversed by trying every code.
 *
 * <p>Instances are immutable and thread-safe; {@link #toString()} reveals neither value nor digest.
 */
public final class OneTimeSecret {

    /** Length of every {@link #digest()}: 64 lower-case hex digits. */
    public static final int DIGEST_LENGTH = 64;
    /** Presented secrets longer than this never {@linkplain #matches match}. */
    public static final int MAX_PRESENTED_LENGTH = 512;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final String value;
    private final String digest;

    private OneTimeSecret(String value) {
        this.value = value;
        this.digest = digestOf(value);
    }

    /** A new random secret with its digest. */
    public static OneTimeSecret generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new OneTimeSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** What the client receives: 43 characters of {@code [A-Za-z0-9_-]}. Never store it. */
    public String value() {
        return value;
    }

    /** What the store keeps: the SHA-256 of the value's UTF-8 bytes, as 64 lower-case hex digits. */
    public String digest() {
        return digest;
    }

    /** The storage digest of a presented secret, to look its record up by. */
    public static String digestOf(String presented) {
        Objects.requireNonNull(presented, "presented");
        return HEX.formatHex(Sha256.digest(presented));
    }

    /**
     * Whether {@code presented} is the secret whose digest is {@code storedDigest}, compared in
     * constant time. {@code false}, never an exception, for {@code null}, oversized or malformed
     * input.
     */
    public static boolean matches(String presented, String storedDigest) {
        if (presented == null || storedDigest == null || presented.length() > MAX_PRESENTED_LENGTH
                || storedDigest.length() != DIGEST_LENGTH) {
            return false;
        }
        byte[] stored;
        try {
            stored = HEX.parseHex(storedDigest);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(Sha256.digest(presented), stored);
    }

    /** Reveals nothing. */
    @Override
    public String toString() {
        return "OneTimeSecret[<redacted>]";
    }
}
