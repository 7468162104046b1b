package dev.gatehouse.session;

import dev.gatehouse.token.OneTimeSecret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where server-side sessions, remember-me grants and refresh tokens live.
 *
 * <p>Keys are digests of client secrets, never the secrets themselves. Implementations:
 * {@link InMemorySessionStore} (one node, the default), a JDBC store (many nodes sharing a
 * database) and a Redis store (many nodes).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>No nulls in or out; absence is an empty {@link Optional}. A {@code null} argument throws
 *       {@link NullPointerException}, also when the store is empty.</li>
 *   <li>Thread-safe; each method is atomic. In particular a record replaced concurrently (touched,
 *       consumed) is still deleted by a concurrent {@code delete*} call that matches it, and the
 *       counts returned are the records actually deleted.</li>
 *   <li>{@link #find(String)} must be cheap: it runs on every session-authenticated request.</li>
 *   <li>A record comes back as saved, field for field, except that instants may be cut to
 *       microseconds. {@link SessionRecord} restricts its values to what every store can keep.</li>
 *   <li>Strings that cannot be an id or a family id (see {@link SessionRecord#isWellFormedId} and
 *       {@link SessionRecord#isWellFormedFamilyId}) match nothing: ids and family ids compare
 *       exactly, case and trailing spaces included.</li>
 *   <li>Expired records may linger until {@link #deleteExpired(Instant)}; callers check expiry.</li>
 * </ul>
 *
 * <p>{@code SessionStoreContract} in the core test jar checks all of this; every implementation
 * should pass it.
 */
public interface SessionStore {

    /** Stores a record, replacing the whole record with the same id if there is one. */
    void save(SessionRecord record);

    /** The record with this id (a digest). */
    Optional<SessionRecord> find(String id);

    /**
     * The record of kind {@code kind} that a client's secret (a cookie value, a refresh token)
     * stands for: looked up by the secret's digest. Empty for anything else, including null,
     * empty or oversized input.
     */
    default Optional<SessionRecord> findBySecret(String secret, SessionKind kind) {
        if (secret == null || secret.isEmpty() || secret.length() > OneTimeSecret.MAX_PRESENTED_LENGTH) {
            return Optional.empty();
        }
        return find(OneTimeSecret.digestOf(secret)).filter(r -> r.kind() == kind);
    }

    /**
     * Sets {@code lastUsedAt} to {@code lastUsedAt} if that is later than the stored value; never
     * moves it back and changes nothing else. Does nothing if the record is gone.
     */
    void touch(String id, Instant lastUsedAt);

    /**
     * Marks a record consumed if it was not already: the atomic step of refresh-token rotation.
     * Changes nothing else.
     *
     * @return {@code true} for exactly one caller per record, however many race; {@code false} if
     *         it was already consumed or does not exist
     */
    boolean consume(String id);

    /** Deletes one record; {@code true} if it existed. */
    boolean delete(String id);

    /** Deletes every record of a family, of any kind; returns how many. */
    int deleteFamily(String familyId);

    /**
     * The latest {@code expiresAt} among the records of a family, of any kind, consumed ones
     * included; empty if the family has none. Answers whether a sign-in is still alive for the
     * API tokens it issued ({@link SessionFamilies}), which cache the answer for a moment.
     */
    Optional<Instant> familyExpiresAt(String familyId);

    /** Deletes every record of a user (sign out everywhere); returns how many. */
    int deleteAllForUser(long userId);

    /**
     * The user's records of every kind, expired and consumed ones included, oldest
     * {@code createdAt} first.
     */
    List<SessionRecord> listForUser(long userId);

    /**
     * Deletes the records whose absolute lifetime is over at {@code now}, i.e. whose
     * {@code expiresAt} is at or before {@code now} ({@link SessionRecord#isExpiredAt}); returns how many.
     */
    int deleteExpired(Instant now);
}
