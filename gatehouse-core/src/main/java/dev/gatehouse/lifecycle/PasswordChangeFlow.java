package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RESET_URL;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Password change by a signed-in user (Flask-Security's changeable).
 *
 * <p>The web layer requires a fresh authentication ({@code freshness}) before calling
 * {@link #change}; the flow checks the current password itself (Flask-Security's form field
 * {@code password}), refuses a new password equal to the old ({@code PASSWORD_IS_THE_SAME}) or
 * outside the policy, and is rate-limited per user ({@code rate-limit-change-password}), since it
 * can be used to guess the current password; the current password is checked through
 * {@link dev.gatehouse.auth.SignInFlow#checkPassword}, so wrong ones count towards the sign-in limits
 * and the lockout ({@link PasswordChangeResult.LockedOut}). A user without a password (passwordless only) sets
 * one without giving a current one.
 *
 * <p>On success the hash is replaced and the security stamp rotated in one write, and every
 * session, remember-me grant, refresh token and API token of the user ends — the web layer then
 * starts a new session for the client that asked ({@link PasswordChangeResult.Changed}). The owner
 * gets a {@value MailTemplates#CHANGE_NOTICE} email. Event: {@link AccountEvent.PasswordChanged}.
 * Thread-safe.
 */
public final class PasswordChangeFlow {

    private final Context c;

    PasswordChangeFlow(Context context) {
        this.c = context;
    }

    /**
     * Changes {@code user}'s password.
     *
     * @param currentPassword    the password now (ignored for a user who has none)
     * @param newPassword        the new password
     * @param newPasswordConfirm the retyped new password, when the form has that field
     * @throws InvalidInputException field {@code password}: {@code PASSWORD_NOT_PROVIDED},
     *         {@code INVALID_PASSWORD}; field {@code new_password}: {@code PASSWORD_NOT_PROVIDED},
     *         {@code PASSWORD_IS_THE_SAME} or a policy violation; field {@code new_password_confirm}:
     *         {@code RETYPE_PASSWORD_MISMATCH}
     * @throws NoSuchUserException if the user was deleted meanwhile
     * @throws FeatureDisabledException if {@code changeable} is off
     */
    public PasswordChangeResult change(User user, String currentPassword, String newPassword,
            Optional<String> newPasswordConfirm, ClientInfo client) {
        Context.require(c.config.get(CHANGEABLE), "changeable");
        Optional<Duration> wait = c.limits.hit(LimitedAction.CHANGE_PASSWORD, client,
                Optional.of(RateLimiter.userKey(user.id())));
        if (wait.isPresent()) {
            return new RateLimited(wait.get());
        }
        User stored = c.users.findUserById(user.id()).orElseThrow(() -> new NoSuchUserException(user.id()));
        Optional<String> oldHash = stored.passwordHash();
        if (oldHash.isPresent()) {
            if (currentPassword == null || currentPassword.isEmpty()) {
                throw new InvalidInputException("password", "PASSWORD_NOT_PROVIDED", "Password not provided");
            }
            // Counted like a sign-in: a wrong current password is a guess, and it counts towards the lockout.
            SignInResult check = c.signIn.checkPassword(stored, currentPassword, client);
            if (check instanceof SignInResult.RateLimited limited) {
                return new RateLimited(limited.retryAfter());
            }
            if (check instanceof SignInResult.LockedOut locked) {
                return new PasswordChangeResult.LockedOut(locked.until());
            }
            if (!(check instanceof SignInResult.SignedIn)) {
                throw new InvalidInputException("password", "INVALID_PASSWORD", "Invalid password");
            }
        }
        c.checkNewPassword(newPassword, newPasswordConfirm, "new_password", "new_password_confirm",
                Context.userInputs(stored));
        if (oldHash.isPresent() && c.hasher.verify(newPassword, oldHash.get())) {
            throw new InvalidInputException("new_password", "PASSWORD_IS_THE_SAME",
                    "Your new password must be different than your previous password.");
        }
        String hash = c.hasher.hash(newPassword);
        Instant now = c.clock.instant();
        User changed = c.users.patchUser(stored.id(), UserPatch.builder().passwordHash(hash).rotateSecurityStamp().build());
        c.sessions.endAll(changed.id());
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", changed.email());
        if (c.config.get(RECOVERABLE) && c.links.available()) {
            model.put("reset_page_link", c.links.page(c.config.get(RESET_URL)));
        }
        c.mail(MailTemplates.CHANGE_NOTICE, changed.email(), Optional.of(changed), client, model);
        c.publish(new AccountEvent.PasswordChanged(EventContext.of(now, changed.id(), client)));
        return new PasswordChangeResult.Changed(changed);
    }
}
