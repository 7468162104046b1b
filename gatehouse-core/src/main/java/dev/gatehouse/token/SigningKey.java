package dev.gatehouse.token;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * One configured secret, turned into keys: a public key id that tokens carry, so verification
 * picks the right secret without trying each, and one HMAC key per purpose, so a token made for one
 * purpose can never verify for another. Both are derived with HKDF; the secret itself is not kept.
 * Thread-safe.
 */
final class SigningKey {

    private static final byte[] SALT = "gatehouse/token/v1".getBytes(StandardCharsets.US_ASCII);
    /** Purposes come from code, so few; the bound only stops a misuse from growing the cache. */
    private static final int MAX_CACHED_PURPOSES = 256;

    /** Whether {@code purpose} was already derived, and so already checked. */
    boolean knows(String purpose) {
        return purposeKeys.containsKey(purpose);
    }

    /** 8 URL-safe characters (48 bits): an identifier, not a secret. */
    final String id;
    private final byte[] pseudorandomKey;
    private final ConcurrentMap<String, PurposeKey> purposeKeys = new ConcurrentHashMap<>();

    SigningKey(byte[] secret) {
        this.pseudorandomKey = Hkdf.extract(SALT, secret);
        byte[] idBytes = Hkdf.expand(pseudorandomKey, "key-id".getBytes(StandardCharsets.US_ASCII));
        this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(idBytes, 6));
    }

    /** The HMAC-SHA256 key for tokens of {@code purpose}. */
    PurposeKey forPurpose(String purpose) {
        PurposeKey key = purposeKeys.get(purpose);
        if (key == null) {
            byte[] info = ("purpose:" + purpose).getBytes(StandardCharsets.US_ASCII);
            key = new PurposeKey(new SecretKeySpec(Hkdf.expand(pseudorandomKey, info), Hkdf.HMAC_SHA256));
            if (purposeKeys.size() < MAX_CACHED_PURPOSES) {
                purposeKeys.putIfAbsent(purpose, key);
            }
        }
        return key;
    }
}
