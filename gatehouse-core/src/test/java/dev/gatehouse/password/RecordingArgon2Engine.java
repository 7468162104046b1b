package dev.gatehouse.password;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Delegates to a real engine and records the parameters of every call (never the password). */
final class RecordingArgon2Engine implements Argon2Engine {

    /** The work one call asked for. */
    record Call(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism, int saltLength,
                int hashLength) {
    }

    private final Argon2Engine delegate;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    RecordingArgon2Engine(Argon2Engine delegate) {
        this.delegate = delegate;
    }

    List<Call> calls() {
        return calls;
    }

    @Override
    public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                       byte[] password, byte[] salt, int hashLength) {
        calls.add(new Call(type, version, memoryKiB, iterations, parallelism, salt.length, hashLength));
        return delegate.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
    }

    @Override
    public String description() {
        return "recording " + delegate.description();
    }
}
