package dev.gatehouse.token;

import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts short values that must be stored for a while but must not be readable where they are
 * stored: the links and codes of emails waiting in the mail outbox. Whoever reads the outbox table
 * sees sealed text, not a usable reset link.
 *
 * <ul>
 *   <li>AES-256-GCM with a random 96-bit nonce, under a key derived with HKDF from the configured
 *       {@code secret} (never the secret itself); {@code secret-previous} secrets still open values
 *       sealed under them, so rotating the secret loses no queued mail.</li>
 *   <li>Each value is bound to a context (e.g. the model entry's name) as associated data: a sealed
 *       value moved to another field does not open.</li>
 *   <li>Format {@code s1.<key id>.<base64url(nonce || ciphertext || tag)>}, URL-safe ASCII.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ValueSealer {

    private static final String PREFIX = "s1.";
    private static final byte[] SALT = "gatehouse/seal/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Key(String id, SecretKeySpec aes) {
    }

    private final List<Key> keys;

    private ValueSealer(List<Secret> secrets) {
        List<Key> derived = new ArrayList<>();
        for (Secret secret : secrets) {
            byte[] prk = Hkdf.extract(SALT, secret.bytes());
            byte[] id = Hkdf.expand(prk, "key-id".getBytes(StandardCharsets.US_ASCII));
            byte[] aes = Hkdf.expand(prk, "aes-256-gcm".getBytes(StandardCharsets.US_ASCII));
            derived.add(new Key(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(id, 6)),
                    new SecretKeySpec(aes, "AES")));
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(aes, (byte) 0);
        }
        this.keys = List.copyOf(derived);
    }

    /** Seals with {@code config.secret()}; opens with it and {@code config.secretPrevious()}. */
    public static ValueSealer create(GatehouseConfig config) {
        List<Secret> secrets = new ArrayList<>();
        secrets.add(config.get(SECRET));
        secrets.addAll(config.get(SECRET_PREVIOUS));
        return new ValueSealer(secrets);
    }

    /** {@code plaintext} sealed and bound to {@code context}. */
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(context, "context");
        Key key = keys.get(0);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return PREFIX + key.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            // AES-GCM is required of every Java platform.
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /**
     * The plaintext of a value {@link #seal}ed with {@code context}; empty if it is not a sealed
     * value, was sealed for another context, under a secret no longer configured, or was altered.
     */
    public Optional<String> open(String sealed, String context) {
        if (sealed == null || context == null || !sealed.startsWith(PREFIX) || sealed.length() > 64_000) {
            return Optional.empty();
        }
        int dot = sealed.indexOf('.', PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String keyId = sealed.substring(PREFIX.length(), dot);
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        for (Key key : keys) {
            if (!key.id().equals(keyId)) {
                continue;
            }
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
                return Optional.of(new String(plain, StandardCharsets.UTF_8));
            } catch (AEADBadTagException e) {
                return Optional.empty();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available", e);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code sealed} was sealed under the current {@code secret} (rather than a
     * {@code secret-previous} one): stored values that are not can be re-sealed on their next use,
     * so that the old secret can eventually be dropped. Says nothing about whether it opens.
     */
    public boolean isSealedWithCurrentKey(String sealed) {
        return isSealed(sealed) && sealed.startsWith(PREFIX + keys.get(0).id() + ".");
    }

    /** Whether {@code value} looks like a sealed value (it may still fail to open). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Names the key by its public id only. */
    @Override
    public String toString() {
        return "ValueSealer[key=" + keys.get(0).id() + ", opening keys=" + keys.size() + "]";
    }
}
