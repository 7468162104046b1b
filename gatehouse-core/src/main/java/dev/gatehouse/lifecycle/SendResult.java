package dev.gatehouse.lifecycle;

import java.util.Objects;

/**
 * What became of a request for an email: a password reset link, a new confirmation link, the
 * username. With generic responses on, {@link Sent} answers every well-formed request, whether or
 * not an account has the address.
 */
public sealed interface SendResult permits SendResult.Sent, RateLimited {

    /**
     * The email was queued (with generic responses: or the address has no account).
     *
     * @param email the address as given, normalized, for messages such as "instructions have been
     *              sent to ..."
     */
    record Sent(String email) implements SendResult {
        public Sent {
            Objects.requireNonNull(email, "email");
        }
    }
}
