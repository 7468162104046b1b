package dev.gatehouse.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Session records (kind {@link SessionKind#SESSION}) read from a shared store in the last
 * {@link SessionFamilies#CACHE_FOR}, so that a session cookie is checked without a database
 * round trip on every request. Only live answers are kept: an unknown id always asks the store,
 * so a session started on another node is found at once. What this node changes or ends is
 * forgotten at once; what another node ends stops working here within {@code CACHE_FOR}, as API
 * tokens do. A record whose idle deadline falls within {@code CACHE_FOR} is read again, so that a
 * use on another node is never missed when deciding that the session went idle. Bounded; thread-safe.
 */
final class RecentSessions {

    /** Most records remembered at once; beyond, stale ones go first, then all. */
    static final int MAX_ENTRIES = 50_000;
    private static final long CACHE_MILLIS = SessionFamilies.CACHE_FOR.toMillis();

    private record Cached(SessionRecord record, long reuseUntilMillis) {
    }

    private final Clock clock;
    private final long idleMillis;
    private final ConcurrentHashMap<String, Cached> byId = new ConcurrentHashMap<>();

    RecentSessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleMillis = idleTimeout.toMillis();
    }

    /** The record {@code id} names, from memory when it was read recently, else from {@code load}. */
    Optional<SessionRecord> find(String id, Function<String, Optional<SessionRecord>> load) {
        long now = clock.millis();
        Cached cached = byId.get(id);
        // An entry from the future (a clock set back) is not trusted either.
        if (cached != null && cached.reuseUntilMillis() > now && cached.reuseUntilMillis() - CACHE_MILLIS <= now) {
            return Optional.of(cached.record());
        }
        Optional<SessionRecord> found = load.apply(id);
        if (found.isPresent() && found.get().kind() == SessionKind.SESSION) {
            SessionRecord record = found.get();
            long idleDeadline = record.lastUsedAt().toEpochMilli() + idleMillis;
            if (idleDeadline - now > CACHE_MILLIS && record.expiresAt().toEpochMilli() - now > CACHE_MILLIS) {
                remember(id, new Cached(record, now + CACHE_MILLIS), now);
            } else {
                byId.remove(id);
            }
        } else {
            byId.remove(id);
        }
        return found;
    }

    void forget(String id) {
        byId.remove(id);
    }

    void forgetFamily(String familyId) {
        byId.values().removeIf(c -> c.record().familyId().equals(familyId));
    }

    void forgetUser(long userId) {
        byId.values().removeIf(c -> c.record().userId() == userId);
    }

    void forgetAll() {
        byId.clear();
    }

    int size() {
        return byId.size();
    }

    private void remember(String id, Cached cached, long now) {
        if (byId.size() >= MAX_ENTRIES) {
            byId.values().removeIf(c -> c.reuseUntilMillis() <= now);
            if (byId.size() >= MAX_ENTRIES) {
                byId.clear();
            }
        }
        byId.put(id, cached);
    }
}
