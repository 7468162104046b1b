package dev.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where users' passkeys (WebAuthn credentials) and their WebAuthn user handles live.
 *
 * <p>A user handle is a random, stable per-user id the relying party hands authenticators
 * ({@code user.id}); it is neither the email nor the numeric id, so a passkey reveals nothing about
 * the account. Discoverable credentials return it at sign-in.
 *
 * <p>Implementations: {@link InMemoryPasskeyStore} and a JDBC store (gatehouse-jdbc).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>No nulls in or out; a {@code null} argument throws {@link NullPointerException}.</li>
 *   <li>Thread-safe; each method atomic. Of concurrent {@link #add} calls for one credential id,
 *       exactly one succeeds; {@link #userHandle} hands every caller the same handle.</li>
 *   <li>A passkey comes back as added, field for field.</li>
 *   <li>Credential ids compare exactly; ids that are not {@link Passkey#isWellFormedCredentialId
 *       well formed} match nothing.</li>
 *   <li>Deleting a user deletes their passkeys and handle.</li>
 *   <li>Failures of the backing system are {@link StoreException}s.</li>
 * </ul>
 *
 * <p>{@code PasskeyStoreContract} in the core test jar checks this.
 */
public interface PasskeyStore {

    /**
     * The user's WebAuthn user handle (base64url of 32 random bytes), created on first call.
     *
     * @throws NoSuchUserException if the user does not exist
     */
    String userHandle(long userId);

    /** The user whose handle this is, if any. */
    Optional<Long> findUserByHandle(String userHandle);

    /**
     * Registers a passkey.
     *
     * @throws DuplicatePasskeyException if its credential id is registered (to anyone) or its
     *                                   owner has a passkey of that name
     * @throws NoSuchUserException       if the owner does not exist
     */
    void add(Passkey passkey);

    /** The passkey with this credential id, whoever owns it. */
    Optional<Passkey> find(String credentialId);

    /** The user's passkeys, oldest first; ties by name. */
    List<Passkey> listForUser(long userId);

    /**
     * Renames a passkey of this user.
     *
     * @return {@code false} if the user has no passkey with this credential id
     * @throws DuplicatePasskeyException if the user has another passkey named {@code newName}
     */
    boolean rename(long userId, String credentialId, String newName);

    /** Deletes a passkey of this user; {@code true} if there was one. Anyone else's is left alone. */
    boolean delete(long userId, String credentialId);

    /**
     * Records a verified use: stores the new signature counter and backup state and sets
     * {@code lastUsedAt}. Does nothing if there is no such passkey.
     */
    void recordUse(String credentialId, long signCount, boolean backedUp, Instant at);
}
