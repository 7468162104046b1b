package dev.gatehouse.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Answers read from a shared store, reused for {@link SessionFamilies#CACHE_FOR} so that the hot
 * path asks the store at most once per key in that time. Bounded: beyond {@code maxEntries},
 * stale answers go first, then all. Thread-safe.
 */
final class RecentAnswers<V> {

    private static final long CACHE_MILLIS = SessionFamilies.CACHE_FOR.toMillis();

    /** An answer and until when it is reused, in epoch milliseconds (no {@code Instant} on the hot path). */
    private record Entry<V>(V value, long reuseUntilMillis) {
    }

    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();

    RecentAnswers(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The answer kept for {@code key} if it is still to be reused at {@code now}; null otherwise. */
    V fresh(String key, long now) {
        Entry<V> entry = entries.get(key);
        // An answer from the future (a clock set back) is not trusted either.
        if (entry == null || entry.reuseUntilMillis() <= now || entry.reuseUntilMillis() - CACHE_MILLIS > now) {
            return null;
        }
        return entry.value();
    }

    /** Keeps {@code value} for {@code key}, to be reused until {@code now} + {@code CACHE_FOR}. */
    void keep(String key, V value, long now) {
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> e.reuseUntilMillis() <= now);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now + CACHE_MILLIS));
    }

    void forget(String key) {
        entries.remove(key);
    }

    void forgetIf(Predicate<V> condition) {
        entries.values().removeIf(e -> condition.test(e.value()));
    }

    void forgetAll() {
        entries.clear();
    }
}
