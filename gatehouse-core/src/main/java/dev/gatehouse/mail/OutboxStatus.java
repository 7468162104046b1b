package dev.gatehouse.mail;

/** Where a message of the {@link OutboxStore} stands. */
public enum OutboxStatus {
    /** Waiting to be sent, or claimed by a worker sending it now. */
    PENDING,
    /** Accepted by the mail server. */
    SENT,
    /** Given up: refused permanently, or still failing after the last attempt. */
    FAILED
}
