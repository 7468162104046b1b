package dev.gatehouse.password;

/**
 * Tells whether a password is known from data breaches, so {@link PasswordPolicy} can refuse it
 * (NIST SP 800-63B 3.1.1.2, ASVS 5.0 V6.2). {@link HaveIBeenPwnedCheck} asks the Have I Been Pwned
 * range API; applications may plug in their own source (an offline copy, a company list).
 *
 * <p>Implementations must be thread-safe; the policy calls them concurrently.
 */
@FunctionalInterface
public interface BreachedPasswordCheck {

    /**
     * Whether {@code password} must be refused as breached.
     *
     * @param password the candidate password, already normalized to NFKD
     * @throws BreachCheckUnavailableException if the source could not be consulted and the check
     *         is meant to fail closed; the policy then reports {@code PASSWORD_BREACHED_SITE_ERROR}
     */
    boolean isBreached(String password);
}
