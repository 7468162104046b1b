package dev.gatehouse.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a sign-in is still alive, for the stateless credentials it issued (API tokens). A sign-in
 * is a family of {@link SessionRecord}s — its session, remember-me grant and refresh tokens — and
 * it is alive while the store holds a record of the family whose absolute lifetime has not run
 * out. Logout, reuse detection and "sign out everywhere" delete the family, and with it every API
 * token naming it.
 *
 * <p>Asking the store on every token check would put I/O on the hot path, so answers are kept for
 * {@link #CACHE_FOR} in a bounded map: a family ended through {@link #store()} on this node is
 * forgotten at once, one ended on another node (sharing a JDBC store) stops its tokens here
 * within {@code CACHE_FOR}.
 *
 * <p>Ending a family or all of a user's records through {@link #store()} also deletes the
 * {@link SessionData} attached to them, when a {@link SessionDataStore} is given: every way
 * Gatehouse ends sign-ins (logout, reuse detection, sign out everywhere, password change) passes
 * here. Thread-safe.
 */
public final class SessionFamilies {

    /** How long an answer is reused: the delay before a revocation made on another node takes effect here. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(2);
    /** Most families remembered at once; beyond, stale answers go first, then all. */
    static final int MAX_ENTRIES = 50_000;

    private static final long CACHE_MILLIS = CACHE_FOR.toMillis();

    /**
     * What the store said about a family: its end (0 if it has no record) and until when the
     * answer is reused, in epoch milliseconds (the hot path allocates no {@code Instant}s).
     */
    private record Known(long endMillis, long reuseUntilMillis) {
    }

    private final SessionStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final SessionStore forgetting;
    private final SessionDataStore data;

    /** Families of {@code store}'s records, with no {@link SessionData} to delete along with them. */
    public SessionFamilies(SessionStore store, Clock clock) {
        this(store, new InMemorySessionDataStore(), clock);
    }

    /** Families of {@code store}'s records, whose {@link SessionData} in {@code data} ends with them. */
    public SessionFamilies(SessionStore store, SessionDataStore data, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.data = Objects.requireNonNull(data, "data");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forgetting = new Forgetting();
    }

    /**
     * The store to end sessions through: it forgets a family's cached answer as soon as the
     * family (or all of a user's records) is deleted, so a local logout takes effect at once, and
     * deletes the family's (or the user's) session data with the records.
     */
    public SessionStore store() {
        return forgetting;
    }

    /** Whether the sign-in {@code familyId} still has a record whose lifetime has not run out. */
    public boolean isAlive(String familyId) {
        long now = clock.millis();
        Known answer = known.get(familyId);
        // An answer from the future (a clock set back) is not trusted either.
        if (answer == null || answer.reuseUntilMillis() <= now || answer.reuseUntilMillis() - CACHE_MILLIS > now) {
            if (!SessionRecord.isWellFormedFamilyId(familyId)) {
                return false;
            }
            answer = new Known(store.familyExpiresAt(familyId).map(Instant::toEpochMilli).orElse(0L), now + CACHE_MILLIS);
            remember(familyId, answer, now);
        }
        return answer.endMillis() > now;
    }

    private void remember(String familyId, Known answer, long now) {
        if (known.size() >= MAX_ENTRIES) {
            known.values().removeIf(k -> k.reuseUntilMillis() <= now);
            if (known.size() >= MAX_ENTRIES) {
                known.clear();
            }
        }
        known.put(familyId, answer);
    }

    /** Delegates to the store, forgetting what it deletes. */
    private final class Forgetting implements SessionStore {

        @Override
        public void save(SessionRecord record) {
            store.save(record);
        }

        @Override
        public Optional<SessionRecord> find(String id) {
            return store.find(id);
        }

        @Override
        public Optional<SessionRecord> findBySecret(String secret, SessionKind kind) {
            return store.findBySecret(secret, kind);
        }

        @Override
        public void touch(String id, Instant lastUsedAt) {
            store.touch(id, lastUsedAt);
        }

        @Override
        public boolean consume(String id) {
            return store.consume(id);
        }

        @Override
        public boolean delete(String id) {
            // One record: its family may live on in others; a cached answer expires soon enough.
            return store.delete(id);
        }

        @Override
        public int deleteFamily(String familyId) {
            int deleted = store.deleteFamily(familyId);
            known.remove(familyId);
            // After the records: a failure here leaves data that expires on its own, never a live sign-in.
            data.deleteFamily(familyId);
            return deleted;
        }

        @Override
        public int deleteAllForUser(long userId) {
            int deleted = store.deleteAllForUser(userId);
            // Answers are not kept by user; this is rare (password change, sign out everywhere).
            known.clear();
            data.deleteAllForUser(userId);
            return deleted;
        }

        @Override
        public List<SessionRecord> listForUser(long userId) {
            return store.listForUser(userId);
        }

        @Override
        public Optional<Instant> familyExpiresAt(String familyId) {
            return store.familyExpiresAt(familyId);
        }

        @Override
        public int deleteExpired(Instant now) {
            return store.deleteExpired(now);
        }
    }
}
