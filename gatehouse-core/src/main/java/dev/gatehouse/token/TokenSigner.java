package dev.gatehouse.token;

import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.token.TokenCheck.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Signs and verifies timed, purpose-bound tokens: the links in confirmation, password reset and
 * sign-in emails, remember-me cookies and API tokens (itsdangerous' {@code URLSafeTimedSerializer}
 * in Flask-Security).
 *
 * <pre>{@code
 * TokenSigner tokens = TokenSigner.create(config, Clock.systemUTC());
 * String token = tokens.sign("reset", user.id() + ":" + user.securityStamp().substring(0, 8));
 * // ... later, when the link comes back:
 * TokenCheck check = tokens.verify("reset", presented, config.resetPasswordWithin());
 * if (check instanceof TokenCheck.Valid valid) {
 *     // valid.payload() names the user; also compare the stamp fragment with the stored stamp
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Signed</b> with HMAC-SHA256 from the JDK, compared in constant time. A token cannot be
 *       forged or altered without the secret.</li>
 *   <li><b>Purpose-bound</b>: each purpose ({@code "confirm"}, {@code "reset"}, ...) signs with its
 *       own key, derived from the secret with HKDF, so a token for one purpose is never valid for
 *       another.</li>
 *   <li><b>Timed</b>: tokens carry their issue time (to the second); {@link #verify} checks it
 *       against the injected {@link Clock}. Expiry is reported as {@link TokenCheck.Expired}, only
 *       for genuine tokens; anything forged or damaged is {@link TokenCheck.Invalid}.</li>
 *   <li><b>Rotatable</b>: the configured {@code secret} signs; {@code secret-previous} secrets only
 *       verify. A token names its key by a short public id, so verification needs one HMAC.</li>
 *   <li><b>Cheap to repeat</b>: a token that verified is remembered by its signed part (no secret),
 *       so presenting it again costs a lookup and a constant-time comparison of its signature with
 *       the one computed the first time, not an HMAC; its age is checked every time.</li>
 *   <li><b>Robust</b>: {@link #verify} accepts any string, including {@code null} and megabytes of
 *       garbage, and answers {@link TokenCheck.Invalid} without throwing.</li>
 * </ul>
 *
 * <h2>Format</h2>
 * {@code v1.<key id>.<issued at>.<payload>.<signature>}, all URL-safe: the version; 8 base64url
 * characters naming the key; the issue time in decimal epoch seconds; the payload as unpadded
 * base64url of its UTF-8 bytes; the unpadded base64url HMAC-SHA256 of everything before the last
 * dot. The payload is signed, not encrypted: anyone holding the token can read it.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenSigner {

    /** Longest token {@link #verify} reads; anything longer is {@link Reason#MALFORMED}. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Longest payload {@link #sign} takes, in UTF-8 bytes; its tokens stay under {@link #MAX_TOKEN_LENGTH}. */
    public static final int MAX_PAYLOAD_BYTES = 2048;
    /** How far in the future a token's issue time may lie: servers' clocks differ a little. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final String VERSION = "v1";
    private static final String VERSION_PREFIX = VERSION + ".";
    private static final int KEY_ID_LENGTH = 8;
    private static final int SIGNATURE_LENGTH = 43;
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** Indexed by character: whether it belongs to base64url's alphabet. */
    private static final boolean[] BASE64URL_ALPHABET = base64UrlAlphabet();

    private final SigningKey current;
    /** Every key that verifies, current first; tokens name theirs by id. */
    private final List<SigningKey> keys;
    private final Clock clock;
    /** Tokens that verified lately, so that one presented on every request costs no HMAC. */
    private final VerifiedTokens verified = new VerifiedTokens();

    private TokenSigner(List<Secret> secrets, Clock clock) {
        List<SigningKey> keys = new ArrayList<>();
        for (Secret secret : secrets) {
            keys.add(new SigningKey(secret.bytes()));
        }
        this.current = keys.get(0);
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    /**
     * A signer that signs with {@code config.secret()} and also accepts tokens signed with
     * {@code config.secretPrevious()}. The configuration has already checked that each secret has
     * at least 32 bytes; see {@link GatehouseConfig}.
     *
     * @param clock the time source for issue times and expiry; inject a fixed clock in tests
     */
    public static TokenSigner create(GatehouseConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        List<Secret> secrets = new ArrayList<>();
        secrets.add(config.get(SECRET));
        secrets.addAll(config.get(SECRET_PREVIOUS));
        return new TokenSigner(secrets, clock);
    }

    /**
     * A token binding {@code payload} to {@code purpose} and to the current time.
     *
     * @param purpose what the token is for: 1–32 characters of {@code a-z}, {@code 0-9} and
     *                {@code -}, starting with a letter, e.g. {@code "reset"}
     * @param payload any text of at most {@value #MAX_PAYLOAD_BYTES} UTF-8 bytes, e.g. a user id
     *                and part of the user's security stamp
     * @throws IllegalArgumentException if the purpose or payload breaks those rules
     */
    public String sign(String purpose, String payload) {
        checkPurpose(purpose);
        Objects.requireNonNull(payload, "payload");
        byte[] bytes = encode(payload);
        long issuedAt = Math.floorDiv(clock.millis(), 1000);
        if (issuedAt < 0) {
            throw new IllegalStateException("the clock is before 1970");
        }
        String body = VERSION_PREFIX + current.id + "." + issuedAt + "." + BASE64URL.encodeToString(bytes);
        return body + "." + signature(current.forPurpose(purpose), body);
    }

    /**
     * Checks a token presented for {@code purpose}.
     *
     * @param purpose the purpose it must have been signed for
     * @param token   untrusted input; {@code null} and garbage are {@link TokenCheck.Invalid}
     * @param maxAge  how long after its issue time the token is valid (inclusive)
     * @return {@link TokenCheck.Valid}, {@link TokenCheck.Expired} (genuine but too old) or
     *         {@link TokenCheck.Invalid}; never throws for any {@code token}
     * @throws IllegalArgumentException if {@code purpose} is malformed or {@code maxAge} not positive
     */
    public TokenCheck verify(String purpose, String token, Duration maxAge) {
        checkPurpose(purpose);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(VERSION_PREFIX)) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        // One byte per character: one outside ISO-8859-1 becomes '?', which no genuine token holds.
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        int signatureStart = token.length() - SIGNATURE_LENGTH;
        if (signatureStart > VERSION_PREFIX.length() && token.charAt(signatureStart - 1) == '.') {
            VerifiedTokens.Verified seen = verified.find(purpose, bytes, signatureStart);
            if (seen != null) {
                return timed(seen.payload(), seen.issuedAt(), maxAge);
            }
        }
        // Parsed by hand rather than with split and regular expressions: API tokens are checked on
        // every request, and this keeps that to one pass over the characters and few allocations.
        int keyEnd = VERSION_PREFIX.length() + KEY_ID_LENGTH;
        if (token.length() <= keyEnd || token.charAt(keyEnd) != '.' || !isBase64Url(token, VERSION_PREFIX.length(), keyEnd)) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        int timeStart = keyEnd + 1;
        int timeEnd = token.indexOf('.', timeStart);
        if (timeEnd < 0 || !isCanonicalNumber(token, timeStart, timeEnd)) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        int payloadStart = timeEnd + 1;
        int payloadEnd = token.indexOf('.', payloadStart);
        if (payloadEnd < 0 || payloadEnd + 1 != signatureStart || (payloadEnd - payloadStart) % 4 == 1
                || !isBase64Url(token, payloadStart, payloadEnd) || !isBase64Url(token, signatureStart, token.length())) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        // Only base64url characters, digits and dots remain, so the bytes are the ASCII text.
        byte[] presented = VerifiedTokens.signatureOf(bytes, signatureStart);
        boolean known = false;
        boolean genuine = false;
        for (SigningKey key : keys) {
            if (token.regionMatches(VERSION_PREFIX.length(), key.id, 0, KEY_ID_LENGTH)) {
                known = true;
                // Comparing the canonical text, not decoded bytes, also rejects signatures that
                // differ only in base64's unused trailing bits.
                byte[] expected = BASE64URL.encode(key.forPurpose(purpose).mac(bytes, 0, payloadEnd));
                genuine |= MessageDigest.isEqual(expected, presented);
            }
        }
        if (!known) {
            return new TokenCheck.Invalid(Reason.UNKNOWN_KEY);
        }
        if (!genuine) {
            return new TokenCheck.Invalid(Reason.BAD_SIGNATURE);
        }
        // Only authenticated input from here on.
        Instant issuedAt = Instant.ofEpochSecond(Long.parseLong(token, timeStart, timeEnd, 10));
        String payload;
        try {
            payload = decode(Base64.getUrlDecoder().decode(Arrays.copyOfRange(bytes, payloadStart, payloadEnd)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // Only a signer with our key could produce this; treat it as damage all the same.
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        verified.remember(bytes, signatureStart, new VerifiedTokens.Verified(purpose, presented, payload, issuedAt));
        return timed(payload, issuedAt, maxAge);
    }

    /** A genuine token's answer at the clock's time: valid, expired, or issued too far in the future. */
    private TokenCheck timed(String payload, Instant issuedAt, Duration maxAge) {
        long nowMillis = clock.millis();
        long issuedAtSeconds = issuedAt.getEpochSecond();
        if (issuedAtSeconds > nowMillis / 1000 + CLOCK_SKEW.getSeconds()) {
            return new TokenCheck.Invalid(Reason.ISSUED_IN_FUTURE);
        }
        // Compare ages rather than computing issuedAt + maxAge, which overflows for huge maxAge.
        long ageMillis = nowMillis - issuedAtSeconds * 1000;
        long maxAgeMillis = maxAge.getSeconds() >= Long.MAX_VALUE / 1000 - 1 ? Long.MAX_VALUE : maxAge.toMillis();
        if (ageMillis > maxAgeMillis) {
            return new TokenCheck.Expired(payload, issuedAt, issuedAt.plus(maxAge));
        }
        return new TokenCheck.Valid(payload, issuedAt);
    }

    private static boolean isBase64Url(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= BASE64URL_ALPHABET.length || !BASE64URL_ALPHABET[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] base64UrlAlphabet() {
        boolean[] alphabet = new boolean[128];
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            alphabet[c] = true;
        }
        return alphabet;
    }

    /** Decimal digits, at most twelve (the year 33658), without leading zeros: one spelling per time. */
    private static boolean isCanonicalNumber(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 12 || (length > 1 && text.charAt(from) == '0')) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A deterministic message authentication code of {@code data} for {@code purpose}, made with
     * the current secret: 43 URL-safe characters. For values that must be unforgeable but carry no
     * time, such as CSRF tokens bound to a session.
     *
     * @throws IllegalArgumentException if the purpose is malformed
     */
    public String mac(String purpose, String data) {
        checkPurpose(purpose);
        return signature(current.forPurpose(purpose), Objects.requireNonNull(data, "data"));
    }

    /**
     * Whether {@code presented} is {@link #mac} of {@code data} under the current or a previous
     * secret, compared in constant time. {@code false}, never an exception, for malformed input.
     */
    public boolean verifyMac(String purpose, String data, String presented) {
        checkPurpose(purpose);
        if (presented == null || data == null || presented.length() != SIGNATURE_LENGTH
                || !isBase64Url(presented, 0, SIGNATURE_LENGTH)) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        boolean genuine = false;
        for (SigningKey key : keys) {
            genuine |= MessageDigest.isEqual(BASE64URL.encode(key.forPurpose(purpose).mac(bytes, 0, bytes.length)), given);
        }
        return genuine;
    }

    /** How many tokens are remembered as verified (for tests). */
    int rememberedTokens() {
        return verified.size();
    }

    /** Names the signing key by its public id; no key material. */
    @Override
    public String toString() {
        return "TokenSigner[key=" + current.id + ", verifying keys=" + keys.size() + "]";
    }

    private static String signature(PurposeKey key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return BASE64URL.encodeToString(key.mac(bytes, 0, bytes.length));
    }

    private void checkPurpose(String purpose) {
        // Purposes come from code and are few: once a key was derived for one, it was checked.
        if (purpose == null || !current.knows(purpose) && !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException(
                    "a token purpose is 1-32 characters of a-z, 0-9 and -, starting with a letter");
        }
    }

    private static byte[] encode(String payload) {
        ByteBuffer buffer;
        try {
            buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            // The lenient String.getBytes would sign a '?' in place of the broken character.
            throw new IllegalArgumentException("the token payload is not well-formed Unicode (a lone surrogate)");
        }
        if (buffer.remaining() > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a token payload has at most " + MAX_PAYLOAD_BYTES
                    + " UTF-8 bytes, not " + buffer.remaining());
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        if (isAscii(bytes)) {
            // The common case (API tokens carry digits and base64url): no decoder to set up.
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
