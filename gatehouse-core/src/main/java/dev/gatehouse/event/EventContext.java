package dev.gatehouse.event;

import dev.gatehouse.request.ClientInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When an {@link AccountEvent} happened, to which user, and from which client.
 *
 * @param at     when, from Gatehouse's clock
 * @param userId the user concerned; empty when there is none (a failed sign-in naming no account)
 * @param client the client whose request caused it, {@link ClientInfo#UNKNOWN} outside a request
 */
public record EventContext(Instant at, Optional<Long> userId, ClientInfo client) {

    public EventContext {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(client, "client");
    }

    /** An event about user {@code userId}. */
    public static EventContext of(Instant at, long userId, ClientInfo client) {
        return new EventContext(at, Optional.of(userId), client);
    }

    /** An event about no known user. */
    public static EventContext anonymous(Instant at, ClientInfo client) {
        return new EventContext(at, Optional.empty(), client);
    }
}
