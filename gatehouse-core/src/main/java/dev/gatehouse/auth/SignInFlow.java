package dev.gatehouse.auth;

import dev.gatehouse.auth.SignInResult.Reason;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.Verification;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
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
 * <p>An attempt for an unknown account verifies the password against a dummy hash, so it takes
 * as long as one for a real account. A password stored in an outdated scheme is re-hashed on a
 * successful check. Knows nothing of HTTP. Thread-safe.
 */
public final class SignInFlow {

    private static final Logger LOG = LoggerFactory.getLogger(SignInFlow.class);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final boolean usernames;
    private final boolean confirmationRequired;
    private final boolean trackable;

    /**
     * @param usernames            users may sign in with a username as well as an email address
     * @param confirmationRequired unconfirmed users may not sign in
     * @param trackable            record each successful sign-in on the user
     */
    public SignInFlow(UserStore users, PasswordHasher hasher, Clock clock, boolean usernames,
            boolean confirmationRequired, boolean trackable) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.usernames = usernames;
        this.confirmationRequired = confirmationRequired;
        this.trackable = trackable;
    }

    /**
     * Checks an identity (email address, or username when enabled) and a password.
     */
    public SignInResult signIn(String identity, String password) {
        Objects.requireNonNull(password, "password");
        Optional<User> found = find(identity);
        if (found.isEmpty()) {
            hasher.verifyDummy(password);
            return new SignInResult.InvalidCredentials(Reason.USER_DOES_NOT_EXIST);
        }
        User user = found.get();
        SignInResult passwordCheck = checkPassword(user, password);
        if (!(passwordCheck instanceof SignInResult.SignedIn signedIn)) {
            return passwordCheck;
        }
        user = signedIn.user();
        if (confirmationRequired && user.confirmedAt().isEmpty()) {
            return new SignInResult.ConfirmationRequired(user);
        }
        if (!user.isActive()) {
            return new SignInResult.Disabled(user);
        }
        return signedIn;
    }

    /**
     * Checks the password of a known, signed-in user (re-authentication, Flask-Security's
     * {@code /verify}); upgrades an outdated hash.
     */
    public SignInResult checkPassword(User user, String password) {
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

    /** Records a successful sign-in when {@code trackable} is on; returns the user as stored. */
    public User recordSignIn(User user, ClientInfo client) {
        return trackable ? users.recordLogin(user.id(), clock.instant(), client.ip()) : user;
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
