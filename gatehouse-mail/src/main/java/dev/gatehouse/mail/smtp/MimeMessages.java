package dev.gatehouse.mail.smtp;

import dev.gatehouse.mail.MailException;
import dev.gatehouse.mail.MailMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;

/** Builds the MIME message of a {@link MailMessage}: the one form both the SMTP and the file mailer write. */
final class MimeMessages {

    private MimeMessages() {
    }

    /**
     * {@link #compose}, with its failures as the {@link MailException}s every mailer throws: a
     * permanent failure (retrying cannot help), naming the cause's type, never an address.
     */
    static MimeMessage composeOrFail(Session session, MailMessage message, Clock clock) {
        try {
            return compose(session, message, clock);
        } catch (AddressException e) {
            throw new MailException("an address of the message is not valid for SMTP", true, e);
        } catch (MessagingException e) {
            throw new MailException("could not build the message: " + e.getClass().getSimpleName(), true, e);
        }
    }

    /**
     * A {@code multipart/alternative} message (text, then HTML, which clients prefer) when there
     * is an HTML part, else {@code text/plain}; UTF-8 throughout, the subject RFC 2047-encoded.
     *
     * @throws jakarta.mail.internet.AddressException if an address does not parse strictly
     */
    static MimeMessage compose(Session session, MailMessage message, Clock clock) throws MessagingException {
        String messageId = message.messageId().orElse(null);
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                if (messageId == null) {
                    super.updateMessageID();
                } else {
                    // The same id on every attempt: a receiver can tell a retry from a new mail.
                    setHeader("Message-ID", messageId);
                }
            }
        };
        mime.setFrom(new InternetAddress(message.from(), true));
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.to(), true));
        mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(clock.instant()));
        if (message.html().isPresent()) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.html().get(), StandardCharsets.UTF_8.name(), "html");
            mime.setContent(new MimeMultipart("alternative", text, html));
        } else {
            mime.setText(message.text(), StandardCharsets.UTF_8.name());
        }
        mime.saveChanges();
        return mime;
    }
}
