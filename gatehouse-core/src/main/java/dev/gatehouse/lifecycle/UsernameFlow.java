package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_MAX_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_MIN_LENGTH;

import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserPatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Usernames (with {@code username-enable}): changing one's username, and having a forgotten
 * username emailed ({@code username-recovery}), with Flask-Security's rules (see
 * {@code username-min-length}, {@code username-max-length}: letters, digits, {@code _ - .}).
 *
 * <p>Events: {@link AccountEvent.UsernameChanged}, {@link AccountEvent.UsernameRecoverySent}.
 * Thread-safe.
 */
public final class UsernameFlow {

    private final Context c;

    UsernameFlow(Context context) {
        this.c = context;
    }

    /**
     * Gives the signed-in {@code user} a new username.
     *
     * @return the user as stored now
     * @throws InvalidInputException field {@code username}: {@code USERNAME_*} rule violations,
     *         {@code USERNAME_ALREADY_ASSOCIATED} (another account has it, in any case)
     * @throws FeatureDisabledException if {@code username-enable} is off
     */
    public User change(User user, String newUsername, ClientInfo client) {
        Context.require(c.config.get(USERNAME_ENABLE), "username-enable");
        String username = Usernames.check(newUsername, c.config.get(USERNAME_MIN_LENGTH), c.config.get(USERNAME_MAX_LENGTH));
        User stored = c.users.findUserById(user.id()).orElseThrow(() -> new NoSuchUserException(user.id()));
        if (stored.username().equals(Optional.of(username))) {
            return stored;
        }
        User changed;
        try {
            changed = c.users.patchUser(stored.id(), UserPatch.builder().username(username).build());
        } catch (DuplicateUserException e) {
            throw new InvalidInputException("username", "USERNAME_ALREADY_ASSOCIATED",
                    username + " is already associated with an account.", Map.of("username", username));
        }
        c.publish(new AccountEvent.UsernameChanged(EventContext.of(c.clock.instant(), changed.id(), client),
                stored.username(), username));
        return changed;
    }

    /**
     * Emails the username of the account with address {@code email} to it. With generic responses
     * the answer is the same for an unknown address ({@value MailTemplates#UNKNOWN_ACCOUNT} is sent
     * instead).
     *
     * @throws InvalidInputException field {@code email}: a malformed address; without generic
     *         responses also {@code USER_DOES_NOT_EXIST}
     * @throws FeatureDisabledException if {@code username-recovery} is off
     */
    public SendResult recoverUsername(String email, ClientInfo client) {
        Context.require(c.config.get(Settings.USERNAME_RECOVERY), "username-recovery");
        AddressRequest request = AddressRequest.start(c, LimitedAction.RECOVER_USERNAME, email, client);
        if (request instanceof AddressRequest.Limited limited) {
            return limited.refusal();
        }
        AddressRequest.Allowed to = (AddressRequest.Allowed) request;
        String address = to.address();
        Optional<User> user = to.user();
        if (user.isPresent()) {
            Map<String, String> model = new LinkedHashMap<>();
            model.put("email", user.get().email());
            user.get().username().ifPresent(u -> model.put("username", u));
            c.mail(MailTemplates.USERNAME_RECOVERY, user.get().email(), user, client, model);
            c.publish(new AccountEvent.UsernameRecoverySent(EventContext.of(c.clock.instant(), user.get().id(), client)));
        } else {
            UnknownAccounts.notify(c, address, "recover_username", Optional.empty(), 0, client);
        }
        return new SendResult.Sent(address);
    }
}
