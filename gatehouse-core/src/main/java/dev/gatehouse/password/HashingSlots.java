package dev.gatehouse.password;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bounded pool password hashing runs on: at most {@code concurrency} hashes at once, each
 * on the thread that asked for it, and a caller waits at most {@code queueTimeout} for a slot.
 *
 * <p>A semaphore rather than an executor: the request thread does the hashing itself, so there is
 * no hand-off, no extra threads and no queue to size; the only thing bounded is what matters, the
 * number of memory-hard hashes competing for the cores (each argon2id hash holds ~19 MiB, and more
 * of them than cores only makes each slower). Fair, so that under load slots go to the longest
 * waiters, and a request that waited long is not overtaken until it times out. Thread-safe.
 */
final class HashingSlots {

    private final int concurrency;
    private final Semaphore slots;
    /** Empty: wait as long as it takes (the command-line tool, where nobody else competes). */
    private final Optional<Duration> queueTimeout;

    HashingSlots(int concurrency, Optional<Duration> queueTimeout) {
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency, true);
        this.queueTimeout = queueTimeout;
    }

    /**
     * Runs {@code work} holding a slot, released however the work ends.
     *
     * @throws HashingCapacityException when no slot freed within the queue timeout, or the thread was
     *         interrupted while waiting (its interrupt flag is kept)
     */
    <T> T run(Supplier<T> work) {
        acquire();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private void acquire() {
        try {
            if (queueTimeout.isEmpty()) {
                slots.acquire();
            } else if (!slots.tryAcquire(queueTimeout.get().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new HashingCapacityException("all " + concurrency + " password hashing slots stayed busy for "
                        + queueTimeout.get().toMillis() + " ms (password-hash-concurrency, password-hash-queue-timeout)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HashingCapacityException("interrupted while waiting for a password hashing slot");
        }
    }

    int concurrency() {
        return concurrency;
    }

    Optional<Duration> queueTimeout() {
        return queueTimeout;
    }
}
