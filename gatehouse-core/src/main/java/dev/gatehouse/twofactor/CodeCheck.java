package dev.gatehouse.twofactor;

/** The outcome of checking a second-factor or recovery code ({@link TwoFactor#verify}). */
public enum CodeCheck {
    /** The code is right and was used up. */
    ACCEPTED,
    /** The code is wrong (or the method is not set up); counted like a wrong password. */
    INVALID,
    /** The code was right once but has been used already (a TOTP step or a recovery code). */
    REPLAYED,
    /** The code sent was right but is too old; send a new one. */
    EXPIRED,
    /** Too many wrong tries of the code sent; send a new one. */
    ATTEMPTS_EXHAUSTED,
    /** Too many failed attempts from this client or for this account ({@code rate-limit-login-failed}). */
    RATE_LIMITED,
    /** The account is locked (lockout); no code is checked. */
    LOCKED_OUT;

    /** Whether the code was accepted. */
    public boolean accepted() {
        return this == ACCEPTED;
    }
}
