package dev.gatehouse.auth;

import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * API authentication tokens (Flask-Security's {@code Authentication-Token}): signed, timed,
 * stateless. A token names the user, the user's security stamp and the time the user signed in;
 * it stops working when it is older than {@code token-max-age}, when the stamp is rotated
 * (password change, "sign out everywhere") or when the user is deactivated.
 *
 * <p>Checking one costs one HMAC and a user lookup: no store write, no password hashing.
 * Thread-safe.
 */
public final class AuthTokens {

    static final String PURPOSE = "auth-token";

    private final TokenSigner signer;
    private final UserStore users;
    private final Duration maxAge;

    public AuthTokens(TokenSigner signer, UserStore users, Duration maxAge) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.users = Objects.requireNonNull(users, "users");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** How long a token is accepted after it was issued ({@code token-max-age}). */
    public Duration maxAge() {
        return maxAge;
    }

    /**
     * Issues a token for {@code user}, who signed in (or last re-authenticated) at
     * {@code authenticatedAt}.
     */
    public String issue(User user, Instant authenticatedAt) {
        return signer.sign(PURPOSE, user.id() + ":" + authenticatedAt.getEpochSecond() + ":" + user.securityStamp());
    }

    /** The authentication a presented token stands for, if it is genuine and current. */
    public Optional<Authentication> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (!(signer.verify(PURPOSE, token, maxAge) instanceof TokenCheck.Valid valid)) {
            return Optional.empty();
        }
        String payload = valid.payload();
        int first = payload.indexOf(':');
        int second = payload.indexOf(':', first + 1);
        if (first <= 0 || second <= first) {
            return Optional.empty();
        }
        long userId;
        long authenticatedAt;
        try {
            userId = Long.parseLong(payload, 0, first, 10);
            authenticatedAt = Long.parseLong(payload, first + 1, second, 10);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<User> user = users.findUserById(userId);
        if (user.isEmpty() || !user.get().isActive()
                || !payload.regionMatches(second + 1, user.get().securityStamp(), 0, payload.length() - second - 1)
                || payload.length() - second - 1 != user.get().securityStamp().length()) {
            return Optional.empty();
        }
        return Optional.of(new Authentication(user.get(), Mechanism.TOKEN, Instant.ofEpochSecond(authenticatedAt),
                Optional.empty()));
    }
}
