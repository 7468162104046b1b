package dev.gatehouse.token;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified lately, so that a client presenting the same token on every request (an API
 * token) costs a map lookup instead of an HMAC.
 *
 * <p>Kept by the signed part, everything before the signature: no secret (the token's holder can
 * read it, and without the signature it proves nothing), so looking it up may take time that
 * depends on it. The signature, which is the secret, is only compared in constant time with the one
 * computed when the token first verified. What is kept adds nothing to what the heap already holds:
 * the signing keys, with which any signature can be computed. Only genuine tokens enter, so the map
 * grows no faster than tokens are issued; past {@link #MAX_ENTRIES} it starts afresh. The answer
 * for a signed part never changes (same key, same bytes), so nothing here expires; the token's age
 * is checked on every use by {@link TokenSigner#verify}. Thread-safe.
 */
final class VerifiedTokens {

    /** More than the tokens of the clients active at once on one node. */
    static final int MAX_ENTRIES = 10_000;

    /**
     * What a token verified as.
     *
     * @param purpose   the purpose it verified for
     * @param signature its signature's text (base64url, ASCII)
     * @param payload   what was signed
     * @param issuedAt  when it was signed, to the second
     */
    record Verified(String purpose, byte[] signature, String payload, Instant issuedAt) {
    }

    private final ConcurrentHashMap<SignedPart, Verified> bySignedPart = new ConcurrentHashMap<>();

    /**
     * What a token verified as for {@code purpose} before, or null if it did not (then it must be
     * verified in full).
     *
     * @param bytes          the token's characters, one byte each
     * @param signatureStart where its signature begins, after the last dot
     */
    Verified find(String purpose, byte[] bytes, int signatureStart) {
        Verified seen = bySignedPart.get(new SignedPart(bytes, signatureStart - 1));
        if (seen == null || !seen.purpose().equals(purpose)
                || !MessageDigest.isEqual(seen.signature(), signatureOf(bytes, signatureStart))) {
            return null;
        }
        return seen;
    }

    /** Keeps a token that verified (as {@link #find} takes it). */
    void remember(byte[] bytes, int signatureStart, Verified verified) {
        if (bySignedPart.size() >= MAX_ENTRIES) {
            bySignedPart.clear();
        }
        bySignedPart.put(new SignedPart(Arrays.copyOf(bytes, signatureStart - 1), signatureStart - 1), verified);
    }

    static byte[] signatureOf(byte[] bytes, int signatureStart) {
        return Arrays.copyOfRange(bytes, signatureStart, bytes.length);
    }

    int size() {
        return bySignedPart.size();
    }

    /**
     * {@code bytes[0, end)} as a key. Hashes only its last {@link #HASHED} bytes, the end of the
     * payload, where tokens differ (for API tokens a random session family id): hashing all of it
     * costs more than the rest of a lookup.
     */
    private static final class SignedPart {

        private static final int HASHED = 16;

        private final byte[] bytes;
        private final int end;
        private final int hash;

        SignedPart(byte[] bytes, int end) {
            this.bytes = bytes;
            this.end = end;
            int hash = end;
            for (int i = Math.max(0, end - HASHED); i < end; i++) {
                hash = 31 * hash + bytes[i];
            }
            this.hash = hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SignedPart that && that.end == end && Arrays.equals(bytes, 0, end, that.bytes, 0, end);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
