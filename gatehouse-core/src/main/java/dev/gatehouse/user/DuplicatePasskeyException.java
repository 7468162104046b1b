package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/** A passkey with this credential id is already registered, or the user already has one of this name. */
public final class DuplicatePasskeyException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    /** The exception, code {@code DUPLICATE_PASSKEY}. */
    public DuplicatePasskeyException() {
        super("DUPLICATE_PASSKEY", "this passkey or its name is already registered");
    }
}
