package dev.gatehouse.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where account events are recorded, for a user's "recent security activity" page and for
 * investigations: the SPI behind the audit log. Gatehouse records every {@link AccountEvent} once
 * it is delivered (an audit log is an {@link EventListener} of its own).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #record} stores {@link AuditEntry#from(long, AccountEvent)} of the event with a new
 *       id, greater than every id before it.</li>
 *   <li>{@link #forUser} pages through one user's entries, newest (highest id) first.</li>
 *   <li>Database logs keep a deleted user's entries, detached: their user id becomes empty
 *       ({@code ON DELETE SET NULL}), so an investigation after a deletion still sees what
 *       happened. Erase old entries with {@link #deleteBefore(Instant)}.</li>
 *   <li>No nulls; thread-safe.</li>
 * </ul>
 * Pinned down by {@code AuditLogContract} in the core test jar.
 */
public interface AuditLog {

    /** Most entries one {@link #forUser} call returns. */
    int MAX_PAGE = 500;

    /**
     * Records one event.
     *
     * @return the entry as stored
     */
    AuditEntry record(AccountEvent event);

    /**
     * Up to {@code limit} of the user's entries, newest first, with ids below {@code beforeId} if
     * given (pass the last id of one page to get the next).
     *
     * @throws IllegalArgumentException if {@code limit} is not 1..{@value #MAX_PAGE}
     */
    List<AuditEntry> forUser(long userId, int limit, Optional<Long> beforeId);

    /** Deletes every entry older than {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff);

    /** Checks a page size. */
    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("an audit page holds 1-" + MAX_PAGE + " entries, not " + limit);
        }
        return limit;
    }
}
