package dev.gatehouse.passkeys;

import dev.gatehouse.config.Choice;

/**
 * Whether authenticators must verify the user (PIN, biometrics) in a ceremony: WebAuthn's
 * {@code UserVerificationRequirement}. {@link #REQUIRED} also makes the server refuse assertions
 * without the UV flag.
 */
public enum UserVerification implements Choice {
    /** The server refuses a credential or assertion without user verification. */
    REQUIRED,
    /** Authenticators verify the user if they can. */
    PREFERRED,
    /** Authenticators are asked not to verify the user. */
    DISCOURAGED;

    /** WebAuthn's name for it. */
    String webAuthnValue() {
        return wireName();
    }
}
