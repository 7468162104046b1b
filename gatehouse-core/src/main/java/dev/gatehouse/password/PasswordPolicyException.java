package dev.gatehouse.password;

import dev.gatehouse.error.InvalidInputException;
import java.util.Objects;

/**
 * A new password was refused by the {@link PasswordPolicy}: an {@link InvalidInputException} that
 * still knows the {@link PolicyViolation}, so a web layer can show the estimator's
 * {@linkplain PolicyViolation#advice advice} in the client's language.
 */
public final class PasswordPolicyException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final transient PolicyViolation violation;

    /** The violation, about the input {@code field}. */
    public PasswordPolicyException(String field, PolicyViolation violation) {
        super(field, violation.code(), violation.message(), violation.arguments());
        this.violation = Objects.requireNonNull(violation, "violation");
    }

    /** What the policy refused. */
    public PolicyViolation violation() {
        return violation;
    }
}
