package dev.gatehouse.password;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A cheap argon2id hasher whose computations can be held at a gate: after {@link #close()} the next
 * computation waits (holding its hashing slot) until {@link #open()}, so a test can fill the pool
 * deterministically instead of racing a slow hash against the clock. One slot by default.
 */
public final class HashingGate {

    private static final long WAIT_SECONDS = 30;

    private final Semaphore blocked = new Semaphore(0);
    private volatile CountDownLatch gate;
    private final PasswordHasher hasher;

    /** One slot, waiting at most {@code queueTimeout} for it. */
    public HashingGate(Duration queueTimeout) {
        this(1, queueTimeout);
    }

    public HashingGate(int concurrency, Duration queueTimeout) {
        Argon2Engine real = Argon2Engines.preferred();
        Argon2Engine gated = new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                    byte[] password, byte[] salt, int hashLength) {
                CountDownLatch closed = gate;
                if (closed != null) {
                    blocked.release();
                    try {
                        if (!closed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never opened the hashing gate");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return real.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
            }

            @Override
            public String description() {
                return "gated " + real.description();
            }
        };
        this.hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).argon2Engine(gated)
                .concurrency(concurrency).queueTimeout(queueTimeout).build();
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** From now on computations wait at the gate. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    /** Waits until a computation is held at the gate (and so holds a hashing slot). */
    public void awaitHeld() throws InterruptedException {
        if (!blocked.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no hashing reached the gate");
        }
    }

    /**
     * Starts a password check on {@code threads} that is {@linkplain PasswordHasher#admitted admitted}
     * and stays in progress, hashing nothing, until {@code done}; returns once it is admitted.
     */
    public Future<Boolean> holdAnAdmission(ExecutorService threads, CountDownLatch done) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Future<Boolean> held = threads.submit(() -> hasher.admitted(() -> {
            inside.countDown();
            try {
                return done.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        if (!inside.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no check was admitted");
        }
        return held;
    }

    /** Lets the held computations and all later ones through. */
    public void open() {
        CountDownLatch closed = gate;
        gate = null;
        if (closed != null) {
            closed.countDown();
        }
    }
}
