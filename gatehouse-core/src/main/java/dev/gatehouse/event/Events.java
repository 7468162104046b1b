package dev.gatehouse.event;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link AccountEvent}s to the registered {@link EventListener}s.
 *
 * <p>Flows publish an event only after every store write of the change it reports succeeded — "after
 * commit" for stores that each commit their own writes — so a listener never hears of a change that
 * was not made. Delivery is synchronous and in registration order; a listener's exception is logged
 * (event type and user id only) and does not reach the flow or stop the other listeners.
 *
 * <p>Immutable and thread-safe.
 */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<EventListener> listeners;

    /** Delivers to {@code listeners}, in this order. */
    public Events(List<EventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Delivers to nobody. */
    public static Events none() {
        return new Events(List.of());
    }

    /** The listeners, in delivery order. */
    public List<EventListener> listeners() {
        return listeners;
    }

    /** Hands {@code event} to every listener; never throws for a listener's failure. */
    public void publish(AccountEvent event) {
        Objects.requireNonNull(event, "event");
        for (EventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                // The message of a listener's exception is the listener's business; the stack
                // trace (with its message) is kept for debugging.
                LOG.warn("An event listener failed on {} for user {}", event.type(),
                        event.userId().map(String::valueOf).orElse("-"), e);
            }
        }
    }
}
