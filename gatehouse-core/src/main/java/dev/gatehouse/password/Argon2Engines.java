package dev.gatehouse.password;

import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the argon2 engine: native libargon2 when it loads and agrees with Bouncy Castle on a
 * known computation, Bouncy Castle otherwise. Argon2 is nearly the whole cost of a sign-in and the
 * native library is the fastest implementation available, so a fallback is logged (once) as a warning.
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
        static final Argon2Engine ENGINE = select(() -> NativeArgon2Engine.load());
    }

    /** Loads the native engine from {@code nativeLoader}, checks it, and falls back to Bouncy Castle. */
    static Argon2Engine select(Supplier<? extends Argon2Engine> nativeLoader) {
        Argon2Engine pureJava = new BouncyCastleArgon2Engine();
        try {
            Argon2Engine loaded = nativeLoader.get();
            if (agree(loaded, pureJava)) {
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

    /** A cheap known-answer check that both engines compute the same argon2id. */
    private static boolean agree(Argon2Engine candidate, Argon2Engine reference) {
        byte[] password = {'g', 'a', 't', 'e', 'h', 'o', 'u', 's', 'e'};
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        byte[] expected = reference.hash(Argon2Type.ID, 0x13, 32, 2, 2, password, salt, 32);
        return Arrays.equals(expected, candidate.hash(Argon2Type.ID, 0x13, 32, 2, 2, password, salt, 32));
    }
}
