package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One registered WebAuthn credential (a passkey) of a user: what a relying party must keep to
 * verify later assertions (W3C WebAuthn Level 3, section 4 "credential record").
 *
 * <p>Immutable; the public key is copied in and out.
 *
 * @param userId         the owner; a credential never signs in anyone else
 * @param credentialId   the credential id, base64url without padding, 1–{@value #MAX_CREDENTIAL_ID_LENGTH} characters
 * @param name           the owner's label for it, unique per user, 1–{@value #MAX_NAME_LENGTH} characters
 * @param publicKeyCose  the credential public key, COSE_Key encoded (RFC 9052, section 7)
 * @param signCount      the last signature counter seen (0 for authenticators that keep none)
 * @param transports     the transports the browser reported ({@code usb}, {@code internal}, ...)
 * @param backupEligible the BE flag at registration: the credential may be synced
 * @param backedUp       the BS flag last seen: the credential is synced now
 * @param usage          first or second factor
 * @param createdAt      when it was registered, cut to microseconds
 * @param lastUsedAt     when it last signed in or re-authenticated, cut to microseconds
 */
public record Passkey(long userId, String credentialId, String name, byte[] publicKeyCose, long signCount,
        Set<String> transports, boolean backupEligible, boolean backedUp, PasskeyUsage usage, Instant createdAt,
        Optional<Instant> lastUsedAt) {

    /** Longest credential id kept: 1023 bytes (WebAuthn's limit) in base64url. */
    public static final int MAX_CREDENTIAL_ID_LENGTH = 1364;
    /** Longest name. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Most transports kept. */
    public static final int MAX_TRANSPORTS = 8;
    /** Longest public key, in bytes. */
    public static final int MAX_PUBLIC_KEY_LENGTH = 2048;

    /** Checks and normalises the fields. */
    public Passkey {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKeyCose, "publicKeyCose");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (!isWellFormedCredentialId(credentialId)) {
            throw new InvalidInputException("credential_id", "INVALID_CREDENTIAL_ID", "not a base64url credential id");
        }
        checkName(name);
        if (publicKeyCose.length == 0 || publicKeyCose.length > MAX_PUBLIC_KEY_LENGTH) {
            throw new InvalidInputException("public_key", "INVALID_PUBLIC_KEY", "public key has an invalid length");
        }
        if (signCount < 0 || signCount > 0xFFFF_FFFFL) {
            throw new InvalidInputException("sign_count", "INVALID_SIGN_COUNT", "sign count must be an unsigned 32-bit value");
        }
        if (transports.size() > MAX_TRANSPORTS) {
            throw new InvalidInputException("transports", "INVALID_TRANSPORT", "at most " + MAX_TRANSPORTS + " transports");
        }
        for (String transport : transports) {
            if (transport == null || !transport.matches("[a-z0-9-]{1,32}")) {
                throw new InvalidInputException("transports", "INVALID_TRANSPORT", "transport must be 1-32 of a-z, 0-9, -");
            }
        }
        publicKeyCose = publicKeyCose.clone();
        transports = Set.copyOf(new TreeSet<>(transports));
        createdAt = StoreLimits.instant("created_at", createdAt);
        lastUsedAt = lastUsedAt.map(at -> StoreLimits.instant("last_used_at", at));
    }

    /** A passkey just registered: never used yet. */
    public static Passkey registered(long userId, String credentialId, String name, byte[] publicKeyCose, long signCount,
            Set<String> transports, boolean backupEligible, boolean backedUp, PasskeyUsage usage, Instant at) {
        return new Passkey(userId, credentialId, name, publicKeyCose, signCount, transports, backupEligible, backedUp,
                usage, at, Optional.empty());
    }

    /** The public key, a copy. */
    @Override
    public byte[] publicKeyCose() {
        return publicKeyCose.clone();
    }

    /** This passkey after a use: the new counter, backup state and time. */
    public Passkey used(long newSignCount, boolean nowBackedUp, Instant at) {
        return new Passkey(userId, credentialId, name, publicKeyCose, newSignCount, transports, backupEligible,
                nowBackedUp, usage, createdAt, Optional.of(at));
    }

    /** This passkey under another name. */
    public Passkey renamed(String newName) {
        return new Passkey(userId, credentialId, newName, publicKeyCose, signCount, transports, backupEligible, backedUp,
                usage, createdAt, lastUsedAt);
    }

    /** Whether {@code id} can be a stored credential id: base64url without padding, not too long. */
    public static boolean isWellFormedCredentialId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_CREDENTIAL_ID_LENGTH || !id.matches("[A-Za-z0-9_-]+")) {
            return false;
        }
        try {
            Base64.getUrlDecoder().decode(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code name} can name a passkey: 1–64 characters, no control characters, no outer whitespace. */
    public static boolean isWellFormedName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && name.strip().equals(name)
                && name.codePoints().noneMatch(Character::isISOControl);
    }

    /**
     * Returns {@code name} if it can name a passkey.
     *
     * @throws InvalidInputException (field {@code name}) if not {@link #isWellFormedName well formed}
     */
    public static String checkName(String name) {
        if (!isWellFormedName(name)) {
            throw new InvalidInputException("name", "INVALID_PASSKEY_NAME",
                    "name must be 1-" + MAX_NAME_LENGTH + " characters without control characters or outer spaces");
        }
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Passkey p && userId == p.userId && credentialId.equals(p.credentialId)
                && name.equals(p.name) && Arrays.equals(publicKeyCose, p.publicKeyCose) && signCount == p.signCount
                && transports.equals(p.transports) && backupEligible == p.backupEligible && backedUp == p.backedUp
                && usage == p.usage && createdAt.equals(p.createdAt) && lastUsedAt.equals(p.lastUsedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, credentialId, name, Arrays.hashCode(publicKeyCose), signCount, transports,
                backupEligible, backedUp, usage, createdAt, lastUsedAt);
    }

    @Override
    public String toString() {
        return "Passkey[userId=" + userId + ", name=" + name + ", usage=" + usage + ", signCount=" + signCount + "]";
    }
}
