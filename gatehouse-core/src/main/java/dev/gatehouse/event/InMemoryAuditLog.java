package dev.gatehouse.event;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AuditLog} in memory, keeping the most recent {@code capacity} entries: the default
 * when no database log is configured, and for tests. Entries are lost when the process ends, and
 * this log does not learn of deleted users (their entries keep the id).
 *
 * <p>Thread-safe: every operation holds one lock.
 */
public final class InMemoryAuditLog implements AuditLog {

    /** Entries kept by {@link #InMemoryAuditLog()}. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();
    private long nextId = 1;

    /** Keeps the last {@value #DEFAULT_CAPACITY} entries. */
    public InMemoryAuditLog() {
        this(DEFAULT_CAPACITY);
    }

    /** Keeps the last {@code capacity} entries. */
    public InMemoryAuditLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized AuditEntry record(AccountEvent event) {
        Objects.requireNonNull(event, "event");
        AuditEntry entry = AuditEntry.from(nextId++, event);
        entries.addLast(entry);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        return entry;
    }

    @Override
    public synchronized List<AuditEntry> forUser(long userId, int limit, Optional<Long> beforeId) {
        AuditLog.checkLimit(limit);
        Objects.requireNonNull(beforeId, "beforeId");
        List<AuditEntry> page = new ArrayList<>();
        Iterator<AuditEntry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && page.size() < limit) {
            AuditEntry entry = newestFirst.next();
            if (entry.userId().equals(Optional.of(userId)) && beforeId.map(b -> entry.id() < b).orElse(true)) {
                page.add(entry);
            }
        }
        return page;
    }

    @Override
    public synchronized int deleteBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int before = entries.size();
        entries.removeIf(e -> e.at().isBefore(cutoff));
        return before - entries.size();
    }
}
