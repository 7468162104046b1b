package dev.gatehouse.mail;

import dev.gatehouse.error.GatehouseException;

/**
 * A {@link Mailer} could not send a message. {@link #isPermanent()} tells the delivery worker
 * whether trying again could help: a refused recipient will be refused again (permanent), an
 * unreachable server may come back (transient). Messages name the failure, never the body.
 */
public class MailException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public MailException(String message, boolean permanent, Throwable cause) {
        super(permanent ? "MAIL_REJECTED" : "MAIL_UNAVAILABLE", message, cause);
        this.permanent = permanent;
    }

    /** Whether sending this message again would fail the same way. */
    public boolean isPermanent() {
        return permanent;
    }
}
