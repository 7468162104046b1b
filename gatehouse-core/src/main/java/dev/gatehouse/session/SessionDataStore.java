package dev.gatehouse.session;

import java.time.Instant;
import java.util.Optional;

/**
 * Where small named values attached to a sign-in ({@link SessionData}) live, e.g. an identity
 * provider's tokens for the session they came with. Values are opaque to the store and kept as
 * given: callers seal anything secret before storing it.
 *
 * <p>Gatehouse deletes a family's data whenever it ends the family (logout, a reused refresh
 * token or remember-me cookie) and a user's data whenever it ends all their sessions (sign out
 * everywhere, password change or reset), through {@link SessionFamilies#store()}. Implementations:
 * {@link InMemorySessionDataStore} (the default) and a JDBC store (gatehouse-jdbc).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>No nulls in or out; absence is an empty {@link Optional}. A {@code null} argument throws
 *       {@link NullPointerException}.</li>
 *   <li>Thread-safe; each method is atomic. Of concurrent {@link #put}s of one
 *       {@code (familyId, name)}, one wins whole: a value is never mixed from two.</li>
 *   <li>A value comes back as put, field for field.</li>
 *   <li>Strings that cannot be a family id or a name ({@link SessionRecord#isWellFormedFamilyId},
 *       {@link SessionData#isWellFormedName}) match nothing; both compare exactly.</li>
 *   <li>Expired values may linger until {@link #deleteExpired(Instant)}; callers check expiry
 *       ({@link SessionData#isExpiredAt}).</li>
 *   <li>A store sharing a database with the users may refuse a value of a user it does not have
 *       with {@link dev.gatehouse.user.NoSuchUserException}, and deletes a user's values with the
 *       user; failures of the backing system are {@link dev.gatehouse.user.StoreException}s.</li>
 * </ul>
 *
 * <p>{@code SessionDataStoreContract} in the core test jar checks all of this.
 */
public interface SessionDataStore {

    /** Stores a value, replacing the one with the same family id and name if there is one. */
    void put(SessionData data);

    /** The value named {@code name} of the sign-in {@code familyId}. */
    Optional<SessionData> find(String familyId, String name);

    /** Deletes one value; {@code true} if it existed. */
    boolean delete(String familyId, String name);

    /** Deletes every value of a sign-in; returns how many. */
    int deleteFamily(String familyId);

    /** Deletes every value of a user, of all their sign-ins; returns how many. */
    int deleteAllForUser(long userId);

    /** Deletes the values whose {@code expiresAt} is at or before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
