package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CHANGE_EMAIL_CONFIRM_URL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_REVERT_URL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_REVERT_WITHIN;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_WITHIN;
import static dev.gatehouse.config.Settings.RECOVERABLE;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.config.Settings;
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
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Email address change by a signed-in user (Flask-Security's change-email).
 *
 * <p>{@link #requestChange} asks for the current password (a stolen session or API token alone
 * must not move the account to another mailbox) and emails a link to the new address; the
 * address changes only when that link is followed ({@link #confirmChange}), which proves the new
 * mailbox. The link's token (purpose {@code change-email}, valid {@code change-email-within})
 * names the user and the new address and is bound to the old one and to the security stamp, so it
 * dies when the address changes by any means or every session is ended, and it works once. The
 * new address must not belong to another account — checked at both steps; with generic responses
 * a taken address is not revealed at the first (nothing is sent). The new address counts as
 * confirmed; sessions stay: the user proved the password, the session and the new mailbox.
 *
 * <p>After the change the old address gets a {@value MailTemplates#CHANGE_EMAIL_NOTICE} email
 * with a link (purpose {@code change-email-revert}, valid {@code change-email-revert-within},
 * single use) that undoes it: {@link #revertChange} restores the old address, rotates the security
 * stamp (every session, remember-me grant, refresh and API token of the user ends) and, with
 * {@code recoverable}, makes the password unusable so the owner must reset it through the restored
 * address — which works even if whoever made the change also changed the password. When changes
 * were chained (A to B to C), the oldest change's link wins: a revert restores the confirmation
 * time the address had, so the links of later changes stop working, and email changes are refused
 * for {@code change-email-revert-within} after a revert, so none of them can come back to life.
 *
 * <p>Events: {@link AccountEvent.ChangeEmailInstructionsSent}, {@link AccountEvent.EmailChanged},
 * {@link AccountEvent.EmailChangeReverted}. Thread-safe.
 */
public final class EmailChangeFlow {

    static final String PURPOSE = "change-email";
    static final String REVERT_PURPOSE = "change-email-revert";

    private final Context c;

    EmailChangeFlow(Context context) {
        this.c = context;
    }

    /**
     * Emails a confirmation link to {@code newEmail}, once {@code password} proved who asks.
     *
     * <p>The caller (the web layer) has also required a fresh authentication ({@code freshness}).
     * A user without a password (passwordless sign-in only) has nothing to type: the fresh
     * authentication must do.
     *
     * @param password the current password, checked like a re-authentication
     * @throws InvalidInputException field {@code password}: {@code PASSWORD_NOT_PROVIDED},
     *         {@code INVALID_PASSWORD}; field {@code email}: a malformed address, the current address,
     *         {@code CHANGE_EMAIL_FROZEN} (an email change was undone recently), or (without generic
     *         responses) {@code EMAIL_ALREADY_ASSOCIATED}
     * @throws FeatureDisabledException if {@code change-email} is off
     */
    public ChangeEmailResult requestChange(User user, String newEmail, String password, ClientInfo client) {
        Context.require(c.config.get(Settings.CHANGE_EMAIL), "change-email");
        Optional<Duration> wait = c.limits.hit(LimitedAction.CHANGE_EMAIL, client,
                Optional.of(RateLimiter.userKey(user.id())));
        if (wait.isPresent()) {
            return new RateLimited(wait.get());
        }
        User stored = c.users.findUserById(user.id()).orElseThrow(() -> new NoSuchUserException(user.id()));
        Optional<Duration> guessing = checkPassword(stored, password, client);
        if (guessing.isPresent()) {
            return new RateLimited(guessing.get());
        }
        String address = Identifiers.checkEmail(newEmail);
        if (Identifiers.emailKey(address).equals(Identifiers.emailKey(stored.email()))) {
            throw taken(address);
        }
        if (c.counters.get(revertedKey(stored.id()), c.clock.instant()).isPresent()) {
            Duration frozen = c.config.get(CHANGE_EMAIL_REVERT_WITHIN);
            throw new InvalidInputException("email", "CHANGE_EMAIL_FROZEN", "Your email address was restored from a "
                    + "security notice recently; it cannot be changed for " + DurationWords.of(frozen).english() + ".",
                    Map.of("within", frozen));
        }
        if (c.users.findUserByEmail(address).isPresent()) {
            if (!c.generic()) {
                throw taken(address);
            }
            return new ChangeEmailResult.InstructionsSent(address);
        }
        String token = c.tokens.sign(PURPOSE, TokenPayload.join(stored.id(), binding(stored), address));
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", address);
        model.put("old_email", stored.email());
        model.put("change_email_link", c.links.withToken(c.config.get(CHANGE_EMAIL_CONFIRM_URL), token));
        model.put("within", Notification.durationValue(c.config.get(CHANGE_EMAIL_WITHIN)));
        c.mail(MailTemplates.CHANGE_EMAIL_INSTRUCTIONS, address, Optional.of(stored), client, model);
        c.publish(new AccountEvent.ChangeEmailInstructionsSent(EventContext.of(c.clock.instant(), stored.id(), client),
                address));
        return new ChangeEmailResult.InstructionsSent(address);
    }

    /**
     * Makes the address a change link was sent to the account's address.
     *
     * @throws InvalidInputException field {@code token}: {@code INVALID_CONFIRMATION_TOKEN} (not
     *         genuine, used, or the account's address changed since), {@code CHANGE_EMAIL_EXPIRED};
     *         field {@code email}: {@code EMAIL_ALREADY_ASSOCIATED} (taken meanwhile)
     */
    public ChangeEmailResult.Changed confirmChange(String token, ClientInfo client) {
        Context.require(c.config.get(Settings.CHANGE_EMAIL), "change-email");
        TokenCheck check = c.tokens.verify(PURPOSE, token, c.config.get(CHANGE_EMAIL_WITHIN));
        if (check instanceof TokenCheck.Expired) {
            Duration within = c.config.get(CHANGE_EMAIL_WITHIN);
            throw new InvalidInputException("token", "CHANGE_EMAIL_EXPIRED", "Confirmation must be completed within "
                    + DurationWords.of(within).english() + ". Please start over.", Map.of("within", within));
        }
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 3));
        User user = fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(1)))
                .orElseThrow(EmailChangeFlow::invalid);
        String address = fields.get().get(2);
        if (!c.useOnce(PURPOSE, token, c.config.get(CHANGE_EMAIL_WITHIN))) {
            throw invalid();
        }
        String oldEmail = user.email();
        Instant now = c.clock.instant();
        User changed;
        try {
            changed = c.users.patchUser(user.id(), UserPatch.builder().email(address).confirmedAt(now).build());
        } catch (DuplicateUserException e) {
            throw taken(address);
        }
        // The revert restores the confirmation time the old address had — but always one before this
        // change, so that a restored account is older than every change its revert undid.
        Instant restoredConfirmedAt = user.confirmedAt().filter(t -> t.isBefore(now.minusSeconds(1)))
                .orElse(now.minusSeconds(1));
        String revert = c.tokens.sign(REVERT_PURPOSE, TokenPayload.join(changed.id(), oldEmail, changed.email(),
                now.getEpochSecond(), restoredConfirmedAt.getEpochSecond()));
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", oldEmail);
        model.put("new_email", changed.email());
        model.put("revert_link", c.links.withToken(c.config.get(CHANGE_EMAIL_REVERT_URL), revert));
        model.put("revert_within", Notification.durationValue(c.config.get(CHANGE_EMAIL_REVERT_WITHIN)));
        c.mail(MailTemplates.CHANGE_EMAIL_NOTICE, oldEmail, Optional.of(changed), client, model);
        c.publish(new AccountEvent.EmailChanged(EventContext.of(now, changed.id(), client), oldEmail, changed.email()));
        return new ChangeEmailResult.Changed(changed, oldEmail);
    }

    /**
     * The address a revert link would restore, without using the link (for a page that asks before
     * the change is undone).
     *
     * @throws InvalidInputException field {@code token}: {@code INVALID_REVERT_TOKEN} (not genuine,
     *         expired, used, or overtaken by another revert)
     */
    public String checkRevert(String token) {
        Context.require(c.config.get(Settings.CHANGE_EMAIL), "change-email");
        return readRevert(token).restore();
    }

    /**
     * Undoes the email change a revert link (mailed to the old address) was sent for: restores the
     * old address, ends every session and token of the user, and with {@code recoverable} makes the
     * password unusable, so that only a reset through the restored address signs in again.
     *
     * @throws InvalidInputException field {@code token}: {@code INVALID_REVERT_TOKEN}; field
     *         {@code email}: {@code EMAIL_ALREADY_ASSOCIATED} (another account took the old address)
     */
    public ChangeEmailResult.Reverted revertChange(String token, ClientInfo client) {
        Context.require(c.config.get(Settings.CHANGE_EMAIL), "change-email");
        Revert revert = readRevert(token);
        if (!c.useOnce(REVERT_PURPOSE, token, c.config.get(CHANGE_EMAIL_REVERT_WITHIN))) {
            throw invalidRevert();
        }
        Instant now = c.clock.instant();
        UserPatch.Builder patch = UserPatch.builder().email(revert.restore()).confirmedAt(revert.restoredConfirmedAt())
                .rotateSecurityStamp();
        // Whoever changed the address may know the password (or have set it): with a way to reset it
        // through the restored address, it stops working; without one the owner must still sign in.
        boolean clearPassword = c.config.get(RECOVERABLE) && revert.user().passwordHash().isPresent();
        if (clearPassword) {
            // A hash of 256 random bits no one ever sees: no password matches it, and the account
            // keeps a well-formed hash for the stores and the sign-in flow.
            patch.passwordHash(c.hasher.hash(OneTimeSecret.generate().value()));
        }
        User restored;
        try {
            restored = c.users.patchUser(revert.user().id(), patch.build());
        } catch (DuplicateUserException e) {
            throw taken(revert.restore());
        }
        c.sessions.endAll(restored.id());
        // Links of later changes are dead now (the restored confirmation time predates them); no new
        // change may revive them while they could still be valid.
        c.counters.increment(revertedKey(restored.id()), c.config.get(CHANGE_EMAIL_REVERT_WITHIN).plus(TokenSigner.CLOCK_SKEW), now);
        String replaced = revert.user().email();
        c.publish(new AccountEvent.EmailChangeReverted(EventContext.of(now, restored.id(), client), replaced, restored.email()));
        return new ChangeEmailResult.Reverted(restored, replaced, clearPassword);
    }

    /** A genuine, unexpired revert link that still applies, and what it applies to. */
    private record Revert(User user, String restore, Instant restoredConfirmedAt) {
    }

    private Revert readRevert(String token) {
        TokenCheck check = c.tokens.verify(REVERT_PURPOSE, token, c.config.get(CHANGE_EMAIL_REVERT_WITHIN));
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 5));
        if (fields.isEmpty()) {
            throw invalidRevert();
        }
        List<String> f = fields.get();
        long changedAt;
        long restoredConfirmedAt;
        try {
            changedAt = Long.parseLong(f.get(3));
            restoredConfirmedAt = Long.parseLong(f.get(4));
        } catch (NumberFormatException e) {
            throw invalidRevert();
        }
        String restore = f.get(1);
        // Still applies while the account is not back at that address and its confirmation time is
        // not older than the change: a revert of an earlier change in a chain resets it below.
        User user = TokenPayload.userId(f.get(0)).flatMap(c.users::findUserById)
                .filter(u -> !Identifiers.emailKey(u.email()).equals(Identifiers.emailKey(restore)))
                .filter(u -> u.confirmedAt().map(Instant::getEpochSecond).orElse(Long.MIN_VALUE) >= changedAt)
                .orElseThrow(EmailChangeFlow::invalidRevert);
        return new Revert(user, restore, Instant.ofEpochSecond(restoredConfirmedAt));
    }

    /**
     * Checks the current password like every re-authentication: wrong ones count towards the
     * sign-in limits and the lockout. Returns how long to wait when over the limit; a locked
     * account answers like a wrong password, so the lock reveals nothing here.
     */
    private Optional<Duration> checkPassword(User stored, String password, ClientInfo client) {
        if (stored.passwordHash().isEmpty()) {
            return Optional.empty();
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidInputException("password", "PASSWORD_NOT_PROVIDED", "Password not provided");
        }
        SignInResult check = c.signIn.checkPassword(stored, password, client);
        if (check instanceof SignInResult.RateLimited limited) {
            return Optional.of(limited.retryAfter());
        }
        if (!(check instanceof SignInResult.SignedIn)) {
            throw new InvalidInputException("password", "INVALID_PASSWORD", "Invalid password");
        }
        return Optional.empty();
    }

    private static String revertedKey(long userId) {
        return "change-email-reverted:" + userId;
    }

    private String binding(User user) {
        return c.binding(PURPOSE, String.valueOf(user.id()), Identifiers.emailKey(user.email()),
                user.securityStamp());
    }

    private static InvalidInputException taken(String address) {
        return new InvalidInputException("email", "EMAIL_ALREADY_ASSOCIATED", address + " is already associated with an account.",
                Map.of("email", address));
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("token", "INVALID_CONFIRMATION_TOKEN", "Invalid confirmation token.");
    }

    private static InvalidInputException invalidRevert() {
        return new InvalidInputException("token", "INVALID_REVERT_TOKEN",
                "This link is invalid, was already used or has expired.");
    }
}
