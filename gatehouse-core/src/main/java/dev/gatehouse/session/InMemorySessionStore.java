package dev.gatehouse.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in this process's memory: the default for a single node. Sessions are
 * lost on restart (remember-me cookies then stop working too, since their grants are gone).
 *
 * <p>Thread-safe and lock-free on the read path: {@link #find(String)} is one hash lookup.
 */
public final class InMemorySessionStore implements SessionStore {

    private final ConcurrentHashMap<String, SessionRecord> records = new ConcurrentHashMap<>();

    @Override
    public void save(SessionRecord record) {
        records.put(record.id(), record);
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        return Optional.ofNullable(records.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public void touch(String id, Instant lastUsedAt) {
        records.computeIfPresent(id, (key, record) ->
                record.lastUsedAt().isBefore(lastUsedAt) ? record.usedAt(lastUsedAt) : record);
    }

    @Override
    public boolean consume(String id) {
        boolean[] won = {false};
        records.computeIfPresent(id, (key, record) -> {
            if (record.consumed()) {
                return record;
            }
            won[0] = true;
            return new SessionRecord(record.id(), record.kind(), record.userId(), record.securityStamp(),
                    record.familyId(), record.generation(), record.createdAt(), record.lastUsedAt(),
                    record.authenticatedAt(), record.expiresAt(), true, record.ip(), record.userAgent());
        });
        return won[0];
    }

    @Override
    public boolean delete(String id) {
        return records.remove(id) != null;
    }

    @Override
    public int deleteFamily(String familyId) {
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
                .sorted(Comparator.comparing(SessionRecord::createdAt))
                .toList();
    }

    @Override
    public int deleteExpired(Instant now) {
        return removeIf(record -> record.isExpiredAt(now));
    }

    private int removeIf(java.util.function.Predicate<SessionRecord> doomed) {
        int[] removed = {0};
        records.values().removeIf(record -> {
            boolean remove = doomed.test(record);
            if (remove) {
                removed[0]++;
            }
            return remove;
        });
        return removed[0];
    }
}
