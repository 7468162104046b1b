package dev.gatehouse.password;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What Gatehouse's own argon2 engine (the one {@link PasswordHasher} picks on this machine) hashes
 * at the default parameters, measured like benchmarks/http/argon2_reference.py measures the C
 * reference: the median of one hash at a time, then hashes per second with one thread per core.
 * The second number is the ceiling of sign-in with that engine; benchmarks/http/signin.sh
 * reports sign-ins against it beside issue 16's limit. Prints one line:
 * {@code RESULT engine_hash_ms=… engine_parallel_per_s=… engine="…"}. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.gatehouse.password.EngineHashRate [repeat]}.
 */
public final class EngineHashRate {

    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;

    private EngineHashRate() {
    }

    public static void main(String[] args) throws Exception {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Argon2Engine engine = Argon2Engines.preferred();
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        long[] nanos = new long[repeat];
        for (int i = -2; i < repeat; i++) { // the first two warm the allocator and the JIT
            long start = System.nanoTime();
            hash(engine, salt);
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        double medianMs = nanos[repeat / 2] / 1e6;

        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            run(pool, cores, 2, engine, salt);
            long start = System.nanoTime();
            int done = run(pool, cores, repeat, engine, salt);
            double perSecond = done / ((System.nanoTime() - start) / 1e9);
            System.out.printf("RESULT engine_hash_ms=%.2f engine_parallel_per_s=%.1f engine=\"%s\"%n",
                    medianMs, perSecond, engine.description());
        } finally {
            pool.shutdown();
        }
    }

    private static int run(ExecutorService pool, int threads, int each, Argon2Engine engine, byte[] salt)
            throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    hash(engine, salt);
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        return threads * each;
    }

    private static void hash(Argon2Engine engine, byte[] salt) {
        engine.hash(Argon2Type.ID, 0x13, MEMORY_KIB, ITERATIONS, 1, "benchmark password".getBytes(java.nio.charset.StandardCharsets.UTF_8), salt, 32);
    }
}
