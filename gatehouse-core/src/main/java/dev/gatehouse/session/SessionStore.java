package dev.gatehouse.session;

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
 *   <li>No nulls in or out; absence is an empty {@link Optional}.</li>
 *   <li>Thread-safe; each method is atomic.</li>
 *   <li>{@link #find(String)} must be cheap: it runs on every session-authenticated request.</li>
 *   <li>Expired records may linger until {@link #deleteExpired(Instant)}; callers check expiry.</li>
 * </ul>
 */
public interface SessionStore {

    /** Stores a new record, replacing one with the same id. */
    void save(SessionRecord record);

    /** The record with this id (a digest). */
    Optional<SessionRecord> find(String id);

    /** Moves {@code lastUsedAt} forward; does nothing if the record is gone. */
    void touch(String id, Instant lastUsedAt);

    /**
     * Marks a record consumed if it was not already: the atomic step of refresh-token rotation.
     *
     * @return {@code true} for exactly one caller per record; {@code false} if it was already
     *         consumed or does not exist
     */
    boolean consume(String id);

    /** Deletes one record; {@code true} if it existed. */
    boolean delete(String id);

    /** Deletes every record of a family; returns how many. */
    int deleteFamily(String familyId);

    /** Deletes every record of a user (sign out everywhere); returns how many. */
    int deleteAllForUser(long userId);

    /** The user's records, oldest first. */
    List<SessionRecord> listForUser(long userId);

    /** Deletes records whose absolute lifetime ended before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
