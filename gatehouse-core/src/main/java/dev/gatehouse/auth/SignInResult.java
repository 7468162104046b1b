package dev.gatehouse.auth;

import dev.gatehouse.user.User;
import java.util.Objects;

/**
 * What became of a sign-in attempt. The web layer maps each outcome to a status, a JSON envelope
 * or a page; with generic responses on, every failure looks the same to the client.
 */
public sealed interface SignInResult {

    /** Whether the user may now be given a session or token. */
    default boolean isSuccess() {
        return this instanceof SignedIn;
    }

    /** Credentials accepted; the user is active and, if required, confirmed. */
    record SignedIn(User user) implements SignInResult {
        public SignedIn {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The credentials do not identify a user. {@link #reason()} tells which part was wrong; only
     * show it when generic responses are off, since it reveals whether an account exists.
     */
    record InvalidCredentials(Reason reason) implements SignInResult {
        public InvalidCredentials {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The password was right but the email address is not confirmed yet. */
    record ConfirmationRequired(User user) implements SignInResult {
    }

    /** The password was right but the account is deactivated. */
    record Disabled(User user) implements SignInResult {
    }

    /** Why credentials were refused; names mirror Flask-Security's message keys. */
    enum Reason {
        /** No account has this email address (or username). Field: the identity. */
        USER_DOES_NOT_EXIST,
        /** The account has no password (passwordless or external sign-in only). Field: password. */
        PASSWORD_NOT_SET,
        /** The password is wrong. Field: password. */
        INVALID_PASSWORD
    }
}
