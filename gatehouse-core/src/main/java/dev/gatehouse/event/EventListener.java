package dev.gatehouse.event;

/**
 * Receives {@link AccountEvent}s, after the change each reports was stored. Register one with
 * {@code Gatehouse.builder().listener(...)}.
 *
 * <p>Listeners run on the thread of the flow that caused the event, one after another, so they
 * should be quick (hand slow work to an executor). An exception a listener throws is logged and
 * otherwise ignored: it neither reaches the flow nor stops the other listeners. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface EventListener {

    /** Handles one event. */
    void onEvent(AccountEvent event);
}
