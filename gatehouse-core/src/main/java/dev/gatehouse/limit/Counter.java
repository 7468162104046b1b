package dev.gatehouse.limit;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one counter of a {@link CounterStore}: how many hits its current window has seen
 * and when that window ends.
 *
 * @param hits     at least 1
 * @param resetsAt when the window ends; from then on the counter counts from zero again
 */
public record Counter(long hits, Instant resetsAt) {

    public Counter {
        if (hits < 1) {
            throw new IllegalArgumentException("a live counter has at least one hit, not " + hits);
        }
        Objects.requireNonNull(resetsAt, "resetsAt");
    }
}
