package dev.gatehouse.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a new password is acceptable (registration, change, reset), following NIST SP
 * 800-63B and ASVS 5.0: a length range, no composition rules, and refusal of common and breached
 * passwords.
 *
 * <ul>
 *   <li>Length is counted in Unicode code points after NFKD normalization (as Flask-Security does),
 *       8 to 128 by default.</li>
 *   <li>A built-in list of about 3500 common passwords (John the Ripper's, public domain) is refused,
 *       ignoring case, unless turned off.</li>
 *   <li>An optional {@link BreachedPasswordCheck}, e.g. {@link HaveIBeenPwnedCheck}, is asked only
 *       when the local checks pass.</li>
 * </ul>
 *
 * <pre>{@code
 * PasswordPolicy policy = PasswordPolicy.builder().breachedPasswordCheck(HaveIBeenPwnedCheck.builder().build()).build();
 * List<PolicyViolation> problems = policy.check(password);   // for field errors
 * policy.requireValid(password);                             // or throw the first as InvalidInputException
 * }</pre>
 *
 * <p>Immutable and thread-safe (as long as the breached-password check is).
 */
public final class PasswordPolicy {

    private final int minLength;
    private final int maxLength;
    private final boolean rejectCommonPasswords;
    private final Optional<BreachedPasswordCheck> breachedPasswordCheck;

    private PasswordPolicy(Builder builder) {
        if (builder.maxLength < builder.minLength) {
            throw new IllegalArgumentException("password maxLength (" + builder.maxLength
                    + ") must not be less than minLength (" + builder.minLength + ")");
        }
        this.minLength = builder.minLength;
        this.maxLength = builder.maxLength;
        this.rejectCommonPasswords = builder.rejectCommonPasswords;
        this.breachedPasswordCheck = builder.breachedPasswordCheck;
    }

    /** A builder with the defaults: 8 to 128 code points, common passwords refused, no breach check. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every way {@code password} breaks this policy; empty if it is acceptable.
     *
     * @throws RuntimeException whatever a custom {@link BreachedPasswordCheck} throws, other than
     *         {@link BreachCheckUnavailableException} (which becomes a {@code PASSWORD_BREACHED_SITE_ERROR} violation)
     */
    public List<PolicyViolation> check(String password) {
        Objects.requireNonNull(password, "password");
        List<PolicyViolation> violations = new ArrayList<>();
        // NFKD never lowers the number of code points, so an input already too long is refused
        // without normalizing an arbitrarily large string.
        if (password.codePointCount(0, password.length()) > maxLength) {
            violations.add(tooLong());
            return violations;
        }
        String normalized = PasswordText.normalize(password);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < minLength) {
            violations.add(new PolicyViolation("PASSWORD_INVALID_LENGTH",
                    "Password must be at least " + minLength + " characters"));
        } else if (length > maxLength) {
            violations.add(tooLong());
        }
        if (rejectCommonPasswords && CommonPasswords.contains(normalized)) {
            violations.add(new PolicyViolation("PASSWORD_TOO_SIMPLE",
                    "Password is too common; choose one that is harder to guess"));
        }
        if (violations.isEmpty() && breachedPasswordCheck.isPresent()) {
            try {
                if (breachedPasswordCheck.get().isBreached(normalized)) {
                    violations.add(new PolicyViolation("PASSWORD_BREACHED",
                            "Password appears in known data breaches; choose another one"));
                }
            } catch (BreachCheckUnavailableException e) {
                violations.add(new PolicyViolation(e.code(), "Could not check whether the password was breached"));
            }
        }
        return List.copyOf(violations);
    }

    /**
     * Throws the first violation of {@link #check} as an {@link dev.gatehouse.InvalidInputException}
     * (field {@code password}, the violation's code and message); returns if there is none.
     */
    public void requireValid(String password) {
        List<PolicyViolation> violations = check(password);
        if (!violations.isEmpty()) {
            throw violations.get(0).toException();
        }
    }

    private PolicyViolation tooLong() {
        return new PolicyViolation("PASSWORD_TOO_LONG", "Password must be at most " + maxLength + " characters");
    }

    /** Configures a {@link PasswordPolicy}. Not thread-safe. */
    public static final class Builder {
        private int minLength = 8;
        private int maxLength = 128;
        private boolean rejectCommonPasswords = true;
        private Optional<BreachedPasswordCheck> breachedPasswordCheck = Optional.empty();

        private Builder() {
        }

        /** Fewest code points (after NFKD) a password may have; default 8, at least 1. */
        public Builder minLength(int minLength) {
            if (minLength < 1) {
                throw new IllegalArgumentException("password minLength must be at least 1, not " + minLength);
            }
            this.minLength = minLength;
            return this;
        }

        /** Most code points (after NFKD) a password may have; default 128, at most 4096. */
        public Builder maxLength(int maxLength) {
            if (maxLength < 1 || maxLength > PasswordText.MAX_BYTES) {
                throw new IllegalArgumentException("password maxLength must be between 1 and "
                        + PasswordText.MAX_BYTES + ", not " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /** Whether the built-in list of common passwords is refused; default {@code true}. */
        public Builder rejectCommonPasswords(boolean reject) {
            this.rejectCommonPasswords = reject;
            return this;
        }

        /** A check against breached passwords, asked after the local checks pass; default none. */
        public Builder breachedPasswordCheck(BreachedPasswordCheck check) {
            this.breachedPasswordCheck = Optional.of(Objects.requireNonNull(check, "check"));
            return this;
        }

        public PasswordPolicy build() {
            return new PasswordPolicy(this);
        }
    }
}
