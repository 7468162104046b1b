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
 * microseconds beside a hash's milliseconds; the threads end after a minute idle. Thread-safe.
 */
final class HashingSlots {

    private final int concurrency;
    private final Semaphore slots;
    private final ThreadPoolExecutor threads;
    /** Empty: wait as long as it takes (the command-line tool, where nobody else competes). */
    private final Optional<Duration> queueTimeout;

    HashingSlots(int concurrency, Optional<Duration> queueTimeout) {
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency, true);
        this.queueTimeout = queueTimeout;
        this.threads = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new HashingThreadFactory());
        threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} holding a slot, released however the work ends.
     *
     * @throws HashingCapacityException when no slot freed within the queue timeout, or the thread was
     *         interrupted while waiting (its interrupt flag is kept)
     */
    <T> T run(Supplier<T> work) {
        acquire();
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
