package dev.gatehouse.user;

import dev.gatehouse.error.GatehouseException;

/**
 * A store could not do its job for a reason outside the caller's control, e.g. the database is
 * unreachable. The operation had no effect: stores roll back partial work before throwing this.
 */
public class StoreException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super("STORE_FAILURE", message, cause);
    }
}
