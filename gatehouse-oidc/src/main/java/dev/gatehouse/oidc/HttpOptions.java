package dev.gatehouse.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts for every HTTP call to a provider (discovery, JWKS, token, userinfo, device authorization),
 * so a slow provider cannot hold a request thread indefinitely.
 *
 * @param connectTimeout how long to wait for a connection; positive
 * @param readTimeout    how long to wait for a response once connected; positive
 */
public record HttpOptions(Duration connectTimeout, Duration readTimeout) {

    /** Checks both timeouts are positive and fit in an {@code int} of milliseconds. */
    public HttpOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || connectTimeout.toMillis() > Integer.MAX_VALUE || readTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("HTTP timeouts must be positive");
        }
    }

    /** Five seconds to connect, five seconds to read. */
    public static HttpOptions defaults() {
        return new HttpOptions(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    int connectMillis() {
        return (int) connectTimeout.toMillis();
    }

    int readMillis() {
        return (int) readTimeout.toMillis();
    }
}
