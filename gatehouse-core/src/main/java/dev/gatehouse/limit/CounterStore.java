package dev.gatehouse.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Named counters with a fixed window, kept where every node of an application sees them and where
 * they survive a restart: the state behind rate limits, failed sign-in counts and account locks,
 * and the single-use markers of emailed links.
 *
 * <h2>Window</h2>
 * A counter's window starts with the first hit after the previous window ended and lasts the
 * duration that hit gave; later hits in the window add one without moving its end. A fixed window
 * lets a client spend two windows' worth of hits around a window boundary; that is the price of a
 * single row per counter and one atomic statement per hit.
 *
 * <h2>Contract, for every implementation</h2>
 * <ul>
 *   <li><b>Atomic</b>: concurrent {@link #increment} calls on one key, from any number of threads
 *       or nodes, never lose a hit, and each call returns the count its own hit produced.</li>
 *   <li><b>Durable</b> for the database implementations: counters outlive the process.</li>
 *   <li><b>Keys</b> are 1–{@value #MAX_KEY_LENGTH} characters of {@code [A-Za-z0-9._:/-]}, chosen by
 *       Gatehouse (digests of emails and addresses, never the raw values); others are refused with
 *       {@link IllegalArgumentException}.</li>
 *   <li><b>Instants</b> are kept to the microsecond; windows are 1 ms to {@value #MAX_WINDOW_DAYS}
 *       days.</li>
 *   <li>No nulls in or out; thread-safe.</li>
 * </ul>
 * The contract is pinned down by {@code CounterStoreContract} in the core test jar.
 */
public interface CounterStore {

    /** Longest key. */
    int MAX_KEY_LENGTH = 128;
    /** Longest window, in days: locks that last "until unlocked" use it. */
    int MAX_WINDOW_DAYS = 3650;

    /**
     * Adds one hit to the counter {@code key}: a new window of length {@code window} starting at
     * {@code now} if none is running at {@code now}, else the running one.
     *
     * @return the counter after this hit
     */
    Counter increment(String key, Duration window, Instant now);

    /** The counter {@code key} if its window is still running at {@code now}. Writes nothing. */
    Optional<Counter> get(String key, Instant now);

    /** Forgets the counter; {@code true} if there was one (even with an ended window). */
    boolean delete(String key);

    /**
     * Forgets each of the counters {@code keys}, as {@link #delete} does; a database store does it
     * in one statement. A sign-in that succeeds forgets two.
     *
     * @throws IllegalArgumentException if a key breaks the rules above; then none is deleted
     */
    default void deleteAll(String... keys) {
        for (String key : keys) {
            checkKey(key);
        }
        for (String key : keys) {
            delete(key);
        }
    }

    /** Forgets every counter whose window ended at or before {@code now}; returns how many. */
    int deleteExpired(Instant now);

    /**
     * Checks a key against the rules above.
     *
     * @throws IllegalArgumentException if it breaks them
     */
    static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (!Keys.PATTERN.matcher(key).matches()) {
            throw new IllegalArgumentException("a counter key is 1-" + MAX_KEY_LENGTH
                    + " characters of A-Z, a-z, 0-9, '.', '_', ':', '/' and '-'");
        }
        return key;
    }

    /**
     * Checks a window against the rules above.
     *
     * @throws IllegalArgumentException if it breaks them
     */
    static Duration checkWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1 || window.compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
            throw new IllegalArgumentException("a counter window lasts 1ms to " + MAX_WINDOW_DAYS + " days, not " + window);
        }
        return window;
    }

    /** Holds the compiled key pattern (interfaces cannot have private static fields). */
    final class Keys {
        static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:/\\-]{1," + MAX_KEY_LENGTH + "}");

        private Keys() {
        }
    }
}
