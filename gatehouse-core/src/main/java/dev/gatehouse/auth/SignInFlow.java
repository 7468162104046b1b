package dev.gatehouse.auth;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.event.Events;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.Verification;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials for a sign-in (Flask-Security's login form), in Flask-Security's order:
 * the user exists, has a password, the password matches, the email is confirmed when required,
 * the account is active. Deactivation and confirmation are reported only after the password
 * matched, so they reveal nothing to someone who does not know it.
 *
 * <p>Abuse resistance, when configured ({@code Gatehouse}'s flow has it; the plain constructor
 * does not):
 * <ul>
 *   <li><b>Rate limits</b>: every attempt counts against {@code rate-limit-login} (per client
 *       address), and a client or account over {@code rate-limit-login-failed} is refused before
 *       the password is checked ({@link SignInResult.RateLimited}); a success clears the account's
 *       failures. An account is counted under its id, whichever identifier (email or username)
 *       names it; an identifier no account has is counted under itself, so unknown and known
 *       identifiers meet the same limits.</li>
 *   <li><b>Lockout</b>: a failed password counts towards the account's {@link Lockout}; a locked
 *       account answers {@link SignInResult.LockedOut} even to the right password.</li>
 *   <li><b>Re-authentication</b> ({@link #checkPassword}) counts exactly like a sign-in, towards
 *       the same limits and lockout: holding a session or token buys no extra guesses.</li>
 *   <li><b>Events</b>: each failure publishes {@link AccountEvent.AuthenticationFailed};
 *       {@link #recordSignIn} publishes {@link AccountEvent.UserAuthenticated}.</li>
 * </ul>
 *
 * <p>Every path that can name an account does one password verification: an attempt for an
 * unknown account, or for a locked one, verifies against a dummy hash, so it takes as long as one
 * with a real password check. A password stored in an outdated scheme is re-hashed on a successful
 * check. When the hasher has no free slot in time it throws
 * {@link dev.gatehouse.password.HashingCapacityException} out of {@link #signIn} and
 * {@link #checkPassword}: nothing was checked, so nothing counts towards failures or the lockout
 * (the attempt itself still counts towards {@code rate-limit-login}). Knows nothing of HTTP. Thread-safe.
 *
 * @see dev.gatehouse.Gatehouse#signIn()
 */
public final class SignInFlow {

    private static final Logger LOG = LoggerFactory.getLogger(SignInFlow.class);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final boolean usernames;
    private final boolean confirmationRequired;
    private final boolean trackable;
    private final Lockout lockout;
    private final RateLimiter limits;
    private final Events events;

    /**
     * A flow without lockout, rate limits or events.
     *
     * @param usernames            users may sign in with a username as well as an email address
     * @param confirmationRequired unconfirmed users may not sign in
     * @param trackable            record each successful sign-in on the user
     */
    public SignInFlow(UserStore users, PasswordHasher hasher, Clock clock, boolean usernames,
            boolean confirmationRequired, boolean trackable) {
        this(users, hasher, clock, usernames, confirmationRequired, trackable, Lockout.disabled(), RateLimiter.disabled(),
                Events.none());
    }

    /** A flow with lockout, rate limits and events; see the class documentation. */
    public SignInFlow(UserStore users, PasswordHasher hasher, Clock clock, boolean usernames,
            boolean confirmationRequired, boolean trackable, Lockout lockout, RateLimiter limits, Events events) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.usernames = usernames;
        this.confirmationRequired = confirmationRequired;
        this.trackable = trackable;
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** The lockout this flow applies. */
    public Lockout lockout() {
        return lockout;
    }

    /**
     * Checks an identity (email address, or username when enabled) and a password, for a client
     * whose address is not known: per-address rate limits do not apply (HTTP Basic uses this, as
     * it checks credentials on every request), per-account limits and lockout do.
     */
    public SignInResult signIn(String identity, String password) {
        return signIn(identity, password, ClientInfo.UNKNOWN);
    }

    /**
     * Checks an identity (email address, or username when enabled) and a password.
     *
     * @throws HashingCapacityException when the server is at its hashing capacity: no failure was
     *         counted and nothing changed, and the attempt may be repeated; refused before it was
     *         {@linkplain PasswordHasher#admitted admitted}, it read and counted nothing at all
     */
    public SignInResult signIn(String identity, String password, ClientInfo client) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(client, "client");
        return hasher.admitted(() -> admittedSignIn(identity, password, client));
    }

    private SignInResult admittedSignIn(String identity, String password, ClientInfo client) {
        Optional<User> found = find(identity);
        // Per account, not per identifier: email and username of one account share one count.
        Optional<String> key = found.map(u -> RateLimiter.userKey(u.id())).or(() -> identifierKey(identity));
        Optional<Duration> wait = limited(client, key);
        if (wait.isPresent()) {
            failed(Optional.empty(), client, "RATE_LIMITED");
            return new SignInResult.RateLimited(wait.get());
        }
        if (found.isEmpty()) {
            hasher.verifyDummy(password);
            countFailure(client, key);
            failed(Optional.empty(), client, Reason.USER_DOES_NOT_EXIST.name());
            return new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST);
        }
        SignInResult checked = countedCheck(found.get(), password, client, key);
        if (!(checked instanceof SignInResult.SignedIn signedIn)) {
            return checked;
        }
        User user = signedIn.user();
        if (confirmationRequired && user.confirmedAt().isEmpty()) {
            return new SignInResult.ConfirmationRequired(user);
        }
        if (!user.isActive()) {
            return new SignInResult.Disabled(user);
        }
        return signedIn;
    }

    /**
     * Checks the password of a known user who proves it again: the one entry point for every
     * re-authentication (Flask-Security's {@code /verify}, the current password of a password or
     * email change, and any later one). It counts like a sign-in — {@code rate-limit-login},
     * {@code rate-limit-login-failed} under the account's key, and the {@link Lockout} — so a
     * session or token buys no extra guesses, and a lock reached here locks sign-in too (with the
     * email and event of a sign-in lock). Upgrades an outdated hash.
     *
     * @return {@link SignInResult.SignedIn} (the user as stored) if the password is right;
     *         {@link SignInResult.InvalidCredentials} ({@code INVALID_PASSWORD} or
     *         {@code PASSWORD_NOT_SET}), {@link SignInResult.LockedOut} or
     *         {@link SignInResult.RateLimited} otherwise. Whether the account is active or
     *         confirmed is not checked: the caller already let the user in.
     */
    public SignInResult checkPassword(User user, String password, ClientInfo client) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(client, "client");
        return hasher.admitted(() -> admittedCheck(user, password, client));
    }

    private SignInResult admittedCheck(User user, String password, ClientInfo client) {
        Optional<String> key = Optional.of(RateLimiter.userKey(user.id()));
        Optional<Duration> wait = limited(client, key);
        if (wait.isPresent()) {
            failed(Optional.of(user.id()), client, "RATE_LIMITED");
            return new SignInResult.RateLimited(wait.get());
        }
        return countedCheck(user, password, client, key);
    }

    /** Whether a rate limit refuses an attempt now; counts the attempt towards {@code rate-limit-login}. */
    private Optional<Duration> limited(ClientInfo client, Optional<String> key) {
        return limits.hit(LimitedAction.LOGIN, client, key).or(() -> limits.check(LimitedAction.LOGIN_FAILED, client, key));
    }

    /**
     * The password check of a known account with its bookkeeping: a lock refuses (after the same
     * hashing work), a failure counts towards the limits and the lockout, a success clears both.
     */
    private SignInResult countedCheck(User account, String password, ClientInfo client, Optional<String> key) {
        Optional<Lockout.Lock> lock = lockout.status(account.id(), client);
        if (lock.isPresent()) {
            // The same work as a real check, and the right password must not tell itself apart.
            hasher.verifyDummy(password);
            countFailure(client, key);
            failed(Optional.of(account.id()), client, "LOCKED_OUT");
            return new SignInResult.LockedOut(account, lock.get().until());
        }
        SignInResult passwordCheck = verifyPassword(account, password);
        if (!(passwordCheck instanceof SignInResult.SignedIn)) {
            countFailure(client, key);
            Optional<Lockout.Lock> locked = lockout.recordFailure(account, client);
            failed(Optional.of(account.id()), client, ((SignInResult.InvalidCredentials) passwordCheck).reason().name());
            return locked.<SignInResult>map(l -> new SignInResult.LockedOut(account, l.until())).orElse(passwordCheck);
        }
        key.ifPresent(k -> limits.clear(LimitedAction.LOGIN_FAILED, k));
        lockout.recordSuccess(account.id(), client);
        return passwordCheck;
    }

    /** Verifies the password alone, upgrading an outdated hash; counts nothing. */
    private SignInResult verifyPassword(User user, String password) {
        Optional<String> hash = user.passwordHash();
        if (hash.isEmpty()) {
            hasher.verifyDummy(password);
            return new SignInResult.InvalidCredentials(Reason.PASSWORD_NOT_SET);
        }
        Verification verification = hasher.verifyAndUpdate(password, hash.get());
        if (!verification.matches()) {
            return new SignInResult.InvalidCredentials(Reason.INVALID_PASSWORD);
        }
        if (verification.updatedHash().isPresent()) {
            user = users.setPasswordHash(user.id(), verification.updatedHash().get());
            LOG.info("Upgraded the password hash of user {} to the current scheme", user.id());
        }
        return new SignInResult.SignedIn(user);
    }

    /**
     * Records a successful sign-in — the web layer calls it whenever it starts a session — when
     * {@code trackable} is on, and publishes {@link AccountEvent.UserAuthenticated}.
     *
     * @return the user as stored
     */
    public User recordSignIn(User user, ClientInfo client) {
        User stored = trackable ? users.recordLogin(user.id(), clock.instant(), client.ip()) : user;
        events.publish(new AccountEvent.UserAuthenticated(EventContext.of(clock.instant(), user.id(), client)));
        return stored;
    }

    private void countFailure(ClientInfo client, Optional<String> key) {
        limits.hit(LimitedAction.LOGIN_FAILED, client, key);
    }

    private void failed(Optional<Long> userId, ClientInfo client, String reason) {
        events.publish(new AccountEvent.AuthenticationFailed(new EventContext(clock.instant(), userId, client), reason));
    }

    /**
     * The rate-limit key of a sign-in identity no account has: an email's or a username's
     * case-insensitive form. Empty for input no account could have.
     */
    private Optional<String> identifierKey(String identity) {
        if (identity == null || identity.isBlank() || identity.length() > 320) {
            return Optional.empty();
        }
        String trimmed = identity.strip();
        return Optional.of(trimmed.indexOf('@') >= 0 || !usernames
                ? RateLimiter.emailKey(trimmed) : "username:" + Identifiers.usernameKey(trimmed));
    }

    private Optional<User> find(String identity) {
        if (identity == null || identity.isBlank() || identity.length() > 320) {
            return Optional.empty();
        }
        String trimmed = identity.strip();
        if (trimmed.indexOf('@') >= 0 || !usernames) {
            return users.findUserByEmail(trimmed);
        }
        return users.findUserByUsername(trimmed);
    }
}
