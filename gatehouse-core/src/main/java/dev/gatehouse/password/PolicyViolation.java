package dev.gatehouse.password;

import dev.gatehouse.InvalidInputException;
import java.util.Objects;

/**
 * One way a candidate password breaks the {@link PasswordPolicy}, for field errors on the
 * {@code password} input. Codes mirror Flask-Security's message keys:
 * {@code PASSWORD_INVALID_LENGTH} (too short), {@code PASSWORD_TOO_LONG}, {@code PASSWORD_TOO_SIMPLE}
 * (a common password), {@code PASSWORD_BREACHED} and {@code PASSWORD_BREACHED_SITE_ERROR} (the breach
 * check could not be made and is configured to fail closed). The message is English and never
 * contains the password.
 *
 * @param code    a stable code from the list above
 * @param message a human-readable explanation
 */
public record PolicyViolation(String code, String message) {

    public PolicyViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** This violation as the exception {@link PasswordPolicy#requireValid} throws: field {@code password}. */
    public InvalidInputException toException() {
        return new InvalidInputException("password", code, message);
    }
}
