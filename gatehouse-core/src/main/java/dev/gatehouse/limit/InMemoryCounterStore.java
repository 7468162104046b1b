package dev.gatehouse.limit;

import dev.gatehouse.user.StoreLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CounterStore} in this process's memory: for tests and single-node applications that
 * accept that limits and locks reset when the process restarts.
 *
 * <p>Thread-safe: each key is updated atomically with {@link ConcurrentHashMap#compute}. Ended
 * windows linger until {@link #deleteExpired(Instant)}; nothing else removes them.
 */
public final class InMemoryCounterStore implements CounterStore {

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public Counter increment(String key, Duration window, Instant now) {
        CounterStore.checkKey(key);
        CounterStore.checkWindow(window);
        Instant at = StoreLimits.instant("now", now);
        Instant end = StoreLimits.instant("resets_at", at.plus(window));
        return counters.compute(key, (k, old) -> old == null || !old.resetsAt().isAfter(at)
                ? new Counter(1, end)
                : new Counter(old.hits() + 1, old.resetsAt()));
    }

    @Override
    public Optional<Counter> get(String key, Instant now) {
        CounterStore.checkKey(key);
        Objects.requireNonNull(now, "now");
        Instant at = StoreLimits.instant("now", now);
        return Optional.ofNullable(counters.get(key)).filter(c -> c.resetsAt().isAfter(at));
    }

    @Override
    public boolean delete(String key) {
        CounterStore.checkKey(key);
        return counters.remove(key) != null;
    }

    @Override
    public int deleteExpired(Instant now) {
        Instant at = StoreLimits.instant("now", now);
        int[] removed = {0};
        counters.forEach((key, counter) -> {
            if (!counter.resetsAt().isAfter(at) && counters.remove(key, counter)) {
                removed[0]++;
            }
        });
        return removed[0];
    }
}
