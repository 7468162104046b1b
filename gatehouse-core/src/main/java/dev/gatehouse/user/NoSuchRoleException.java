package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/** An operation named a role that does not exist. */
public final class NoSuchRoleException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public NoSuchRoleException(String name) {
        super("NO_SUCH_ROLE", "no role named " + name);
    }
}
