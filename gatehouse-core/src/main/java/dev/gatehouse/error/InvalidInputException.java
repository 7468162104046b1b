package dev.gatehouse.error;

import java.util.Objects;

/**
 * A value supplied by a caller was rejected, for example a malformed email address or a password
 * that breaks the password policy. {@link #field()} names the offending input, so a web adapter can
 * answer 400 with a field error.
 */
public class InvalidInputException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidInputException(String field, String code, String message) {
        super(code, message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The name of the rejected input, e.g. {@code email} or {@code password}. */
    public String field() {
        return field;
    }
}
