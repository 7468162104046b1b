package dev.gatehouse.token;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), limited to one 32-byte output block, which is all Gatehouse
 * needs. The JDK has no HKDF before Java 24; this composes the JDK's HMAC exactly as the RFC
 * specifies and is checked against the RFC's test vectors.
 */
final class Hkdf {

    static final String HMAC_SHA256 = "HmacSHA256";

    private Hkdf() {
    }

    /** HKDF-Extract: a pseudorandom key from input keying material of any quality and length. */
    static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        return hmac(salt, inputKeyMaterial);
    }

    /** HKDF-Expand with L = 32: T(1) = HMAC(PRK, info || 0x01). */
    static byte[] expand(byte[] pseudorandomKey, byte[] info) {
        byte[] input = Arrays.copyOf(info, info.length + 1);
        input[info.length] = 1;
        return hmac(pseudorandomKey, input);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(new SecretKeySpec(key, HMAC_SHA256)).doFinal(data);
    }

    /**
     * A fresh, initialized HMAC-SHA256. {@link Mac} instances are not thread-safe; a new one per
     * operation keeps callers thread-safe without thread-locals (which virtual threads multiply).
     */
    static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, so this is a broken runtime.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
