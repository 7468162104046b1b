package dev.gatehouse.config;

/** Values of {@code password-check-breached}: whether new passwords are looked up in the Have I Been Pwned list. */
public enum BreachCheckMode implements Choice {
    /** No lookup. */
    OFF,
    /** Refuse listed passwords; accept when the list cannot be reached. */
    BEST_EFFORT,
    /** Refuse listed passwords, and any password when the list cannot be reached. */
    STRICT
}
