package dev.gatehouse.auth;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.SessionFamilies;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API authentication tokens (Flask-Security's {@code Authentication-Token}): signed, timed,
 * stateless. A token names the user, the time the user signed in, the user's security stamp and
 * the sign-in it came from (the family of its session and refresh tokens, see
 * {@link SessionFamilies}); it stops working when it is older than {@code token-max-age}, when the
 * stamp is rotated (password change, "sign out everywhere"), when the user is deactivated, and
 * when its sign-in ends (logout, refresh-token reuse, the sign-in's records all expired).
 *
 * <p>Checking one costs one HMAC the first time (after that, while the signer remembers it, a
 * lookup and a constant-time comparison; see {@link TokenSigner}), a user lookup and a look at the
 * family's cached liveness: no store access in the common case, no password hashing. Tokens issued
 * before the family was part of the payload no longer verify. Thread-safe.
 */
public final class AuthTokens {

    static final String PURPOSE = "auth-token";
    /** More than the tokens of the clients active at once on one node. */
    static final int MAX_CLAIMS = 10_000;

    private final TokenSigner signer;
    private final UserStore users;
    private final SessionFamilies families;
    private final Duration maxAge;
    /** Payloads of tokens read lately, parsed; see {@link #claims}. */
    private final ConcurrentHashMap<String, Claims> recentClaims = new ConcurrentHashMap<>();

    /**
     * @param families whether the sign-in a token names is still alive
     * @param maxAge   {@code token-max-age}
     */
    public AuthTokens(TokenSigner signer, UserStore users, SessionFamilies families, Duration maxAge) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.users = Objects.requireNonNull(users, "users");
        this.families = Objects.requireNonNull(families, "families");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** How long a token is accepted after it was issued ({@code token-max-age}). */
    public Duration maxAge() {
        return maxAge;
    }

    /**
     * Issues a token for {@code user}, who signed in (or last re-authenticated) at
     * {@code authenticatedAt}; it works while the sign-in {@code familyId} has a live record.
     *
     * @throws IllegalArgumentException if {@code familyId} cannot be a family id
     */
    public String issue(User user, Instant authenticatedAt, String familyId) {
        if (!SessionRecord.isWellFormedFamilyId(familyId)) {
            throw new IllegalArgumentException("familyId must be 1-64 characters of A-Z, a-z, 0-9, - and _");
        }
        return signer.sign(PURPOSE, user.id() + ":" + authenticatedAt.getEpochSecond() + ":" + user.securityStamp()
                + ":" + familyId);
    }

    /** The authentication a presented token stands for, if it is genuine and current. */
    public Optional<Authentication> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (!(signer.verify(PURPOSE, token, maxAge) instanceof TokenCheck.Valid valid)) {
            return Optional.empty();
        }
        Claims claims = claims(valid.payload());
        if (claims == null) {
            return Optional.empty();
        }
        Optional<User> user = users.findUserById(claims.userId());
        if (user.isEmpty() || !user.get().isActive() || !claims.securityStamp().equals(user.get().securityStamp())
                || !families.isAlive(claims.familyId())) {
            return Optional.empty();
        }
        return Optional.of(new Authentication(user.get(), Mechanism.TOKEN, claims.authenticatedAt(), Optional.empty(),
                Optional.of(claims.familyId())));
    }

    /**
     * What a genuine token's payload says, from memory when read lately, or null if it says nothing
     * readable. The signer hands back the same payload string for a token it remembers, whose
     * hash the string keeps, so the lookup costs little (about 55 ns less than parsing, in JMH).
     * Only genuine payloads get here, and at most {@link #MAX_CLAIMS}.
     */
    private Claims claims(String payload) {
        Claims claims = recentClaims.get(payload);
        if (claims == null) {
            claims = Claims.parse(payload);
            if (claims != null) {
                if (recentClaims.size() >= MAX_CLAIMS) {
                    recentClaims.clear();
                }
                recentClaims.put(payload, claims);
            }
        }
        return claims;
    }

    /** A token's payload, {@code <user id>:<signed in at, epoch seconds>:<security stamp>:<family id>}. */
    private record Claims(long userId, Instant authenticatedAt, String securityStamp, String familyId) {

        static Claims parse(String payload) {
            int first = payload.indexOf(':');
            int second = payload.indexOf(':', first + 1);
            int third = payload.indexOf(':', second + 1);
            if (first <= 0 || second <= first || third <= second + 1 || third == payload.length() - 1) {
                return null;
            }
            try {
                return new Claims(Long.parseLong(payload, 0, first, 10),
                        Instant.ofEpochSecond(Long.parseLong(payload, first + 1, second, 10)),
                        payload.substring(second + 1, third), payload.substring(third + 1));
            } catch (NumberFormatException | DateTimeException e) {
                return null;
            }
        }
    }
}
