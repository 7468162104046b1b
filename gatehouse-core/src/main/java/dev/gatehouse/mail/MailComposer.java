package dev.gatehouse.mail;

/**
 * Renders a {@link Notification} into subject, text and HTML: the SPI through which the web layer's
 * templates (or an application's own) shape Gatehouse's emails. The delivery worker calls it when a
 * message is sent, not when it is queued. {@link BuiltInMailComposer} renders every template of
 * {@link MailTemplates} as plain English text.
 *
 * <p>Implementations are thread-safe. An exception is treated like a failed send: the message is
 * retried later, and given up after the worker's last attempt.
 */
@FunctionalInterface
public interface MailComposer {

    /** The rendered email for {@code notification}. */
    ComposedMail compose(Notification notification);
}
