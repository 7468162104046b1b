package dev.gatehouse.lifecycle;

import dev.gatehouse.InvalidInputException;
import dev.gatehouse.auth.ClientInfo;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.token.TokenCheck;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.Identifiers;
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
 * <p>{@link #requestChange} emails a link to the new address; the address changes only when that
 * link is followed ({@link #confirmChange}), which proves the new mailbox. The link's token
 * (purpose {@code change-email}, valid {@code change-email-within}) names the user and the new
 * address and is bound to the old one, so it dies when the address changes by any means, and it
 * works once. The new address must not belong to another account — checked at both steps; with
 * generic responses a taken address is not revealed at the first (nothing is sent). After the
 * change the old address gets a {@value MailTemplates#CHANGE_EMAIL_NOTICE} email; the new address
 * counts as confirmed. Sessions stay: the user proved both the session and the new mailbox.
 *
 * <p>Events: {@link AccountEvent.ChangeEmailInstructionsSent}, {@link AccountEvent.EmailChanged}.
 * Thread-safe.
 */
public final class EmailChangeFlow {

    static final String PURPOSE = "change-email";

    private final Context c;

    EmailChangeFlow(Context context) {
        this.c = context;
    }

    /**
     * Emails a confirmation link to {@code newEmail}.
     *
     * @throws InvalidInputException field {@code email}: a malformed address, the current address,
     *         or (without generic responses) {@code EMAIL_ALREADY_ASSOCIATED}
     * @throws FeatureDisabledException if {@code change-email} is off
     */
    public ChangeEmailResult requestChange(User user, String newEmail, ClientInfo client) {
        Context.require(c.config.changeEmail(), "change-email");
        Optional<Duration> wait = c.limits.hit(LimitedAction.CHANGE_EMAIL, client,
                Optional.of(RateLimiter.userKey(user.id())));
        if (wait.isPresent()) {
            return new RateLimited(wait.get());
        }
        String address = Identifiers.checkEmail(newEmail);
        User stored = c.users.findUserById(user.id()).orElseThrow(() -> new NoSuchUserException(user.id()));
        if (Identifiers.emailKey(address).equals(Identifiers.emailKey(stored.email()))) {
            throw new InvalidInputException("email", "EMAIL_ALREADY_ASSOCIATED",
                    address + " is already associated with an account.");
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
        model.put("change_email_link", c.links.withToken(c.config.changeEmailConfirmUrl(), token));
        model.put("within", Context.describe(c.config.changeEmailWithin()));
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
        Context.require(c.config.changeEmail(), "change-email");
        TokenCheck check = c.tokens.verify(PURPOSE, token, c.config.changeEmailWithin());
        if (check instanceof TokenCheck.Expired) {
            throw new InvalidInputException("token", "CHANGE_EMAIL_EXPIRED", "Confirmation must be completed within "
                    + Context.describe(c.config.changeEmailWithin()) + ". Please start over.");
        }
        Optional<List<String>> fields = check.validPayload().flatMap(p -> TokenPayload.fields(p, 3));
        User user = fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(1)))
                .orElseThrow(EmailChangeFlow::invalid);
        String address = fields.get().get(2);
        if (!c.useOnce(PURPOSE, token, c.config.changeEmailWithin())) {
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
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", oldEmail);
        model.put("new_email", changed.email());
        c.mail(MailTemplates.CHANGE_EMAIL_NOTICE, oldEmail, Optional.of(changed), client, model);
        c.publish(new AccountEvent.EmailChanged(EventContext.of(now, changed.id(), client), oldEmail, changed.email()));
        return new ChangeEmailResult.Changed(changed, oldEmail);
    }

    private String binding(User user) {
        return c.binding(PURPOSE, String.valueOf(user.id()), Identifiers.emailKey(user.email()));
    }

    private static InvalidInputException taken(String address) {
        return new InvalidInputException("email", "EMAIL_ALREADY_ASSOCIATED", address + " is already associated with an account.");
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("token", "INVALID_CONFIRMATION_TOKEN", "Invalid confirmation token.");
    }
}
