package dev.gatehouse.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A {@link SessionStore} in this process's memory: the default for a single node. Sessions are
 * lost on restart (remember-me cookies then stop working too, since their grants are gone).
 *
 * <p>Thread-safe and lock-free on the read path: {@link #find(String)} is one hash lookup. Every
 * change to a record is an atomic step on its map entry; bulk deletes take each matching entry
 * in such a step, so they see, and delete, what concurrent calls wrote.
 */
public final class InMemorySessionStore implements SessionStore {

    // Ties in createdAt are broken by id so that the order never depends on hashing.
    private static final Comparator<SessionRecord> OLDEST_FIRST =
            Comparator.comparing(SessionRecord::createdAt).thenComparing(SessionRecord::id);

    private final ConcurrentHashMap<String, SessionRecord> records = new ConcurrentHashMap<>();
    /**
     * The ids of each family's records, so that {@link #familyExpiresAt} need not scan every
     * record. Changed only inside the atomic step on the record's own entry, so that the index
     * and the records agree for every id.
     */
    private final ConcurrentHashMap<String, Set<String>> families = new ConcurrentHashMap<>();

    @Override
    public void save(SessionRecord record) {
        Objects.requireNonNull(record, "record");
        records.compute(record.id(), (id, previous) -> {
            if (previous != null && !previous.familyId().equals(record.familyId())) {
                unindex(previous.familyId(), id);
            }
            families.compute(record.familyId(), (family, ids) -> {
                Set<String> members = ids != null ? ids : ConcurrentHashMap.newKeySet();
                members.add(id);
                return members;
            });
            return record;
        });
    }

    private void unindex(String familyId, String id) {
        families.computeIfPresent(familyId, (family, ids) -> {
            ids.remove(id);
            return ids.isEmpty() ? null : ids;
        });
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public void touch(String id, Instant lastUsedAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        records.computeIfPresent(id, (key, record) ->
                record.lastUsedAt().isBefore(lastUsedAt) ? record.usedAt(lastUsedAt) : record);
    }

    @Override
    public boolean consume(String id) {
        Objects.requireNonNull(id, "id");
        boolean[] won = {false};
        records.computeIfPresent(id, (key, record) -> {
            if (record.consumed()) {
                return record;
            }
            won[0] = true;
            return record.asConsumed();
        });
        return won[0];
    }

    @Override
    public boolean delete(String id) {
        boolean[] gone = {false};
        records.computeIfPresent(Objects.requireNonNull(id, "id"), (key, record) -> {
            unindex(record.familyId(), key);
            gone[0] = true;
            return null;
        });
        return gone[0];
    }

    @Override
    public Optional<Instant> familyExpiresAt(String familyId) {
        Set<String> ids = families.get(Objects.requireNonNull(familyId, "familyId"));
        Instant latest = null;
        if (ids != null) {
            for (String id : ids) {
                SessionRecord record = records.get(id);
                if (record != null && record.familyId().equals(familyId)
                        && (latest == null || record.expiresAt().isAfter(latest))) {
                    latest = record.expiresAt();
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    @Override
    public int deleteFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return removeIf(record -> record.familyId().equals(familyId));
    }

    @Override
    public int deleteAllForUser(long userId) {
        return removeIf(record -> record.userId() == userId);
    }

    @Override
    public List<SessionRecord> listForUser(long userId) {
        return records.values().stream()
                .filter(record -> record.userId() == userId)
                .sorted(OLDEST_FIRST)
                .toList();
    }

    @Override
    public int deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return removeIf(record -> record.isExpiredAt(now));
    }

    /**
     * Removes every record matching {@code doomed}; returns how many went.
     *
     * <p>Not {@code values().removeIf}: that removes an entry only if it still holds the value the
     * predicate saw, so a record touched or consumed in between survived while being counted.
     * Here a record that looks doomed is judged again, and removed, inside {@code computeIfPresent},
     * under its entry's lock. Records that do not look doomed are not locked at all.
     */
    private int removeIf(Predicate<SessionRecord> doomed) {
        int removed = 0;
        for (SessionRecord seen : records.values()) {
            if (!doomed.test(seen)) {
                continue;
            }
            boolean[] gone = {false};
            records.computeIfPresent(seen.id(), (key, current) -> {
                gone[0] = doomed.test(current);
                if (gone[0]) {
                    unindex(current.familyId(), key);
                }
                return gone[0] ? null : current;
            });
            if (gone[0]) {
                removed++;
            }
        }
        return removed;
    }
}
