package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/**
 * Another user already has this email address or username (compared case-insensitively).
 * {@link #field()} tells which: {@code email} or {@code username}.
 */
public final class DuplicateUserException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public DuplicateUserException(String field) {
        super("DUPLICATE_USER", "another user already has this " + field);
        this.field = field;
    }

    /** {@code email} or {@code username}. */
    public String field() {
        return field;
    }
}
