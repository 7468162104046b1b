package dev.gatehouse.password;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes passwords for storage and verifies them against stored hashes, including hashes written by
 * other systems, so that their users can sign in without a password reset.
 *
 * <pre>{@code
 * PasswordHasher hasher = PasswordHasher.builder().build();       // argon2id, OWASP parameters
 * String hash = hasher.hash(password);
 * Verification v = hasher.verifyAndUpdate(password, user.passwordHash);
 * if (v.matches()) { v.updatedHash().ifPresent(store::savePasswordHash); }
 * }</pre>
 *
 * <p><b>Writing.</b> New hashes use the configured {@link HashScheme} (default {@link HashScheme#ARGON2ID}):
 * argon2id through the native C reference library when it loads, else through Bouncy Castle (same
 * hashes, slower; a warning is logged once).
 *
 * <p><b>Reading.</b> Verification accepts every format {@link PasswordHashFormat#isRecognized} does:
 * passlib/PHC/modular-crypt argon2, bcrypt, scrypt, pbkdf2 and sha-crypt hashes, Flask-Security
 * double hashes behind {@code {fs}} (needs {@link Builder#flaskSecurityPasswordSalt}), and Spring
 * Security's {@code {bcrypt}}, {@code {argon2}}, {@code {pbkdf2}} and {@code {scrypt}} encodings.
 * A stored value in no such format never matches (and is logged at DEBUG, without the value).
 *
 * <p><b>Normalization.</b> Passwords are normalized to Unicode NFKD (as Flask-Security does by default)
 * before hashing and before verifying, so differently composed inputs ("é" as one code point or as
 * "e" and a combining accent) are the same password. Hashes written by systems that did not
 * normalize still verify: when the NFKD form does not match and differs from the password as typed,
 * the typed form is tried too (and a match then yields an updated hash). Passwords are encoded as
 * UTF-8; longer than 4096 bytes they are refused by {@link #hash} and never match.
 *
 * <p><b>Unknown users.</b> Call {@link #verifyDummy} when no account matches the identifier, so that
 * the response takes as long as for a real account and does not reveal which accounts exist.
 *
 * <p><b>Capacity.</b> Hashing and verification run on a bounded pool: at most
 * {@link Builder#concurrency} at once (default one per processor), on the calling thread; a call
 * that finds every slot busy waits at most {@link Builder#queueTimeout} (default 500 ms) and then
 * throws {@link HashingCapacityException}, so that a sign-in flood is refused quickly instead of
 * thrashing the cores and making every sign-in slow. Dummy verifications take a slot like real ones,
 * so unknown accounts are refused under load exactly as known ones are.
 *
 * <p>Immutable and thread-safe; build one and share it.
 */
public final class PasswordHasher {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);
    /** {@code password-hash-queue-timeout}'s default: a few hashes' time, short enough that a refused client retries soon. */
    static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofMillis(500);

    private final HashScheme scheme;
    private final HashingContext context;
    private final HashingSlots slots;
    private volatile StoredHash dummyHash;

    private PasswordHasher(Builder builder) {
        this.scheme = builder.scheme;
        this.context = new HashingContext(builder.argon2Engine, new SecureRandom(), builder.flaskSecurityPasswordSalt);
        this.slots = new HashingSlots(builder.concurrency, builder.queueTimeout);
    }

    /** A builder with the defaults: argon2id with OWASP parameters, no Flask-Security salt. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder set up as {@code password-hash}, {@code password-salt},
     * {@code password-hash-concurrency} and {@code password-hash-queue-timeout} say: the configured
     * scheme at its default cost, the salt of imported Flask-Security hashes if there is one, and the
     * pool's bounds. The one place configuration becomes a hasher, for the application and the
     * command line alike.
     */
    public static Builder fromConfig(GatehouseConfig config) {
        Builder builder = builder().scheme(HashScheme.of(config.get(Settings.PASSWORD_HASH)))
                .queueTimeout(config.get(Settings.PASSWORD_HASH_QUEUE_TIMEOUT));
        config.get(Settings.PASSWORD_HASH_CONCURRENCY).ifPresent(builder::concurrency);
        config.get(Settings.PASSWORD_SALT).ifPresent(salt -> builder.flaskSecurityPasswordSalt(salt.reveal()));
        return builder;
    }

    /** The scheme new hashes are written with. */
    public HashScheme scheme() {
        return scheme;
    }

    /**
     * Hashes {@code password} with the current scheme and a fresh random salt.
     *
     * @return a self-describing hash string, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$...}
     * @throws InvalidInputException (field {@code password}) with code {@code PASSWORD_NOT_PROVIDED} for an
     *         empty password, {@code PASSWORD_TOO_LONG} for one over 4096 UTF-8 bytes or, with bcrypt, over 72
     * @throws HashingCapacityException when no hashing slot frees within the queue timeout
     */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        String normalized = PasswordText.normalizeForHashing(password);
        return slots.run(() -> scheme.hash(normalized, context));
    }

    /**
     * Whether {@code password} matches {@code storedHash}. Never throws for a malformed or
     * unsupported stored hash: it just does not match.
     *
     * @throws PasswordHasherConfigurationException for a {@code {fs}} hash when no Flask-Security salt is configured
     * @throws HashingCapacityException when no hashing slot frees within the queue timeout
     */
    public boolean verify(String password, String storedHash) {
        return verify(password, storedHash, false).matches();
    }

    /**
     * Verifies {@code password} and, when it matches a hash that is not exactly what the current
     * scheme would write (another algorithm, other parameters, a {@code {fs}} or Spring hash), also
     * returns a fresh hash to store in its place.
     *
     * @throws PasswordHasherConfigurationException for a {@code {fs}} hash when no Flask-Security salt is configured
     * @throws HashingCapacityException when no hashing slot frees within the queue timeout
     */
    public Verification verifyAndUpdate(String password, String storedHash) {
        return verify(password, storedHash, true);
    }

    /**
     * Does the work of verifying {@code password} against a hash in the current scheme and
     * parameters, and reports a mismatch. For sign-in attempts naming no existing account, so they
     * take as long as attempts on real accounts.
     *
     * @return always a mismatch, so it can stand in for {@link #verifyAndUpdate}
     * @throws HashingCapacityException when no hashing slot frees within the queue timeout, as a
     *         real verification would
     */
    public Verification verifyDummy(String password) {
        Objects.requireNonNull(password, "password");
        slots.run(() -> check(password, dummyHash(), false));
        return Verification.mismatch();
    }

    /**
     * Runs a whole password check — the store reads before the hash, the hash, the writes after —
     * once fewer than two per {@linkplain #concurrency() hashing slot} are in progress: one hashing,
     * the next reading what it will hash. Under a sign-in flood a check that would not get a slot
     * in time is then refused before it reads or counts anything, instead of after. Hashes inside
     * {@code check} take their slots as usual.
     *
     * @return what {@code check} returned
     * @throws HashingCapacityException when no check finished within the queue timeout; {@code check}
     *         did not run
     */
    public <T> T admitted(Supplier<T> check) {
        Objects.requireNonNull(check, "check");
        return slots.admitted(check);
    }

    /** The hash {@link #verifyDummy} verifies against: a hash of a random password, made on first use. */
    StoredHash dummyHash() {
        StoredHash dummy = dummyHash;
        if (dummy == null) {
            // A racing thread may make a second one; either is as good.
            String randomPassword = Base64.getEncoder().encodeToString(context.salt(24));
            dummy = StoredHash.parse(scheme.hash(randomPassword, context)).orElseThrow();
            dummyHash = dummy;
        }
        return dummy;
    }

    /** The argon2 engine in use. */
    Argon2Engine argon2Engine() {
        return context.argon2();
    }

    /** The most hashes computed at once. */
    public int concurrency() {
        return slots.concurrency();
    }

    /** How long a call waits for a free hashing slot; empty when it waits as long as it takes. */
    public Optional<Duration> queueTimeout() {
        return slots.queueTimeout();
    }

    private Verification verify(String password, String storedHash, boolean wantUpdate) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(storedHash, "storedHash");
        Optional<StoredHash> parsed = StoredHash.parse(storedHash);
        if (parsed.isEmpty()) {
            LOG.debug("stored password hash is not in a recognized format; treating it as a mismatch");
            return Verification.mismatch();
        }
        return slots.run(() -> check(password, parsed.get(), wantUpdate));
    }

    private Verification check(String password, StoredHash stored, boolean wantUpdate) {
        Optional<String> normalized = PasswordText.normalizeWithinLimits(password);
        if (normalized.isEmpty()) {
            return Verification.mismatch();
        }
        boolean matched = matches(normalized.get(), stored);
        boolean matchedAsTyped = false;
        if (!matched && !normalized.get().equals(password) && PasswordText.withinLimits(password)) {
            matchedAsTyped = matches(password, stored);
            matched = matchedAsTyped;
        }
        if (!matched) {
            return Verification.mismatch();
        }
        if (!wantUpdate || (stored.isCurrent(scheme) && !matchedAsTyped)) {
            return Verification.match();
        }
        try {
            return Verification.matchWithUpdate(scheme.hash(normalized.get(), context));
        } catch (InvalidInputException e) {
            // e.g. a long password that matched an argon2 hash while the current scheme is bcrypt:
            // the sign-in is still valid, the old hash stays.
            LOG.debug("password matched an outdated hash but cannot be re-hashed with {}: {}", scheme, e.code());
            return Verification.match();
        }
    }

    private boolean matches(String password, StoredHash stored) {
        try {
            return stored.matches(password, context);
        } catch (PasswordHasherConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            // A hash that parses but a library still rejects (e.g. parameters it does not support).
            LOG.debug("stored password hash could not be checked ({}); treating it as a mismatch",
                    e.getClass().getSimpleName());
            return false;
        }
    }

    /** Configures a {@link PasswordHasher}. Not thread-safe; validates each setting as it is given. */
    public static final class Builder {
        private HashScheme scheme = HashScheme.ARGON2ID;
        private Optional<String> flaskSecurityPasswordSalt = Optional.empty();
        /** Chosen on the first argon2 hash, not here: a command-line run that never hashes skips the timing. */
        private Supplier<Argon2Engine> argon2Engine = Argon2Engines::preferred;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private Optional<Duration> queueTimeout = Optional.of(DEFAULT_QUEUE_TIMEOUT);

        private Builder() {
        }

        /**
         * The most hashes and verifications computed at once ({@code password-hash-concurrency});
         * default one per available processor. Argon2 is memory-hard: more at once than cores only
         * makes each take longer.
         *
         * @throws IllegalArgumentException unless at least 1
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * How long a call waits for a free slot before {@link HashingCapacityException}
         * ({@code password-hash-queue-timeout}); default 500 ms. Zero refuses at once when all are busy.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder queueTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("queueTimeout must not be negative, was " + timeout);
            }
            this.queueTimeout = Optional.of(timeout);
            return this;
        }

        /**
         * Calls wait for a slot as long as it takes and never throw {@link HashingCapacityException}:
         * for a command-line tool or batch job, where nobody waits on the other end.
         */
        public Builder waitIndefinitely() {
            this.queueTimeout = Optional.empty();
            return this;
        }

        /** The scheme for new hashes; default {@link HashScheme#ARGON2ID}. */
        public Builder scheme(HashScheme scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme");
            return this;
        }

        /**
         * Flask-Security's {@code SECURITY_PASSWORD_SALT}, needed to verify hashes imported from
         * Flask-Security with a {@code {fs}} prefix. Keep it as secret as a signing key.
         */
        public Builder flaskSecurityPasswordSalt(String salt) {
            Objects.requireNonNull(salt, "salt");
            if (salt.isEmpty()) {
                throw new IllegalArgumentException("flaskSecurityPasswordSalt must not be empty");
            }
            this.flaskSecurityPasswordSalt = Optional.of(salt);
            return this;
        }

        /** Forces an argon2 engine (tests and benchmarks); by default the fastest available is used. */
        Builder argon2Engine(Argon2Engine engine) {
            Objects.requireNonNull(engine, "engine");
            this.argon2Engine = () -> engine;
            return this;
        }

        /** Where the engine comes from when the first argon2 hash needs it (tests). */
        Builder argon2EngineChoice(Supplier<Argon2Engine> choice) {
            this.argon2Engine = Objects.requireNonNull(choice, "choice");
            return this;
        }

        public PasswordHasher build() {
            return new PasswordHasher(this);
        }
    }
}
