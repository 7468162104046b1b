package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/** An operation named a user that does not exist (any more). */
public final class NoSuchUserException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public NoSuchUserException(long id) {
        super("NO_SUCH_USER", "no user with id " + id);
    }

    public NoSuchUserException(String description) {
        super("NO_SUCH_USER", "no user with " + description);
    }
}
