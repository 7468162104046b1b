package dev.gatehouse.password;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the argon2 engine, each only when it agrees with Bouncy Castle on a known computation:
 * the system's libsodium (vectorised) where it is installed and hashes faster here, for the shapes
 * it computes, with native libargon2 (argon2-jvm's bundled portable build) for the rest; libargon2
 * alone without libsodium or where libsodium is slower; Bouncy Castle where neither loads. Argon2
 * is nearly the whole cost of a sign-in, so losing libargon2 is logged (once) as a warning, a
 * missing or slower libsodium (an optional system package) at info.
 */
final class Argon2Engines {

    private static final Logger LOG = LoggerFactory.getLogger(Argon2Engines.class);

    private Argon2Engines() {
    }

    /** The engine for this JVM, chosen on first use. */
    static Argon2Engine preferred() {
        return Preferred.ENGINE;
    }

    private static final class Preferred {
        // A lambda, not a method reference: NativeArgon2Engine (and through it argon2-jvm and JNA)
        // must be resolved inside select's try block, where a missing class is caught.
        static final Argon2Engine ENGINE = faster(select(() -> NativeArgon2Engine.load()),
                others -> SodiumArgon2Engine.load(others), Argon2Engines::timeDefaultHash);
    }

    /** How often each engine is timed, alternately; the least time of each counts (noise only adds time). */
    static final int TIMING_ROUNDS = 3;

    /** Loads the native engine from {@code nativeLoader}, checks it, and falls back to Bouncy Castle. */
    static Argon2Engine select(Supplier<? extends Argon2Engine> nativeLoader) {
        Argon2Engine pureJava = new BouncyCastleArgon2Engine();
        try {
            Argon2Engine loaded = nativeLoader.get();
            if (agree(loaded, pureJava, 2)) {
                LOG.debug("argon2: using {}", loaded.description());
                return loaded;
            }
            LOG.warn("argon2: {} computed a different hash than Bouncy Castle; using {} instead",
                    loaded.description(), pureJava.description());
        } catch (LinkageError | RuntimeException e) {
            // Where JNA or the bundled library cannot load (unsupported platform, no writable temp
            // directory, argon2-jvm left off the class path): still correct, only slower.
            LOG.warn("argon2: native libargon2 is not available ({}: {}); using {}, which is slower",
                    e.getClass().getSimpleName(), e.getMessage(), pureJava.description());
        }
        return pureJava;
    }

    /**
     * Puts libsodium, loaded by {@code sodiumLoader} around {@code others}, in front of
     * {@code others} when it loads, computes what Bouncy Castle computes, and hashes Gatehouse's
     * default faster than {@code others} by {@code timeOneHash} ({@link #TIMING_ROUNDS} each,
     * alternately). libsodium maps fresh memory for every hash where libargon2 reuses what glibc
     * kept; on most machines its vector code wins by far, but where each new page is costly (some
     * virtual machines fault every page through the hypervisor) it is the slower of the two.
     */
    static Argon2Engine faster(Argon2Engine others, Function<Argon2Engine, ? extends Argon2Engine> sodiumLoader,
                               ToLongFunction<Argon2Engine> timeOneHash) {
        Argon2Engine sodium;
        try {
            sodium = sodiumLoader.apply(others);
        } catch (LinkageError | RuntimeException e) {
            LOG.info("argon2: libsodium is not installed ({}: {}); using {}. Installing libsodium (Debian: "
                    + "libsodium23) roughly halves the time of a password check on most x86-64 machines",
                    e.getClass().getSimpleName(), e.getMessage(), others.description());
            return others;
        }
        // One lane and a 16-byte salt: the shape libsodium computes itself, not through others.
        if (!agree(sodium, new BouncyCastleArgon2Engine(), 1)) {
            LOG.warn("argon2: {} computed a different hash than Bouncy Castle; using {} instead",
                    sodium.description(), others.description());
            return others;
        }
        long sodiumNanos = Long.MAX_VALUE;
        long othersNanos = Long.MAX_VALUE;
        for (int round = 0; round < TIMING_ROUNDS; round++) {
            othersNanos = Math.min(othersNanos, timeOneHash.applyAsLong(others));
            sodiumNanos = Math.min(sodiumNanos, timeOneHash.applyAsLong(sodium));
        }
        String times = String.format(Locale.ROOT, "%.1f ms against %.1f ms", sodiumNanos / 1e6, othersNanos / 1e6);
        if (sodiumNanos < othersNanos) {
            LOG.debug("argon2: using {} ({} for the default hash)", sodium.description(), times);
            return sodium;
        }
        LOG.info("argon2: libsodium hashes Gatehouse's default slower than {} on this machine ({}); using {}",
                others.description(), times, others.description());
        return others;
    }

    /** Nanoseconds one hash at Gatehouse's default argon2id parameters takes with {@code engine}. */
    static long timeDefaultHash(Argon2Engine engine) {
        Argon2Scheme scheme = (Argon2Scheme) HashScheme.ARGON2ID;
        byte[] password = {'t', 'i', 'm', 'e'};
        byte[] salt = new byte[Argon2Scheme.SALT_BYTES];
        long start = System.nanoTime();
        engine.hash(Argon2Type.ID, Argon2Scheme.VERSION, scheme.memoryKiB(), scheme.iterations(), scheme.parallelism(),
                password, salt, Argon2Scheme.HASH_BYTES);
        return System.nanoTime() - start;
    }

    /** A cheap known-answer check that both engines compute the same argon2id. */
    private static boolean agree(Argon2Engine candidate, Argon2Engine reference, int lanes) {
        byte[] password = {'g', 'a', 't', 'e', 'h', 'o', 'u', 's', 'e'};
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        byte[] expected = reference.hash(Argon2Type.ID, 0x13, 32, 2, lanes, password, salt, 32);
        return Arrays.equals(expected, candidate.hash(Argon2Type.ID, 0x13, 32, 2, lanes, password, salt, 32));
    }
}
