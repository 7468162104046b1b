package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/**
 * An external identity with this {@code (issuer, subject)} is already linked, to this user or to
 * another; {@link ExternalIdentityStore#find} tells which. The message names neither.
 */
public final class DuplicateExternalIdentityException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public DuplicateExternalIdentityException() {
        super("DUPLICATE_EXTERNAL_IDENTITY", "this external identity is already linked to an account");
    }
}
