package dev.gatehouse.auth;

import dev.gatehouse.user.User;

/**
 * Tells whether a user has a second factor (TOTP, WebAuthn, ...), so flows that prove only the
 * first factor never complete a sign-in alone: a password reset, for one, reports
 * {@code requiresSecondFactor} and the web layer then asks for the second factor before it starts
 * a session. Two-factor authentication arrives with a later issue; until then the default
 * ({@link #NONE}) says no user has one. Implementations are thread-safe and cheap.
 */
@FunctionalInterface
public interface SecondFactors {

    /** Nobody has a second factor. */
    SecondFactors NONE = user -> false;

    /** Whether {@code user} must pass a second factor before being signed in. */
    boolean isEnabledFor(User user);
}
