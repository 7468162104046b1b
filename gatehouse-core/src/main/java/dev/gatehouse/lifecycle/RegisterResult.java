package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.util.Objects;

/**
 * What became of a registration ({@link RegistrationFlow#register}).
 *
 * <p>With {@code return-generic-responses} on (the default) every accepted registration answers
 * {@link Accepted}, whether it created an account or found the address (or username) taken — in
 * which case the owner was emailed instead — so the answer reveals nothing. The price: nobody is
 * signed in straight after registering. With generic responses off, a new account is
 * {@link SignedUp} or {@link ConfirmationSent}, and a taken address is an
 * {@link dev.gatehouse.error.InvalidInputException} ({@code EMAIL_ALREADY_ASSOCIATED}).
 */
public sealed interface RegisterResult permits RegisterResult.SignedUp, RegisterResult.ConfirmationSent,
        RegisterResult.Accepted, RateLimited {

    /**
     * Generic responses off: the account exists and may be used now (confirmation is off, or
     * {@code login-without-confirmation} is on); the web layer signs the user in. A confirmation
     * link was emailed if {@code confirmable} is on.
     */
    record SignedUp(User user) implements RegisterResult {
        public SignedUp {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Generic responses off: the account exists and must be confirmed through the emailed link
     * before it can sign in. Nobody is signed in.
     */
    record ConfirmationSent(User user) implements RegisterResult {
        public ConfirmationSent {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Generic responses on: the registration was accepted; an account may or may not have been
     * created. Nobody is signed in. Tell the client to check their email when
     * {@code confirmationRequired} (it is the configuration's, not the account's), otherwise that
     * they may now sign in.
     */
    record Accepted(boolean confirmationRequired) implements RegisterResult {
    }
}
