package dev.gatehouse.password;

/**
 * A cheap argon2id hasher that counts the argon2 computations it makes, so tests can show that two
 * paths do the same hashing work (the structural form of "takes the same time").
 */
public final class HashingWork {

    private final RecordingArgon2Engine engine = new RecordingArgon2Engine(Argon2Engines.preferred());
    private final PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1))
            .argon2Engine(engine).waitIndefinitely().build();

    public PasswordHasher hasher() {
        return hasher;
    }

    /** Argon2 computations so far: each hash and each verification is one. */
    public int computations() {
        return engine.calls().size();
    }

    /** Forgets the computations so far. */
    public void reset() {
        engine.calls().clear();
    }
}
