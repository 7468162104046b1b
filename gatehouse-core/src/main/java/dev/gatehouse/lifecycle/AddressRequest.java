package dev.gatehouse.lifecycle;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;

/**
 * The start every request for an email about an address shares — a reset link, a confirmation
 * link, the username, a sign-in code — and where it stands afterwards: refused by a rate limit, or
 * allowed, with the account if there is one. The flows differ only in what they send.
 */
sealed interface AddressRequest permits AddressRequest.Limited, AddressRequest.Allowed {

    /**
     * Checks {@code email}, counts the request against {@code action}'s limits (per client and per
     * address), and only then looks the account up: a refused request touches no account, so it
     * costs the same for a known address as for an unknown one. With generic responses an unknown
     * address is allowed like a known one ({@link UnknownAccounts} then does the matching work).
     *
     * @throws InvalidInputException field {@code email}: a malformed address; without generic
     *         responses also {@code USER_DOES_NOT_EXIST}
     */
    static AddressRequest start(Context c, LimitedAction action, String email, ClientInfo client) {
        String address = Identifiers.checkEmail(email);
        Optional<Duration> wait = c.limits.hit(action, client, Optional.of(RateLimiter.emailKey(address)));
        if (wait.isPresent()) {
            return new Limited(new RateLimited(wait.get()));
        }
        Optional<User> user = c.users.findUserByEmail(address);
        if (user.isEmpty() && !c.generic()) {
            throw new InvalidInputException("email", "USER_DOES_NOT_EXIST", "Specified user does not exist");
        }
        return new Allowed(address, user);
    }

    /** A rate limit refused the request before the lookup; {@code refusal} is the flow's answer. */
    record Limited(RateLimited refusal) implements AddressRequest {
    }

    /**
     * @param address the checked address, as given (trimmed, normalized)
     * @param user    its account; empty only with generic responses
     */
    record Allowed(String address, Optional<User> user) implements AddressRequest {
    }
}
