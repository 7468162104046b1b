package dev.gatehouse.config;

/** Values of {@code lockout-unlock}: how a locked account unlocks. */
public enum LockoutUnlock implements Choice {
    /** After {@code lockout-duration}. */
    TIME,
    /** Through an emailed link. */
    EMAIL,
    /** Whichever comes first. */
    BOTH
}
