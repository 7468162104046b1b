package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RESET_URL;
import static dev.gatehouse.config.Settings.SEND_REGISTER_EMAIL;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_MAX_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_MIN_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_REQUIRED;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registration (Flask-Security's registerable): visitors create their own accounts.
 *
 * <ol>
 *   <li>Rate limit {@code rate-limit-register} (per client address).</li>
 *   <li>Validation, each failure an {@link InvalidInputException} with Flask-Security's message key:
 *       the email address ({@code EMAIL_NOT_PROVIDED}, {@code INVALID_EMAIL_ADDRESS}); the username
 *       when {@code username-enable} ({@code USERNAME_*}, required with {@code username-required});
 *       the password ({@code PASSWORD_NOT_PROVIDED}, {@code RETYPE_PASSWORD_MISMATCH} on
 *       {@code password_confirm} when a retyped password was given, then the password policy);
 *       the attributes ({@code INVALID_ATTRIBUTE}).</li>
 *   <li>The password is hashed — before anything is looked up, so a taken address costs the same
 *       work as a free one.</li>
 *   <li>A taken email address (or username): with generic responses, the owner of the address gets
 *       a {@value MailTemplates#WELCOME_EXISTING} email (a taken username: the address given gets
 *       {@value MailTemplates#WELCOME_EXISTING_USERNAME}) and the answer is the same
 *       {@link RegisterResult.Accepted} as for a new account; without, {@code EMAIL_ALREADY_ASSOCIATED}
 *       or {@code USERNAME_ALREADY_ASSOCIATED}.</li>
 *   <li>The account is created (unconfirmed) and a {@value MailTemplates#WELCOME} email queued, with
 *       a confirmation link when {@code confirmable}, and unless {@code send-register-email} is off
 *       (confirmable sends it regardless).</li>
 * </ol>
 * Events: {@link AccountEvent.UserRegistered}, {@link AccountEvent.ConfirmInstructionsSent},
 * {@link AccountEvent.UserNotRegistered}. Thread-safe.
 */
public final class RegistrationFlow {

    private final Context c;
    private final ConfirmationFlow confirmation;

    RegistrationFlow(Context context, ConfirmationFlow confirmation) {
        this.c = context;
        this.confirmation = confirmation;
    }

    /**
     * Registers an account.
     *
     * @throws InvalidInputException       for invalid input, and without generic responses for a
     *                                     taken email address or username
     * @throws FeatureDisabledException    if {@code registerable} is off
     */
    public RegisterResult register(Registration form, ClientInfo client) {
        Context.require(c.config.get(REGISTERABLE), "registerable");
        Optional<Duration> wait = c.limits.hit(LimitedAction.REGISTER, client, Optional.empty());
        if (wait.isPresent()) {
            return new RateLimited(wait.get());
        }
        String email = Identifiers.checkEmail(form.email());
        Optional<String> username = Optional.empty();
        if (c.config.get(USERNAME_ENABLE)) {
            if (form.username().filter(u -> !u.isBlank()).isPresent()) {
                username = Optional.of(Usernames.check(form.username().get(), c.config.get(USERNAME_MIN_LENGTH),
                        c.config.get(USERNAME_MAX_LENGTH)));
            } else if (c.config.get(USERNAME_REQUIRED)) {
                throw new InvalidInputException("username", "USERNAME_NOT_PROVIDED", "Username not provided");
            }
        }
        Map<String, String> attributes = Identifiers.checkAttributes(form.attributes());
        List<String> userInputs = new ArrayList<>();
        userInputs.add(email);
        username.ifPresent(userInputs::add);
        userInputs.addAll(attributes.values());
        c.checkNewPassword(form.password(), form.passwordConfirm(), "password", "password_confirm", userInputs);
        String hash = c.hasher.hash(form.password());

        Optional<User> owner = c.users.findUserByEmail(email);
        if (owner.isPresent()) {
            return taken("email", email, username, owner, client);
        }
        Optional<User> usernameOwner = username.flatMap(c.users::findUserByUsername);
        if (usernameOwner.isPresent()) {
            return taken("username", email, username, usernameOwner, client);
        }
        User user;
        try {
            user = c.users.createUser(NewUser.builder(email).username(username.orElse(null)).passwordHash(hash)
                    .attributes(attributes).roles(form.roles()).build());
        } catch (DuplicateUserException e) {
            // Someone registered the same address or name a moment ago.
            Optional<User> winner = e.field().equals("email") ? c.users.findUserByEmail(email)
                    : username.flatMap(c.users::findUserByUsername);
            return taken(e.field(), email, username, winner, client);
        }
        boolean confirmable = c.config.get(CONFIRMABLE);
        Instant now = c.clock.instant();
        if (confirmable || c.config.get(SEND_REGISTER_EMAIL)) {
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", user.email());
            user.username().ifPresent(u -> model.put("username", u));
            if (confirmable) {
                model.put("confirmation_link", confirmation.link(user));
            }
            c.mail(MailTemplates.WELCOME, user.email(), Optional.of(user), client, model);
        }
        boolean confirmationRequired = confirmable && !c.config.get(LOGIN_WITHOUT_CONFIRMATION);
        c.publish(new AccountEvent.UserRegistered(EventContext.of(now, user.id(), client), user.email(),
                confirmationRequired));
        if (confirmable) {
            c.publish(new AccountEvent.ConfirmInstructionsSent(EventContext.of(now, user.id(), client)));
        }
        if (c.generic()) {
            return new RegisterResult.Accepted(confirmationRequired);
        }
        return confirmationRequired ? new RegisterResult.ConfirmationSent(user) : new RegisterResult.SignedUp(user);
    }

    /** The address or username is taken: tell its owner (generic) or the client (not generic). */
    private RegisterResult taken(String field, String email, Optional<String> username, Optional<User> owner,
            ClientInfo client) {
        if (!c.generic()) {
            throw field.equals("email")
                    ? new InvalidInputException("email", "EMAIL_ALREADY_ASSOCIATED",
                            email + " is already associated with an account.", Map.of("email", email))
                    : new InvalidInputException("username", "USERNAME_ALREADY_ASSOCIATED",
                            username.orElse("") + " is already associated with an account.",
                            Map.of("username", username.orElse("")));
        }
        Map<String, String> model = new LinkedHashMap<>();
        if (field.equals("email")) {
            // Empty only if the owner was deleted in the instant since: then there is nobody to tell.
            owner.ifPresent(existing -> mailOwner(existing, client));
        } else {
            // The username is someone else's; the address given may be anybody's, so it learns
            // only that the name is taken, nothing about the other account.
            model.put("email", email);
            model.put("username", username.orElse(""));
            c.mail(MailTemplates.WELCOME_EXISTING_USERNAME, email, Optional.empty(), client, model);
        }
        c.publish(new AccountEvent.UserNotRegistered(new EventContext(c.clock.instant(),
                field.equals("email") ? owner.map(User::id) : Optional.empty(), client), field));
        return new RegisterResult.Accepted(c.config.get(CONFIRMABLE) && !c.config.get(LOGIN_WITHOUT_CONFIRMATION));
    }

    private void mailOwner(User existing, ClientInfo client) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", existing.email());
        existing.username().ifPresent(u -> model.put("username", u));
        if (c.config.get(RECOVERABLE) && c.links.available()) {
            model.put("reset_page_link", c.links.page(c.config.get(RESET_URL)));
        }
        c.mail(MailTemplates.WELCOME_EXISTING, existing.email(), Optional.of(existing), client, model);
    }
}
