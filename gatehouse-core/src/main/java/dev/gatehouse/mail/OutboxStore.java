package dev.gatehouse.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable mail outbox: the SPI behind asynchronous email. Flows queue notifications and return
 * at once; delivery workers on any number of nodes claim due messages, send them and record the
 * outcome. A message survives a crash of the worker sending it and an outage of the mail server.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Claims are exclusive</b>: {@link #claimDue} hands each due message to one caller only,
 *       however many call it concurrently, with a fresh claim token; it moves the message's
 *       {@code dueAt} to the end of the lease and counts the attempt. A claim whose holder died
 *       lapses when the lease ends, and the message is due again.</li>
 *   <li><b>Outcomes need the claim</b>: {@link #markSent}, {@link #reschedule} and
 *       {@link #markFailed} change the message only while {@code claimToken} is its current claim,
 *       and return whether they did. A worker whose lease ran out learns so and changes nothing.</li>
 *   <li>Due order: oldest {@code dueAt} first, then id.</li>
 *   <li>Instants are kept to the microsecond; no nulls; thread-safe.</li>
 * </ul>
 * Delivery is at least once: a worker that sends and then dies before {@link #markSent} leaves the
 * message to be sent again after its lease. Pinned down by {@code OutboxStoreContract} in the core
 * test jar.
 */
public interface OutboxStore {

    /** Most messages one {@link #claimDue} or {@link #list} call returns. */
    int MAX_BATCH = 1000;

    /**
     * Queues {@code notification} (secret entries already sealed), due at once.
     *
     * @return the stored message: {@link OutboxStatus#PENDING}, no attempts, created and due at {@code now}
     */
    OutboxMessage enqueue(Notification notification, Instant now);

    /**
     * Claims up to {@code limit} pending messages due at {@code now}, oldest first, for
     * {@code lease}: each comes back with a new claim token, one more attempt, and {@code dueAt}
     * at {@code now + lease}.
     */
    List<OutboxMessage> claimDue(Instant now, int limit, Duration lease);

    /** Records that the server accepted the message. */
    boolean markSent(long id, String claimToken, Instant at);

    /** Releases the claim and makes the message due again at {@code dueAt}, noting {@code error}. */
    boolean reschedule(long id, String claimToken, Instant dueAt, String error);

    /** Gives the message up, noting {@code error}. */
    boolean markFailed(long id, String claimToken, String error);

    /** The message with this id. */
    Optional<OutboxMessage> find(long id);

    /** Up to {@code limit} messages with this status, oldest id first: for operators and tests. */
    List<OutboxMessage> list(OutboxStatus status, int limit);

    /** Deletes sent and failed messages created before {@code cutoff}; returns how many. */
    int deleteFinishedBefore(Instant cutoff);

    /** Checks a batch size. */
    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1-" + MAX_BATCH + " messages, not " + limit);
        }
        return limit;
    }
}
