package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_RESET;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RESET_PASSWORD_WITHIN;
import static dev.gatehouse.config.Settings.RESET_URL;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.DurationWords;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Password reset by emailed link (Flask-Security's recoverable).
 *
 * <ul>
 *   <li><b>Request</b> ({@link #requestReset}): rate-limited per address and per account; with
 *       generic responses the same answer whether or not the account exists (an unknown address
 *       gets {@value MailTemplates#UNKNOWN_ACCOUNT}, so both cases queue one email).</li>
 *   <li><b>Link</b>: a token signed for the purpose {@code reset}, valid for
 *       {@code reset-password-within} (at most an hour), bound by a keyed MAC to the user's current
 *       password hash, security stamp and email address. Any password change, sign-out-everywhere
 *       or email change therefore kills it, and so does its own use; a marker in the counter store
 *       makes even two concurrent uses succeed once.</li>
 *   <li><b>Reset</b> ({@link #resetPassword}): the new password must pass the policy; then the hash
 *       is replaced and the security stamp rotated in one store write, every session, remember-me
 *       grant and refresh token is deleted, a lockout is lifted, an unconfirmed address counts as
 *       confirmed (the link proved the mailbox), and a {@value MailTemplates#RESET_NOTICE} email
 *       goes out.</li>
 *   <li>No automatic sign-in unless {@code auto-login-after-reset}, and never past a second factor:
 *       see {@link ResetResult.Done}.</li>
 * </ul>
 * Events: {@link AccountEvent.ResetInstructionsSent}, {@link AccountEvent.PasswordReset}. Thread-safe.
 */
public final class RecoveryFlow {

    static final String PURPOSE = "reset";

    private final Context c;

    RecoveryFlow(Context context) {
        this.c = context;
    }

    /**
     * Emails a reset link to the account with address {@code email}.
     *
     * @throws InvalidInputException field {@code email}: a malformed address; without generic
     *         responses also {@code USER_DOES_NOT_EXIST}
     * @throws FeatureDisabledException if {@code recoverable} is off
     */
    public SendResult requestReset(String email, ClientInfo client) {
        Context.require(c.config.get(RECOVERABLE), "recoverable");
        AddressRequest request = AddressRequest.start(c, LimitedAction.RESET_PASSWORD, email, client);
        if (request instanceof AddressRequest.Limited limited) {
            return limited.refusal();
        }
        AddressRequest.Allowed to = (AddressRequest.Allowed) request;
        if (to.user().isPresent()) {
            sendInstructions(to.user().get(), client);
        } else {
            UnknownAccounts.notify(c, to.address(), "reset_password", Optional.of(PURPOSE), 1, client);
        }
        return new SendResult.Sent(to.address());
    }

    /**
     * The user a reset link is for, to show the reset form; changes nothing.
     *
     * @throws InvalidInputException field {@code token}: {@code INVALID_RESET_PASSWORD_TOKEN} or
     *         {@code PASSWORD_RESET_EXPIRED}
     */
    public User checkToken(String token) {
        Context.require(c.config.get(RECOVERABLE), "recoverable");
        TokenCheck check = c.tokens.verify(PURPOSE, token, c.config.get(RESET_PASSWORD_WITHIN));
        if (check instanceof TokenCheck.Expired) {
            throw expired(false);
        }
        return check.validPayload().flatMap(this::owner).orElseThrow(RecoveryFlow::invalid);
    }

    /**
     * Sets a new password through a reset link.
     *
     * @param passwordConfirm the retyped password, when the form has that field
     * @throws InvalidInputException field {@code token}: {@code INVALID_RESET_PASSWORD_TOKEN},
     *         {@code PASSWORD_RESET_EXPIRED} (a new link was sent); field {@code password}:
     *         {@code PASSWORD_NOT_PROVIDED} or a policy violation; field {@code password_confirm}:
     *         {@code RETYPE_PASSWORD_MISMATCH}. The token stays usable after a password problem.
     */
    public ResetResult.Done resetPassword(String token, String password, Optional<String> passwordConfirm,
            ClientInfo client) {
        Context.require(c.config.get(RECOVERABLE), "recoverable");
        TokenCheck check = c.tokens.verify(PURPOSE, token, c.config.get(RESET_PASSWORD_WITHIN));
        if (check instanceof TokenCheck.Expired expired) {
            Optional<User> owner = owner(expired.payload());
            owner.ifPresent(u -> {
                if (c.limits.hit(LimitedAction.RESET_PASSWORD, client, Optional.of(RateLimiter.emailKey(u.email())))
                        .isEmpty()) {
                    sendInstructions(u, client);
                }
            });
            throw expired(owner.isPresent());
        }
        User user = check.validPayload().flatMap(this::owner).orElseThrow(RecoveryFlow::invalid);
        c.checkNewPassword(password, passwordConfirm, "password", "password_confirm", Context.userInputs(user));
        String hash = c.hasher.hash(password);
        if (!c.useOnce(PURPOSE, token, c.config.get(RESET_PASSWORD_WITHIN))) {
            throw invalid();
        }
        Instant now = c.clock.instant();
        UserPatch.Builder patch = UserPatch.builder().passwordHash(hash).rotateSecurityStamp();
        boolean confirmsNow = user.confirmedAt().isEmpty();
        if (confirmsNow) {
            patch.confirmedAt(now);
        }
        user = c.users.patchUser(user.id(), patch.build());
        c.sessions.endAll(user.id());
        c.lockout.unlock(user.id(), "password_reset", client);
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", user.email());
        c.mail(MailTemplates.RESET_NOTICE, user.email(), Optional.of(user), client, model);
        if (confirmsNow) {
            c.publish(new AccountEvent.UserConfirmed(EventContext.of(now, user.id(), client)));
        }
        c.publish(new AccountEvent.PasswordReset(EventContext.of(now, user.id(), client)));
        return new ResetResult.Done(user, c.config.get(AUTO_LOGIN_AFTER_RESET), c.secondFactors.isEnabledFor(user));
    }

    private void sendInstructions(User user, ClientInfo client) {
        String token = c.tokens.sign(PURPOSE, TokenPayload.join(user.id(), binding(user)));
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", user.email());
        model.put("reset_link", c.links.withToken(c.config.get(RESET_URL), token));
        model.put("within", Notification.durationValue(c.config.get(RESET_PASSWORD_WITHIN)));
        c.mail(MailTemplates.RESET_INSTRUCTIONS, user.email(), Optional.of(user), client, model);
        c.publish(new AccountEvent.ResetInstructionsSent(EventContext.of(c.clock.instant(), user.id(), client)));
    }

    /** The user a payload names, if nothing the token was bound to changed since. */
    private Optional<User> owner(String payload) {
        Optional<List<String>> fields = TokenPayload.fields(payload, 2);
        return fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(1)));
    }

    private String binding(User user) {
        return c.binding(PURPOSE, String.valueOf(user.id()), user.passwordHash().orElse(""), user.securityStamp(),
                Identifiers.emailKey(user.email()));
    }

    private InvalidInputException expired(boolean resent) {
        Duration within = c.config.get(RESET_PASSWORD_WITHIN);
        return new InvalidInputException("token", "PASSWORD_RESET_EXPIRED", "You did not reset your password within "
                + DurationWords.of(within).english() + "." + (resent ? " A new link was sent." : ""),
                Map.of("within", within));
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("token", "INVALID_RESET_PASSWORD_TOKEN", "Invalid reset password token.");
    }
}
