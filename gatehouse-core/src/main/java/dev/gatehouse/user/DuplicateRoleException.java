package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/** A role with this name already exists. */
public final class DuplicateRoleException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public DuplicateRoleException(String name) {
        super("DUPLICATE_ROLE", "role exists: " + name);
    }
}
