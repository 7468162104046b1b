package dev.gatehouse.password;

import dev.gatehouse.error.GatehouseException;

/**
 * A {@link BreachedPasswordCheck} could not find out whether a password is breached (service
 * unreachable, timed out, answered with an error) and is configured to fail closed. Code
 * {@code PASSWORD_BREACHED_SITE_ERROR}, Flask-Security's message key for the same situation.
 */
public class BreachCheckUnavailableException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    public BreachCheckUnavailableException(String message, Throwable cause) {
        super("PASSWORD_BREACHED_SITE_ERROR", message, cause);
    }
}
