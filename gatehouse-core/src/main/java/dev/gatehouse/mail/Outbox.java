package dev.gatehouse.mail;

import dev.gatehouse.token.ValueSealer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues notifications for asynchronous delivery: what flows call to send an email. Queuing is one
 * write to the {@link OutboxStore}; it never waits for a mail server, so a slow or unreachable
 * server never slows or fails a flow. A {@link MailDelivery} worker sends what is queued.
 *
 * <p>Secret model entries ({@link Notification#isSecret(String)}: codes and links) are sealed with
 * a {@link ValueSealer} before they reach the store, bound to the template, the recipient and the
 * entry's name, and opened only by the worker about to send them.
 *
 * <p>Thread-safe.
 */
public final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final OutboxStore store;
    private final ValueSealer sealer;
    private final Clock clock;
    /** Started delivery workers of this node, woken when a message is queued (other nodes poll). */
    private final List<Runnable> enqueueListeners = new CopyOnWriteArrayList<>();

    public Outbox(OutboxStore store, ValueSealer sealer, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The store behind this outbox. */
    public OutboxStore store() {
        return store;
    }

    /** The clock due times are measured by. */
    public Clock clock() {
        return clock;
    }

    /**
     * Queues {@code notification}, due at once.
     *
     * @return the stored message (its secret entries sealed)
     * @throws dev.gatehouse.user.StoreException if the store fails
     */
    public OutboxMessage enqueue(Notification notification) {
        Map<String, String> sealed = new LinkedHashMap<>();
        notification.model().forEach((name, value) -> sealed.put(name,
                Notification.isSecret(name) ? sealer.seal(value, context(notification, name)) : value));
        OutboxMessage message = store.enqueue(notification.withModel(sealed), clock.instant());
        LOG.debug("Queued mail {} ({}) to {}", message.id(), notification.template(), notification.to());
        enqueueListeners.forEach(Runnable::run);
        return message;
    }

    /** Calls {@code listener} after each message queued here; it must return at once. */
    void addEnqueueListener(Runnable listener) {
        enqueueListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeEnqueueListener(Runnable listener) {
        enqueueListeners.remove(listener);
    }

    /**
     * Claims due messages for {@code lease} and opens their sealed entries. A message whose
     * entries no configured secret opens (its secret was rotated out, or the row was altered) is
     * given up at once and left out.
     */
    public List<Claimed> claimDue(int limit, Duration lease) {
        List<Claimed> claimed = new ArrayList<>();
        for (OutboxMessage message : store.claimDue(clock.instant(), limit, lease)) {
            Optional<Notification> opened = open(message.notification());
            if (opened.isPresent()) {
                claimed.add(new Claimed(message, opened.get()));
            } else {
                LOG.error("Mail {} ({}) cannot be opened: its links were sealed under a secret no longer configured,"
                        + " or the stored row was altered; giving it up", message.id(), message.notification().template());
                store.markFailed(message.id(), message.claimToken().orElseThrow(), "sealed model entries do not open");
            }
        }
        return claimed;
    }

    /** The notification with its secret entries opened; empty if one does not open. */
    Optional<Notification> open(Notification stored) {
        Map<String, String> model = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : stored.model().entrySet()) {
            if (!Notification.isSecret(entry.getKey())) {
                model.put(entry.getKey(), entry.getValue());
                continue;
            }
            Optional<String> plain = sealer.open(entry.getValue(), context(stored, entry.getKey()));
            if (plain.isEmpty()) {
                return Optional.empty();
            }
            model.put(entry.getKey(), plain.get());
        }
        return Optional.of(stored.withModel(model));
    }

    /** Binds a sealed entry to its template, recipient and name. */
    private static String context(Notification notification, String name) {
        return "outbox\n" + notification.template() + "\n" + notification.to() + "\n" + name;
    }

    /**
     * A claimed message with its notification opened, ready to render.
     *
     * @param message      as stored, with the claim token
     * @param notification with secret entries in the clear; never log it
     */
    public record Claimed(OutboxMessage message, Notification notification) {
        public Claimed {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(notification, "notification");
        }
    }
}
