package dev.gatehouse.auth;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.SessionKind;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens: long-lived, single-use secrets a client exchanges for a new API token and a new
 * refresh token (rotation). The tokens of one sign-in form a family, the same family as the
 * sign-in's session and API tokens (so logging out ends them all, and revoking the family stops
 * the API tokens minted from it):
 * <ul>
 *   <li>each refresh token works once; presenting an already exchanged one means it was copied,
 *       so the whole family is revoked (reuse detection);</li>
 *   <li>a refresh token not exchanged within {@code refresh-token-idle-timeout} expires;</li>
 *   <li>a family ends {@code refresh-token-max-age} after the sign-in, however active;</li>
 *   <li>deactivation, security-stamp rotation and "sign out everywhere" end it, and so does a
 *       logout that hands the refresh token back ({@link #revoke}).</li>
 * </ul>
 * The store keeps only digests. Thread-safe: of two concurrent exchanges of the same token, one
 * wins and the other revokes the family.
 */
public final class RefreshTokens {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);

    private final SessionStore store;
    private final UserStore users;
    private final AuthTokens authTokens;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;

    public RefreshTokens(SessionStore store, UserStore users, AuthTokens authTokens, Clock clock, Duration idleTimeout,
            Duration maxAge) {
        this.store = Objects.requireNonNull(store, "store");
        this.users = Objects.requireNonNull(users, "users");
        this.authTokens = Objects.requireNonNull(authTokens, "authTokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * A freshly issued pair.
     *
     * @param authToken    the new API token
     * @param refreshToken the new refresh token (secret; only its digest is stored)
     * @param expiresAt    when the refresh token expires unless exchanged before
     * @param user         whom they authenticate
     */
    public record Issued(String authToken, String refreshToken, Instant expiresAt, User user) {
        @Override
        public String toString() {
            return "Issued[user=" + user.id() + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Starts the refresh tokens of a sign-in: a user who signed in at {@code authenticatedAt}, whose
     * session (if any) is of family {@code familyId}.
     */
    public Issued issue(User user, Instant authenticatedAt, String familyId, ClientInfo client) {
        Instant now = clock.instant();
        return save(user, familyId, 0, now, authenticatedAt, now.plus(maxAge), client);
    }

    /**
     * Exchanges a refresh token for a new pair, or revokes its family if the token was already
     * used. Empty for anything that is not a current refresh token.
     */
    public Optional<Issued> exchange(String refreshToken, ClientInfo client) {
        Optional<SessionRecord> found = store.findBySecret(refreshToken, SessionKind.REFRESH_TOKEN);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord record = found.get();
        Instant now = clock.instant();
        if (record.consumed()) {
            revoke(record, "an already exchanged refresh token was presented again");
            return Optional.empty();
        }
        if (record.isExpiredAt(now) || !record.createdAt().plus(idleTimeout).isAfter(now)) {
            store.deleteFamily(record.familyId());
            return Optional.empty();
        }
        Optional<User> user = users.findUserById(record.userId())
                .filter(User::isActive)
                .filter(u -> u.securityStamp().equals(record.securityStamp()));
        if (user.isEmpty()) {
            store.deleteFamily(record.familyId());
            return Optional.empty();
        }
        if (!store.consume(record.id())) {
            revoke(record, "a refresh token was exchanged twice at once");
            return Optional.empty();
        }
        return Optional.of(save(user.get(), record.familyId(), record.generation() + 1, now, record.authenticatedAt(),
                record.expiresAt(), client));
    }

    /**
     * Ends the family of a presented refresh token (sign-out of an API client). Does nothing for
     * anything that is not a refresh token.
     */
    public void revoke(String refreshToken) {
        store.findBySecret(refreshToken, SessionKind.REFRESH_TOKEN).ifPresent(r -> store.deleteFamily(r.familyId()));
    }

    private Issued save(User user, String familyId, int generation, Instant now, Instant authenticatedAt,
            Instant familyEnd, ClientInfo client) {
        OneTimeSecret secret = OneTimeSecret.generate();
        store.save(new SessionRecord(secret.digest(), SessionKind.REFRESH_TOKEN, user.id(), user.securityStamp(), familyId,
                generation, now, now, authenticatedAt, familyEnd, false, client.ip(), client.userAgent()));
        Instant idleEnd = now.plus(idleTimeout);
        return new Issued(authTokens.issue(user, authenticatedAt, familyId), secret.value(),
                idleEnd.isBefore(familyEnd) ? idleEnd : familyEnd, user);
    }

    private void revoke(SessionRecord record, String why) {
        int removed = store.deleteFamily(record.familyId());
        LOG.warn("Refresh token reuse for user {}: {}; revoked its family ({} records)", record.userId(), why, removed);
    }
}
