package dev.gatehouse.token;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A few ready instances of a costly, non-thread-safe object ({@code Mac}, {@code MessageDigest}) to
 * reuse on the per-request path, where {@code getInstance} (a provider lookup) plus set-up costs
 * more than the work itself.
 *
 * <p>A caller {@linkplain #take() takes} an instance (or a new one if all are lent), uses it, and
 * {@linkplain #give gives} it back, which resets it and keeps it unless the pool is full. A small
 * lock-free array rather than a thread-local, so it does not grow with the number of (virtual)
 * threads. Thread-safe.
 */
final class InstancePool<T> {

    private static final int SLOTS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final AtomicReferenceArray<T> idle = new AtomicReferenceArray<>(SLOTS);
    private final Supplier<T> factory;
    private final Consumer<T> reset;

    /**
     * @param factory makes a new instance when none is idle
     * @param reset   returns an instance to its initial state; also clears a half-used one (an
     *                exception mid-update)
     */
    InstancePool(Supplier<T> factory, Consumer<T> reset) {
        this.factory = factory;
        this.reset = reset;
    }

    T take() {
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            T instance = idle.getAndSet((start + i) % SLOTS, null);
            if (instance != null) {
                return instance;
            }
        }
        return factory.get();
    }

    void give(T instance) {
        reset.accept(instance);
        int start = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            if (idle.compareAndSet((start + i) % SLOTS, null, instance)) {
                return;
            }
        }
    }
}
