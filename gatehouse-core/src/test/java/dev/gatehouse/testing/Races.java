package dev.gatehouse.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the same call on several threads released at once, for the store contracts' race tests. */
public final class Races {

    private Races() {
    }

    /** What one racing thread got: a value or the exception it threw. */
    public record Outcome<T>(T value, Throwable failure) {
        public boolean succeeded() {
            return failure == null;
        }

        @Override
        public T value() {
            if (failure != null) {
                throw new AssertionError("the racing call failed", failure);
            }
            return value;
        }
    }

    /** Something a racing thread does; {@code index} tells the threads apart. */
    @FunctionalInterface
    public interface RacingCall<T> {
        T call(int index) throws Exception;
    }

    /**
     * Runs {@code call} on {@code threads} threads released at the same moment and collects each
     * outcome, in thread index order. The generous timeout only guards against a deadlocked store
     * hanging the build.
     */
    public static <T> List<Outcome<T>> race(int threads, RacingCall<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<Outcome<T>> task = () -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Outcome<>(call.call(index), null);
                    } catch (Exception e) {
                        return new Outcome<>(null, e);
                    }
                };
                futures.add(pool.submit(task));
            }
            ready.await();
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get(2, TimeUnit.MINUTES));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
