package dev.gatehouse.auth;

import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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

    /**
     * The account is locked after repeated failed sign-ins ({@link Lockout}); even the right
     * password does not sign in. With generic responses on, answer exactly as for
     * {@link InvalidCredentials} (the flow did the same password-hashing work either way); otherwise
     * tell the user, and that an unlock link was emailed when the lockout strategy sends one.
     *
     * @param until when the lock ends by itself; empty when only the emailed link ends it
     */
    record LockedOut(User user, Optional<Instant> until) implements SignInResult {
        public LockedOut {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * Too many attempts from this client or on this account ({@code rate-limit-login},
     * {@code rate-limit-login-failed}); nothing was checked. The web layer answers 429 with
     * {@code Retry-After}.
     *
     * @param retryAfter how long until an attempt is allowed again, whole seconds, at least 1
     */
    record RateLimited(Duration retryAfter) implements SignInResult {
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Why credentials were refused; names mirror Flask-Security's message keys. */
    enum Reason {
        /** No account has this email address (or username). Field: the identity. */
        USER_DOES_NOT_EXIST,
        /** The account has no password (passwordless or external sign-in only). Field: password. */
        PASSWORD_NOT_SET,
        /** The password is wrong. Field: password. */
        INVALID_PASSWORD,
        /** An emailed sign-in code is wrong, expired, used, or was asked for by another client. Field: code. */
        INVALID_CODE,
        /** An emailed sign-in link is genuine but too old. Field: token. */
        LOGIN_EXPIRED,
        /** An emailed sign-in link is not genuine, or was used already. Field: token. */
        INVALID_LOGIN_TOKEN
    }
}
