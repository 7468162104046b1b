package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_CONFIRM;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.CONFIRM_EMAIL_WITHIN;
import static dev.gatehouse.config.Settings.CONFIRM_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.DurationWords;
import dev.gatehouse.mail.MailTemplates;
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
 * Email confirmation (Flask-Security's confirmable).
 *
 * <p>The confirmation link carries a token signed for the purpose {@code confirm}, naming the user
 * and bound — by a keyed MAC — to the address it was sent to. It is valid for
 * {@code confirm-email-within}, works once (a used token answers {@code ALREADY_CONFIRMED}), and
 * stops working when the address changes. An expired link answers {@code CONFIRMATION_EXPIRED}
 * and sends a fresh one, as Flask-Security does. Unconfirmed users cannot sign in unless
 * {@code login-without-confirmation} ({@link dev.gatehouse.auth.SignInResult.ConfirmationRequired}).
 *
 * <p>Events: {@link AccountEvent.UserConfirmed}, {@link AccountEvent.ConfirmInstructionsSent}.
 * Thread-safe.
 */
public final class ConfirmationFlow {

    static final String PURPOSE = "confirm";

    private final Context c;

    ConfirmationFlow(Context context) {
        this.c = context;
    }

    /**
     * Confirms the address a confirmation link was sent to.
     *
     * @throws InvalidInputException field {@code token}: {@code INVALID_CONFIRMATION_TOKEN} (not
     *         genuine, or the address changed since), {@code CONFIRMATION_EXPIRED} (a new link was
     *         sent), {@code ALREADY_CONFIRMED}
     * @throws FeatureDisabledException if {@code confirmable} is off
     */
    public ConfirmResult.Confirmed confirm(String token, ClientInfo client) {
        Context.require(c.config.get(CONFIRMABLE), "confirmable");
        TokenCheck check = c.tokens.verify(PURPOSE, token, c.config.get(CONFIRM_EMAIL_WITHIN));
        if (check instanceof TokenCheck.Expired expired) {
            owner(expired.payload()).filter(u -> u.confirmedAt().isEmpty()).ifPresent(u -> resend(u, client));
            Duration within = c.config.get(CONFIRM_EMAIL_WITHIN);
            throw new InvalidInputException("token", "CONFIRMATION_EXPIRED", "You did not confirm your email within "
                    + DurationWords.of(within).english() + ". A new confirmation link was sent.", Map.of("within", within));
        }
        User user = check.validPayload().flatMap(this::owner).orElseThrow(ConfirmationFlow::invalid);
        if (user.confirmedAt().isPresent() || !c.useOnce(PURPOSE, token, c.config.get(CONFIRM_EMAIL_WITHIN))) {
            throw new InvalidInputException("token", "ALREADY_CONFIRMED", "Your email has already been confirmed.");
        }
        Instant now = c.clock.instant();
        user = c.users.patchUser(user.id(), UserPatch.builder().confirmedAt(now).build());
        c.publish(new AccountEvent.UserConfirmed(EventContext.of(now, user.id(), client)));
        return new ConfirmResult.Confirmed(user, c.config.get(AUTO_LOGIN_AFTER_CONFIRM) && user.isActive());
    }

    /**
     * Sends a new confirmation link to {@code email} (Flask-Security's {@code /confirm} POST).
     * With generic responses the answer is {@link SendResult.Sent} whatever the address: an
     * unconfirmed account gets {@value MailTemplates#CONFIRMATION_INSTRUCTIONS}, a confirmed one
     * {@value MailTemplates#ALREADY_CONFIRMED}, an unknown address {@value MailTemplates#UNKNOWN_ACCOUNT}
     * (with {@code email-unknown-accounts}); so each case queues one email.
     *
     * @throws InvalidInputException field {@code email}: a malformed address; without generic
     *         responses also {@code USER_DOES_NOT_EXIST} and {@code ALREADY_CONFIRMED}
     */
    public SendResult sendConfirmation(String email, ClientInfo client) {
        Context.require(c.config.get(CONFIRMABLE), "confirmable");
        AddressRequest request = AddressRequest.start(c, LimitedAction.SEND_CONFIRMATION, email, client);
        if (request instanceof AddressRequest.Limited limited) {
            return limited.refusal();
        }
        AddressRequest.Allowed to = (AddressRequest.Allowed) request;
        String address = to.address();
        Optional<User> user = to.user();
        if (user.isEmpty()) {
            UnknownAccounts.notify(c, address, "confirm", Optional.of(PURPOSE), 1, client);
        } else if (user.get().confirmedAt().isPresent()) {
            if (!c.generic()) {
                throw new InvalidInputException("email", "ALREADY_CONFIRMED", "Your email has already been confirmed.");
            }
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", user.get().email());
            if (c.links.available()) {
                model.put("login_page_link", c.links.page(c.config.get(LOGIN_URL)));
            }
            c.mail(MailTemplates.ALREADY_CONFIRMED, user.get().email(), user, client, model);
        } else {
            sendInstructions(user.get(), client);
        }
        return new SendResult.Sent(address);
    }

    /** The confirmation link for {@code user}'s current address. */
    String link(User user) {
        String token = c.tokens.sign(PURPOSE, TokenPayload.join(user.id(), binding(user)));
        return c.links.withToken(c.config.get(CONFIRM_URL), token);
    }

    private void sendInstructions(User user, ClientInfo client) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", user.email());
        model.put("confirmation_link", link(user));
        c.mail(MailTemplates.CONFIRMATION_INSTRUCTIONS, user.email(), Optional.of(user), client, model);
        c.publish(new AccountEvent.ConfirmInstructionsSent(EventContext.of(c.clock.instant(), user.id(), client)));
    }

    /** After an expired link: a new one, within the resend limit. */
    private void resend(User user, ClientInfo client) {
        if (c.limits.hit(LimitedAction.SEND_CONFIRMATION, client, Optional.of(RateLimiter.emailKey(user.email())))
                .isEmpty()) {
            sendInstructions(user, client);
        }
    }

    /** The user a payload names, if its address is still the one the token was made for. */
    private Optional<User> owner(String payload) {
        Optional<List<String>> fields = TokenPayload.fields(payload, 2);
        return fields.flatMap(f -> TokenPayload.userId(f.get(0)))
                .flatMap(c.users::findUserById)
                .filter(u -> Context.same(binding(u), fields.get().get(1)));
    }

    private String binding(User user) {
        return c.binding(PURPOSE, String.valueOf(user.id()), Identifiers.emailKey(user.email()));
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("token", "INVALID_CONFIRMATION_TOKEN", "Invalid confirmation token.");
    }
}
