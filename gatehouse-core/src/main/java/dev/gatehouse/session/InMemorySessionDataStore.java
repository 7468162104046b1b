package dev.gatehouse.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A {@link SessionDataStore} in this process's memory: the default, beside the in-memory session
 * store. Values are lost on restart, like the sessions they belong to.
 *
 * <p>Thread-safe: the values of one family sit in an immutable map replaced in one atomic step on
 * the family's entry, so every change is atomic and bulk deletes take each family in such a step.
 */
public final class InMemorySessionDataStore implements SessionDataStore {

    private final ConcurrentHashMap<String, Map<String, SessionData>> families = new ConcurrentHashMap<>();

    @Override
    public void put(SessionData data) {
        Objects.requireNonNull(data, "data");
        families.compute(data.familyId(), (family, values) -> {
            Map<String, SessionData> changed = values == null ? new HashMap<>() : new HashMap<>(values);
            changed.put(data.name(), data);
            return Map.copyOf(changed);
        });
    }

    @Override
    public Optional<SessionData> find(String familyId, String name) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(name, "name");
        Map<String, SessionData> values = families.get(familyId);
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(name));
    }

    @Override
    public boolean delete(String familyId, String name) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(name, "name");
        return removeIn(familyId, data -> data.name().equals(name)) > 0;
    }

    @Override
    public int deleteFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        Map<String, SessionData> removed = families.remove(familyId);
        return removed == null ? 0 : removed.size();
    }

    @Override
    public int deleteAllForUser(long userId) {
        return removeIf(data -> data.userId() == userId);
    }

    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return removeIf(data -> data.isExpiredAt(now));
    }

    private int removeIf(Predicate<SessionData> doomed) {
        int removed = 0;
        for (String familyId : families.keySet()) {
            removed += removeIn(familyId, doomed);
        }
        return removed;
    }

    /** Removes the family's values matching {@code doomed} in one atomic step; returns how many. */
    private int removeIn(String familyId, Predicate<SessionData> doomed) {
        int[] removed = {0};
        families.computeIfPresent(familyId, (family, values) -> {
            Map<String, SessionData> kept = new HashMap<>();
            values.forEach((name, data) -> {
                if (doomed.test(data)) {
                    removed[0]++;
                } else {
                    kept.put(name, data);
                }
            });
            return kept.isEmpty() ? null : removed[0] == 0 ? values : Map.copyOf(kept);
        });
        return removed[0];
    }
}
