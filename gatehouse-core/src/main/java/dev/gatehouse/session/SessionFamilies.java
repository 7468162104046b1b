package dev.gatehouse.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    private final SessionStore store;
    private final Clock clock;
    /** What the store said about a family: its end in epoch milliseconds, 0 if it has no record. */
    private final RecentAnswers<Long> familyEnds = new RecentAnswers<>(MAX_ENTRIES);
    private final SessionStore forgetting;
    private final SessionDataStore data;
    /** Session records read recently, reused only where {@link #sessionIdleMillis} is set. */
    private final RecentAnswers<SessionRecord> sessions = new RecentAnswers<>(MAX_ENTRIES);
    /** {@code session-idle-timeout}, or -1 where session records are not reused (a store in memory). */
    private final long sessionIdleMillis;

    /** Families of {@code store}'s records, with no {@link SessionData} to delete along with them. */
    public SessionFamilies(SessionStore store, Clock clock) {
        this(store, new InMemorySessionDataStore(), clock);
    }

    /** Families of {@code store}'s records, whose {@link SessionData} in {@code data} ends with them. */
    public SessionFamilies(SessionStore store, SessionDataStore data, Clock clock) {
        this(store, data, clock, Optional.empty());
    }

    /**
     * Families of {@code store}'s records, as above; and unless {@code store} keeps its records in
     * memory itself, session records looked up through {@link #store()} are also reused for
     * {@link #CACHE_FOR}, so that checking a session cookie needs no database round trip on every
     * request. A session ended through {@link #store()} ends at once; one ended on another node
     * sharing the store stops working here within {@code CACHE_FOR}, as API tokens do.
     *
     * @param sessionIdleTimeout {@code session-idle-timeout}: a record this close to going idle is
     *                           always read again, so a use on another node is not missed
     */
    public SessionFamilies(SessionStore store, SessionDataStore data, Clock clock, Duration sessionIdleTimeout) {
        this(store, data, clock, Optional.of(sessionIdleTimeout));
    }

    private SessionFamilies(SessionStore store, SessionDataStore data, Clock clock, Optional<Duration> idleTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.data = Objects.requireNonNull(data, "data");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessionIdleMillis = store instanceof InMemorySessionStore ? -1 : idleTimeout.map(Duration::toMillis).orElse(-1L);
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
        Long end = familyEnds.fresh(familyId, now);
        if (end == null) {
            if (!SessionRecord.isWellFormedFamilyId(familyId)) {
                return false;
            }
            end = store.familyExpiresAt(familyId).map(Instant::toEpochMilli).orElse(0L);
            familyEnds.keep(familyId, end, now);
        }
        return end > now;
    }

    /**
     * A session record, from memory when read in the last {@code CACHE_FOR}. Only records of live
     * sessions are kept, so an unknown id always asks the store (a session started on another node
     * is found at once); a record within {@code CACHE_FOR} of its idle deadline or its end is always
     * read again, so that a use on another node is not missed when deciding that it went idle.
     */
    private Optional<SessionRecord> findSession(String id) {
        long now = clock.millis();
        SessionRecord cached = sessions.fresh(id, now);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SessionRecord> found = store.find(id);
        if (found.isPresent() && found.get().kind() == SessionKind.SESSION
                && found.get().lastUsedAt().toEpochMilli() + sessionIdleMillis - now > CACHE_MILLIS
                && found.get().expiresAt().toEpochMilli() - now > CACHE_MILLIS) {
            sessions.keep(id, found.get(), now);
        } else {
            sessions.forget(id);
        }
        return found;
    }

    /** Delegates to the store, forgetting what it deletes. */
    private final class Forgetting implements SessionStore {

        @Override
        public void save(SessionRecord record) {
            store.save(record);
            forget(record.id());
        }

        @Override
        public Optional<SessionRecord> find(String id) {
            return sessionIdleMillis < 0 ? store.find(id) : findSession(id);
        }

        @Override
        public Optional<SessionRecord> findBySecret(String secret, SessionKind kind) {
            if (sessionIdleMillis < 0 || kind != SessionKind.SESSION) {
                return store.findBySecret(secret, kind);
            }
            // The interface's own lookup by digest, through find, so that session cookies hit the cache.
            return SessionStore.super.findBySecret(secret, kind);
        }

        @Override
        public void touch(String id, Instant lastUsedAt) {
            store.touch(id, lastUsedAt);
            forget(id);
        }

        @Override
        public boolean consume(String id) {
            boolean consumed = store.consume(id);
            forget(id);
            return consumed;
        }

        @Override
        public boolean delete(String id) {
            // One record: its family may live on in others; a cached answer expires soon enough.
            boolean deleted = store.delete(id);
            forget(id);
            return deleted;
        }

        private void forget(String id) {
            sessions.forget(id);
        }

        @Override
        public int deleteFamily(String familyId) {
            int deleted = store.deleteFamily(familyId);
            sessions.forgetIf(r -> r.familyId().equals(familyId));
            familyEnds.forget(familyId);
            // After the records: a failure here leaves data that expires on its own, never a live sign-in.
            data.deleteFamily(familyId);
            return deleted;
        }

        @Override
        public int deleteAllForUser(long userId) {
            int deleted = store.deleteAllForUser(userId);
            sessions.forgetIf(r -> r.userId() == userId);
            // Answers are not kept by user; this is rare (password change, sign out everywhere).
            familyEnds.forgetAll();
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
            int deleted = store.deleteExpired(now);
            if (deleted > 0) {
                sessions.forgetAll();
            }
            return deleted;
        }
    }
}
