package dev.gatehouse.password;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the argon2 engine, fastest first, each only when it agrees with Bouncy Castle on a known
 * computation: the system's libsodium (vectorised) where it is installed, for the shapes it
 * computes, with native libargon2 (argon2-jvm's bundled portable build) for the rest; libargon2
 * alone without libsodium; Bouncy Castle where neither loads. Argon2 is nearly the whole cost of
 * a sign-in, so losing libargon2 is logged (once) as a warning, a missing libsodium (an optional
 * system package) at info.
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
                others -> SodiumArgon2Engine.load(others));
    }

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
     * {@code others} when it loads and computes what Bouncy Castle computes.
     */
    static Argon2Engine faster(Argon2Engine others, Function<Argon2Engine, ? extends Argon2Engine> sodiumLoader) {
        try {
            Argon2Engine sodium = sodiumLoader.apply(others);
            // One lane and a 16-byte salt: the shape libsodium computes itself, not through others.
            if (agree(sodium, new BouncyCastleArgon2Engine(), 1)) {
                LOG.debug("argon2: using {}", sodium.description());
                return sodium;
            }
            LOG.warn("argon2: {} computed a different hash than Bouncy Castle; using {} instead",
                    sodium.description(), others.description());
        } catch (LinkageError | RuntimeException e) {
            LOG.info("argon2: libsodium is not installed ({}: {}); using {}. Installing libsodium (Debian: "
                    + "libsodium23) roughly halves the time of a password check on x86-64",
                    e.getClass().getSimpleName(), e.getMessage(), others.description());
        }
        return others;
    }

    /** A cheap known-answer check that both engines compute the same argon2id. */
    private static boolean agree(Argon2Engine candidate, Argon2Engine reference, int lanes) {
        byte[] password = {'g', 'a', 't', 'e', 'h', 'o', 'u', 's', 'e'};
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        byte[] expected = reference.hash(Argon2Type.ID, 0x13, 32, 2, lanes, password, salt, 32);
        return Arrays.equals(expected, candidate.hash(Argon2Type.ID, 0x13, 32, 2, lanes, password, salt, 32));
    }
}
