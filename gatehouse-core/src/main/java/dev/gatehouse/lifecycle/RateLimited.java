package dev.gatehouse.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * The request was refused by a rate limit before anything else happened; the answer is the same
 * whether or not an account exists. The web layer answers HTTP 429 with {@code Retry-After}.
 *
 * @param retryAfter how long until the limit allows another attempt: whole seconds, at least 1
 */
public record RateLimited(Duration retryAfter)
        implements RegisterResult, SendResult, LoginCodeResult, PasswordChangeResult, ChangeEmailResult {

    public RateLimited {
        Objects.requireNonNull(retryAfter, "retryAfter");
    }
}
