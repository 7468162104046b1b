package dev.gatehouse.password;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bounded pool password hashing runs on: at most {@code concurrency} hashes at once, and a
 * caller waits at most {@code queueTimeout} for a slot.
 *
 * <p>A fair semaphore bounds what matters, the number of memory-hard hashes competing for the
 * cores (each argon2id hash holds ~19 MiB, and more of them than cores only makes each slower);
 * under load slots go to the longest waiters, and a request that waited long is not overtaken
 * until it times out. The hash itself runs on one of {@code concurrency} threads of
 * {@link BackgroundPriority background priority} while the caller waits: a sign-in flood then
 * takes the cores only where requests of signed-in users leave them free. The hand-off costs
 * microseconds beside a hash's milliseconds; the threads end after a minute idle.
 *
 * <p>A whole password check — the store reads before the hash, the writes after — can be
 * {@linkplain #admitted admitted} first, at most {@value #ADMITTED_PER_SLOT} per slot at once and
 * with the same queue timeout: one hashing while the next does its reads, so the slots never wait
 * for the store, and a check that would not get a slot in time is refused before it reads anything.
 * Thread-safe.
 */
final class HashingSlots {

    /** Password checks let in per hashing slot: the one hashing and the one reading to hash next. */
    static final int ADMITTED_PER_SLOT = 2;

    private final int concurrency;
    private final Semaphore slots;
    /** Password checks in progress, from their first store read to their last write. */
    private final Semaphore admissions;
    private final ThreadPoolExecutor threads;
    /** What a refusal says was full. */
    private final String slotsFull;
    private final String admissionsFull;
    /** Empty: wait as long as it takes (the command-line tool, where nobody else competes). */
    private final Optional<Duration> queueTimeout;

    HashingSlots(int concurrency, Optional<Duration> queueTimeout) {
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency, true);
        this.admissions = new Semaphore(ADMITTED_PER_SLOT * concurrency, true);
        this.slotsFull = "all " + concurrency + " password hashing slots stayed busy";
        this.admissionsFull = "all " + ADMITTED_PER_SLOT * concurrency + " password checks (" + ADMITTED_PER_SLOT
                + " per hashing slot) stayed in progress";
        this.queueTimeout = queueTimeout;
        this.threads = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new HashingThreadFactory());
        threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs a whole password check, {@code check}, once fewer than {@value #ADMITTED_PER_SLOT} per
     * slot are in progress; its hashes still take slots through {@link #run}.
     *
     * @throws HashingCapacityException when none finished within the queue timeout, or the thread was
     *         interrupted while waiting (its interrupt flag is kept); {@code check} did not run
     */
    <T> T admitted(Supplier<T> check) {
        acquire(admissions, admissionsFull);
        try {
            return check.get();
        } finally {
            admissions.release();
        }
    }

    /**
     * Runs {@code work} holding a slot, released however the work ends.
     *
     * @throws HashingCapacityException when no slot freed within the queue timeout, or the thread was
     *         interrupted while waiting (its interrupt flag is kept)
     */
    <T> T run(Supplier<T> work) {
        acquire(slots, slotsFull);
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                // The slot is free before the caller hears the answer, so its next hash finds it free.
                T value;
                try {
                    value = work.get();
                } catch (Throwable e) {
                    slots.release();
                    result.completeExceptionally(e);
                    return;
                }
                slots.release();
                result.complete(value);
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        return await(result);
    }

    /** Waits for the hash even if interrupted: it holds its slot either way, and its answer is wanted. */
    private static <T> T await(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Takes a permit, waiting at most the queue timeout; {@code busy} says what was full. */
    private void acquire(Semaphore permits, String busy) {
        try {
            if (queueTimeout.isEmpty()) {
                permits.acquire();
            } else if (!permits.tryAcquire(queueTimeout.get().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new HashingCapacityException(busy + " for " + queueTimeout.get().toMillis()
                        + " ms (password-hash-concurrency, password-hash-queue-timeout)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HashingCapacityException("interrupted while waiting for a password hashing slot");
        }
    }

    /** Daemon threads at background priority, so an idle or forgotten hasher never holds the JVM. */
    private static final class HashingThreadFactory implements ThreadFactory {

        private static final AtomicInteger NEXT = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(() -> {
                BackgroundPriority.applyToCurrentThread();
                task.run();
            }, "gatehouse-password-hashing-" + NEXT.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }

    int concurrency() {
        return concurrency;
    }

    Optional<Duration> queueTimeout() {
        return queueTimeout;
    }
}
