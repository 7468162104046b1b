package dev.gatehouse.config;

/** Values of {@code lockout-unlock}: how a locked account unlocks. */
public enum LockoutUnlock implements Choice {
    /** After {@code lockout-duration}. */
    TIME,
    /** Only through the emailed link (or a password reset, or an administrator). */
    EMAIL,
    /** Whichever comes first. */
    BOTH
}
