package dev.gatehouse.token;

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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

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
    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{8}");
    // Twelve digits reach the year 33658; no leading zeros, so each time has one spelling.
    private static final Pattern ISSUED_AT = Pattern.compile("0|[1-9][0-9]{0,11}");
    private static final Pattern PAYLOAD = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKey current;
    private final Map<String, List<SigningKey>> keysById;
    private final Clock clock;

    private TokenSigner(List<Secret> secrets, Clock clock) {
        List<SigningKey> keys = new ArrayList<>();
        for (Secret secret : secrets) {
            keys.add(new SigningKey(secret.bytes()));
        }
        Map<String, List<SigningKey>> byId = new LinkedHashMap<>();
        for (SigningKey key : keys) {
            // Two secrets sharing a 48-bit id is improbable but harmless: both are tried.
            byId.computeIfAbsent(key.id, id -> new ArrayList<>()).add(key);
        }
        byId.replaceAll((id, list) -> List.copyOf(list));
        this.current = keys.get(0);
        this.keysById = Map.copyOf(byId);
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
        secrets.add(config.secret());
        secrets.addAll(config.secretPrevious());
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
        long issuedAt = clock.instant().getEpochSecond();
        if (issuedAt < 0) {
            throw new IllegalStateException("the clock is before 1970");
        }
        String body = VERSION + "." + current.id + "." + issuedAt + "." + BASE64URL.encodeToString(bytes);
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
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(VERSION) || !KEY_ID.matcher(parts[1]).matches()
                || !ISSUED_AT.matcher(parts[2]).matches() || !PAYLOAD.matcher(parts[3]).matches()
                || parts[3].length() % 4 == 1 || !SIGNATURE.matcher(parts[4]).matches()) {
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        List<SigningKey> candidates = keysById.get(parts[1]);
        if (candidates == null) {
            return new TokenCheck.Invalid(Reason.UNKNOWN_KEY);
        }
        String body = token.substring(0, token.lastIndexOf('.'));
        byte[] presented = parts[4].getBytes(StandardCharsets.US_ASCII);
        boolean genuine = false;
        for (SigningKey key : candidates) {
            // Comparing the canonical text, not decoded bytes, also rejects signatures that differ
            // only in base64's unused trailing bits.
            byte[] expected = signature(key.forPurpose(purpose), body).getBytes(StandardCharsets.US_ASCII);
            genuine |= MessageDigest.isEqual(expected, presented);
        }
        if (!genuine) {
            return new TokenCheck.Invalid(Reason.BAD_SIGNATURE);
        }
        // Only authenticated input from here on.
        Instant issuedAt = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            return new TokenCheck.Invalid(Reason.ISSUED_IN_FUTURE);
        }
        String payload;
        try {
            payload = decode(parts[3]);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // Only a signer with our key could produce this; treat it as damage all the same.
            return new TokenCheck.Invalid(Reason.MALFORMED);
        }
        // Compare ages rather than computing issuedAt + maxAge, which overflows for huge maxAge.
        if (Duration.between(issuedAt, now).compareTo(maxAge) > 0) {
            return new TokenCheck.Expired(payload, issuedAt, issuedAt.plus(maxAge));
        }
        return new TokenCheck.Valid(payload, issuedAt);
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
        if (presented == null || data == null || !SIGNATURE.matcher(presented).matches()) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.US_ASCII);
        boolean genuine = false;
        for (List<SigningKey> keys : keysById.values()) {
            for (SigningKey key : keys) {
                genuine |= MessageDigest.isEqual(signature(key.forPurpose(purpose), data).getBytes(StandardCharsets.US_ASCII), given);
            }
        }
        return genuine;
    }

    /** Names the signing key by its public id; no key material. */
    @Override
    public String toString() {
        return "TokenSigner[key=" + current.id + ", verifying keys=" + keysById.size() + "]";
    }

    private static String signature(SecretKeySpec key, String body) {
        return BASE64URL.encodeToString(Hkdf.mac(key).doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void checkPurpose(String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
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

    private static String decode(String base64url) throws CharacterCodingException {
        byte[] bytes = Base64.getUrlDecoder().decode(base64url);
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
