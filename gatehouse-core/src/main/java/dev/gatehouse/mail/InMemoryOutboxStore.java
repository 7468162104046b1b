package dev.gatehouse.mail;

import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.StoreLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link OutboxStore} in this process's memory: the default when no database outbox is
 * configured, and for tests. Queued mail is lost when the process ends, so production deployments
 * use a database outbox.
 *
 * <p>Thread-safe: every operation holds one lock.
 */
public final class InMemoryOutboxStore implements OutboxStore {

    private final TreeMap<Long, OutboxMessage> messages = new TreeMap<>();
    private long nextId = 1;

    @Override
    public synchronized OutboxMessage enqueue(Notification notification, Instant now) {
        Objects.requireNonNull(notification, "notification");
        Instant at = StoreLimits.instant("now", now);
        OutboxMessage message = new OutboxMessage(nextId++, notification, OutboxStatus.PENDING, 0, at, at,
                Optional.empty(), Optional.empty(), Optional.empty());
        messages.put(message.id(), message);
        return message;
    }

    @Override
    public synchronized List<OutboxMessage> claimDue(Instant now, int limit, Duration lease) {
        OutboxStore.checkLimit(limit);
        Instant at = StoreLimits.instant("now", now);
        Instant leaseEnd = StoreLimits.instant("due_at", at.plus(Objects.requireNonNull(lease, "lease")));
        List<OutboxMessage> due = messages.values().stream()
                .filter(m -> m.status() == OutboxStatus.PENDING && !m.dueAt().isAfter(at))
                .sorted(Comparator.comparing(OutboxMessage::dueAt).thenComparingLong(OutboxMessage::id))
                .limit(limit)
                .toList();
        List<OutboxMessage> claimed = new ArrayList<>();
        for (OutboxMessage m : due) {
            OutboxMessage c = new OutboxMessage(m.id(), m.notification(), m.status(), m.attempts() + 1, m.createdAt(),
                    leaseEnd, Optional.of(claimToken()), m.sentAt(), m.lastError());
            messages.put(c.id(), c);
            claimed.add(c);
        }
        return claimed;
    }

    @Override
    public synchronized boolean markSent(long id, String claimToken, Instant at) {
        Instant sentAt = StoreLimits.instant("sent_at", at);
        return update(id, claimToken, m -> new OutboxMessage(m.id(), m.notification(), OutboxStatus.SENT, m.attempts(),
                m.createdAt(), m.dueAt(), Optional.empty(), Optional.of(sentAt), m.lastError()));
    }

    @Override
    public synchronized boolean reschedule(long id, String claimToken, Instant dueAt, String error) {
        Instant due = StoreLimits.instant("due_at", dueAt);
        String text = OutboxMessage.errorText(error);
        return update(id, claimToken, m -> new OutboxMessage(m.id(), m.notification(), OutboxStatus.PENDING,
                m.attempts(), m.createdAt(), due, Optional.empty(), m.sentAt(), Optional.of(text)));
    }

    @Override
    public synchronized boolean markFailed(long id, String claimToken, String error) {
        String text = OutboxMessage.errorText(error);
        return update(id, claimToken, m -> new OutboxMessage(m.id(), m.notification(), OutboxStatus.FAILED,
                m.attempts(), m.createdAt(), m.dueAt(), Optional.empty(), m.sentAt(), Optional.of(text)));
    }

    @Override
    public synchronized Optional<OutboxMessage> find(long id) {
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public synchronized List<OutboxMessage> list(OutboxStatus status, int limit) {
        Objects.requireNonNull(status, "status");
        OutboxStore.checkLimit(limit);
        return messages.values().stream().filter(m -> m.status() == status).limit(limit).toList();
    }

    @Override
    public synchronized int deleteFinishedBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int before = messages.size();
        messages.values().removeIf(m -> m.status() != OutboxStatus.PENDING && m.createdAt().isBefore(cutoff));
        return before - messages.size();
    }

    private boolean update(long id, String claimToken, java.util.function.UnaryOperator<OutboxMessage> change) {
        Objects.requireNonNull(claimToken, "claimToken");
        OutboxMessage m = messages.get(id);
        if (m == null || m.status() != OutboxStatus.PENDING || !m.claimToken().equals(Optional.of(claimToken))) {
            return false;
        }
        messages.put(id, change.apply(m));
        return true;
    }

    /** A random claim token: 22 URL-safe characters. */
    static String claimToken() {
        return OneTimeSecret.generate().value().substring(0, 22);
    }
}
