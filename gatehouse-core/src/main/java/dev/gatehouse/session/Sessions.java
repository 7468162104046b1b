package dev.gatehouse.session;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.event.Events;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side sessions and remember-me grants: starting them at sign-in, resuming them on each
 * request, and ending them.
 *
 * <p>A session is valid while its absolute lifetime and idle timeout have not run out, its user
 * exists and is active, and the user's security stamp is the one the session was issued with — so
 * deactivating a user or rotating the stamp ends every session at once. Every sign-in and
 * re-authentication gets a new session id (no session fixation). A remember-me grant belongs to
 * the same family as the session it came with; ending the session ends the grant too.
 *
 * <p>A remember-me grant is rotated each time it restores a session: the cookie gets a new value
 * and the old one is kept, consumed, until the grant expires. An old value presented again later
 * than {@link #REMEMBER_REUSE_GRACE} after its rotation means the cookie was copied, so the
 * whole sign-in is ended (theft detection, as for refresh tokens). Within the grace it restores
 * a session without rotating again: a browser sends several requests at once with the same old
 * cookie before the first answer replaces it.
 *
 * <p>Thread-safe.
 */
public final class Sessions {

    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    /**
     * How long after a remember-me grant was rotated its old value still restores a session
     * without counting as reuse: long enough for the other requests a browser had in flight with
     * the old cookie, short enough to leave a thief no time to act unnoticed.
     */
    public static final Duration REMEMBER_REUSE_GRACE = Duration.ofSeconds(10);

    private final SessionStore store;
    private final UserStore users;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration rememberDuration;
    private final Duration touchInterval;
    private final Events events;

    /**
     * Sessions that publish no events.
     *
     * @param idleTimeout      a session unused this long ends
     * @param absoluteTimeout  a session ends this long after it started
     * @param rememberDuration default lifetime of remember-me grants
     */
    public Sessions(SessionStore store, UserStore users, Clock clock, Duration idleTimeout, Duration absoluteTimeout,
            Duration rememberDuration) {
        this(store, users, clock, idleTimeout, absoluteTimeout, rememberDuration, Events.none());
    }

    /**
     * Sessions that publish {@link AccountEvent.UserLoggedOut} when a user signs out.
     *
     * @param idleTimeout      a session unused this long ends
     * @param absoluteTimeout  a session ends this long after it started
     * @param rememberDuration default lifetime of remember-me grants
     */
    public Sessions(SessionStore store, UserStore users, Clock clock, Duration idleTimeout, Duration absoluteTimeout,
            Duration rememberDuration, Events events) {
        this.events = Objects.requireNonNull(events, "events");
        this.store = Objects.requireNonNull(store, "store");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
        this.rememberDuration = rememberDuration;
        // Writing lastUsedAt on every request would make each request a store write; a tenth of
        // the idle timeout (at most a minute) keeps the timeout accurate enough.
        Duration tenth = idleTimeout.dividedBy(10);
        this.touchInterval = tenth.compareTo(MAX_TOUCH_INTERVAL) < 0 ? tenth : MAX_TOUCH_INTERVAL;
    }

    /** The store behind these sessions. */
    public SessionStore store() {
        return store;
    }

    /**
     * Starts a session for a user who just proved who they are.
     *
     * @param remember    also issue a remember-me grant
     * @param rememberFor lifetime of the grant; empty for the configured default
     */
    public IssuedSession start(User user, boolean remember, Optional<Duration> rememberFor, ClientInfo client) {
        Instant now = clock.instant();
        return start(user, now, SessionRecord.newFamilyId(), now, remember, rememberFor, client);
    }

    /**
     * Starts a session that is not fresh: for programmatic sign-ins that should not count as a
     * recent proof of identity (Flask-Security's {@code login_user(fresh=False)}).
     */
    public IssuedSession startStale(User user, boolean remember, Optional<Duration> rememberFor, ClientInfo client) {
        Instant now = clock.instant();
        return start(user, Instant.EPOCH, SessionRecord.newFamilyId(), now, remember, rememberFor, client);
    }

    private IssuedSession start(User user, Instant authenticatedAt, String familyId, Instant now, boolean remember,
            Optional<Duration> rememberFor, ClientInfo client) {
        OneTimeSecret secret = OneTimeSecret.generate();
        SessionRecord session = new SessionRecord(secret.digest(), SessionKind.SESSION, user.id(), user.securityStamp(),
                familyId, 0, now, now, authenticatedAt, now.plus(absoluteTimeout), false, client.ip(), client.userAgent());
        store.save(session);
        Optional<String> rememberSecret = Optional.empty();
        Optional<Instant> rememberExpiresAt = Optional.empty();
        if (remember) {
            Duration lifetime = rememberFor.filter(d -> !d.isNegative() && !d.isZero()).orElse(rememberDuration);
            rememberExpiresAt = Optional.of(now.plus(lifetime));
            rememberSecret = Optional.of(grant(user, familyId, 0, now, authenticatedAt, rememberExpiresAt.get(), client));
        }
        return new IssuedSession(secret.value(), session, rememberSecret, rememberExpiresAt);
    }

    /** Stores a remember-me grant; returns the cookie value. */
    private String grant(User user, String familyId, int generation, Instant now, Instant authenticatedAt,
            Instant expiresAt, ClientInfo client) {
        OneTimeSecret grant = OneTimeSecret.generate();
        store.save(new SessionRecord(grant.digest(), SessionKind.REMEMBER_ME, user.id(), user.securityStamp(),
                familyId, generation, now, now, authenticatedAt, expiresAt, false, client.ip(), client.userAgent()));
        return grant.value();
    }

    /**
     * The authentication a session cookie stands for, if the session is still valid. An expired
     * or orphaned session is deleted on the way.
     */
    public Optional<Authentication> resume(String secret) {
        Optional<SessionRecord> found = lookup(secret, SessionKind.SESSION);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord record = found.get();
        Instant now = clock.instant();
        if (record.isExpiredAt(now) || !record.lastUsedAt().plus(idleTimeout).isAfter(now)) {
            store.delete(record.id());
            return Optional.empty();
        }
        Optional<User> user = currentUser(record);
        if (user.isEmpty()) {
            store.delete(record.id());
            return Optional.empty();
        }
        if (!record.lastUsedAt().plus(touchInterval).isAfter(now)) {
            store.touch(record.id(), now);
        }
        return Optional.of(new Authentication(user.get(), Mechanism.SESSION, record.authenticatedAt(), Optional.of(record)));
    }

    /**
     * Uses a remember-me cookie to start a new session in the grant's family, and rotates the
     * grant: the result's {@link IssuedSession#rememberSecret()} is the cookie's new value (empty
     * when an old value was presented within {@link #REMEMBER_REUSE_GRACE} of its rotation; the
     * client then keeps the value it was given). The new session is not fresh: it carries the time
     * the user last proved who they are. A value rotated longer ago ends the whole sign-in.
     */
    public Optional<IssuedSession> restore(String rememberSecret, ClientInfo client) {
        Optional<SessionRecord> found = lookup(rememberSecret, SessionKind.REMEMBER_ME);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord grant = found.get();
        Instant now = clock.instant();
        if (grant.isExpiredAt(now)) {
            store.deleteFamily(grant.familyId());
            return Optional.empty();
        }
        Optional<User> user = currentUser(grant);
        if (user.isEmpty()) {
            store.deleteFamily(grant.familyId());
            return Optional.empty();
        }
        if (grant.consumed() && !withinGrace(grant, now)) {
            int removed = store.deleteFamily(grant.familyId());
            LOG.warn("Remember-me reuse for user {}: a rotated remember-me cookie was presented again; ended its sign-in"
                    + " ({} records)", grant.userId(), removed);
            return Optional.empty();
        }
        IssuedSession session = start(user.get(), grant.authenticatedAt(), grant.familyId(), now, false, Optional.empty(),
                client);
        if (grant.consumed()) {
            return Optional.of(session);
        }
        // lastUsedAt marks the rotation, for the grace; it is set before the record turns consumed
        // so that a concurrent request never sees a consumed grant without it.
        store.touch(grant.id(), now);
        if (!store.consume(grant.id())) {
            // A concurrent request with the same cookie rotated it a moment ago: the grace case.
            return Optional.of(session);
        }
        String rotated = grant(user.get(), grant.familyId(), grant.generation() + 1, now, grant.authenticatedAt(),
                grant.expiresAt(), client);
        return Optional.of(new IssuedSession(session.secret(), session.record(), Optional.of(rotated),
                Optional.of(grant.expiresAt())));
    }

    private static boolean withinGrace(SessionRecord consumedGrant, Instant now) {
        return consumedGrant.lastUsedAt().plus(REMEMBER_REUSE_GRACE).isAfter(now);
    }

    /**
     * Replaces a session by a fresh one after the user re-authenticated: new id (no fixation),
     * {@code authenticatedAt} now. The remember-me grant of the family, if any, stays.
     */
    public IssuedSession renew(SessionRecord old, User user, ClientInfo client) {
        store.delete(old.id());
        Instant now = clock.instant();
        return start(user, now, old.familyId(), now, false, Optional.empty(), client);
    }

    /**
     * Ends a session together with its remember-me grant (logout), and publishes
     * {@link AccountEvent.UserLoggedOut} with the client the session was started for.
     */
    public void end(SessionRecord session) {
        store.deleteFamily(session.familyId());
        events.publish(new AccountEvent.UserLoggedOut(EventContext.of(clock.instant(), session.userId(),
                new ClientInfo(session.ip(), session.userAgent()))));
    }

    /**
     * Ends a sign-in that a request authenticated with by API token (logout by token): its
     * session, remember-me grant, refresh tokens and API tokens; publishes
     * {@link AccountEvent.UserLoggedOut}.
     */
    public void endFamily(long userId, String familyId, ClientInfo client) {
        store.deleteFamily(familyId);
        events.publish(new AccountEvent.UserLoggedOut(EventContext.of(clock.instant(), userId, client)));
    }

    /** Ends whatever family the given remember-me cookie belongs to, if it is genuine. */
    public void endRemembered(String rememberSecret) {
        lookup(rememberSecret, SessionKind.REMEMBER_ME).ifPresent(grant -> store.deleteFamily(grant.familyId()));
    }

    /** Ends every session, grant and refresh token of a user; returns how many records went. */
    public int endAll(long userId) {
        return store.deleteAllForUser(userId);
    }

    /** A user's live sessions, oldest first, for a "where you are signed in" page. */
    public List<SessionRecord> list(long userId) {
        Instant now = clock.instant();
        return store.listForUser(userId).stream()
                .filter(r -> r.kind() == SessionKind.SESSION && !r.isExpiredAt(now)
                        && r.lastUsedAt().plus(idleTimeout).isAfter(now))
                .toList();
    }

    /**
     * The user's sign-ins that can still authenticate, most recently used first: live sessions,
     * unexpired remember-me grants and unconsumed, unexpired refresh tokens issued with the user's
     * current security stamp, grouped by family (ASVS 7.5.2).
     */
    public List<SignIn> signIns(User user) {
        Instant now = clock.instant();
        Map<String, List<SessionRecord>> families = new LinkedHashMap<>();
        for (SessionRecord r : store.listForUser(user.id())) {
            if (isLive(r, user, now)) {
                families.computeIfAbsent(r.familyId(), f -> new ArrayList<>()).add(r);
            }
        }
        List<SignIn> signIns = new ArrayList<>();
        families.forEach((familyId, records) -> {
            SessionRecord latest = records.stream().max(Comparator.comparing(SessionRecord::lastUsedAt)).orElseThrow();
            Instant created = records.stream().map(SessionRecord::createdAt).min(Comparator.naturalOrder()).orElseThrow();
            Set<SessionKind> kinds = EnumSet.noneOf(SessionKind.class);
            records.forEach(r -> kinds.add(r.kind()));
            signIns.add(new SignIn(familyId, kinds, created, latest.lastUsedAt(), latest.ip(), latest.userAgent()));
        });
        signIns.sort(Comparator.comparing(SignIn::lastUsedAt).reversed());
        return List.copyOf(signIns);
    }

    private boolean isLive(SessionRecord r, User user, Instant now) {
        if (r.isExpiredAt(now) || !r.securityStamp().equals(user.securityStamp())) {
            return false;
        }
        return switch (r.kind()) {
            case SESSION -> r.lastUsedAt().plus(idleTimeout).isAfter(now);
            case REMEMBER_ME -> true;
            case REFRESH_TOKEN -> !r.consumed();
        };
    }

    /**
     * Ends one sign-in of a user — its session, remember-me grant and refresh tokens — if the
     * family belongs to that user; a family of anyone else is left alone.
     *
     * @return how many records went; 0 if the family is not the user's (or already gone)
     */
    public int endSignIn(long userId, String familyId) {
        boolean owned = store.listForUser(userId).stream().anyMatch(r -> r.familyId().equals(familyId));
        return owned ? store.deleteFamily(familyId) : 0;
    }

    private Optional<SessionRecord> lookup(String secret, SessionKind kind) {
        return store.findBySecret(secret, kind);
    }

    private Optional<User> currentUser(SessionRecord record) {
        return users.findUserById(record.userId())
                .filter(User::isActive)
                // Both stamps come from the server's own stores, so a plain comparison leaks nothing.
                .filter(u -> u.securityStamp().equals(record.securityStamp()));
    }
}
