package dev.gatehouse.mail;

/**
 * Sends a rendered email: the SPI the {@link MailDelivery} worker hands messages to. Gatehouse ships
 * in module {@code gatehouse-mail} an SMTP mailer and a file mailer for development, both writing real MIME.
 *
 * <p>Implementations are thread-safe, never log message bodies (they hold links and codes), and
 * report failures as {@link MailException}, saying whether they are permanent.
 */
@FunctionalInterface
public interface Mailer {

    /**
     * Sends {@code message}; returns once the server accepted it.
     *
     * @throws MailException if it could not be sent
     */
    void send(MailMessage message);
}
