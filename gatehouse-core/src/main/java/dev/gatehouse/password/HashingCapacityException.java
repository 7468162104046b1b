package dev.gatehouse.password;

import dev.gatehouse.error.GatehouseException;
import java.time.Duration;

/**
 * Every password-hashing slot of a {@link PasswordHasher} stayed busy for the whole
 * {@code password-hash-queue-timeout} (code {@code HASHING_BUSY}): the server is at its hashing
 * capacity. Nothing was checked or changed, so the request may simply be repeated; the web layer
 * answers {@code 503 Service Unavailable} with {@code Retry-After}. It is not the client's fault and
 * says nothing about the credentials, so it is never counted as a failed sign-in.
 */
public final class HashingCapacityException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    /** What to tell a refused client: a slot frees within a hash's time, so a second is plenty. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    HashingCapacityException(String message) {
        super("HASHING_BUSY", message);
    }

    /** How long a refused client should wait before trying again; whole seconds, at least 1. */
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
