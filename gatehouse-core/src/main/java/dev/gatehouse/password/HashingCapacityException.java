package dev.gatehouse.password;

import dev.gatehouse.error.GatehouseException;
import java.time.Duration;

/**
 * Every password-hashing slot of a {@link PasswordHasher} stayed busy for the whole
 * {@code password-hash-queue-timeout} (code {@code HASHING_BUSY}): the server is at its hashing
 * capacity. Nothing was checked or changed, so the request may simply be repeated; the web layer
 * answers {@code 503 Service Unavailable} with {@code Retry-After}. It is not the client's fault and
 * says nothing about the credentials, so it is never counted as a failed sign-in.
 *
 * <p>It carries no stack trace: under a sign-in flood a server throws it dozens of times a second,
 * always from the same place, and filling in the trace of a request thread (a hundred frames of
 * Jetty and Javalin) cost a third as much as writing the 503 answer (async-profiler, a 64-client
 * flood on H2, two cores).
 */
public final class HashingCapacityException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    /** What to tell a refused client: a slot frees within a hash's time, so a second is plenty. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    HashingCapacityException(String message) {
        super("HASHING_BUSY", message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** How long a refused client should wait before trying again; whole seconds, at least 1. */
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
