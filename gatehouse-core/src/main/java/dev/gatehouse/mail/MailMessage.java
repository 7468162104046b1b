package dev.gatehouse.mail;

import dev.gatehouse.identifier.Identifiers;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rendered email, ready for a {@link Mailer}: plain text and optionally HTML.
 *
 * <p>Header values are checked here, so no user input can add a header: addresses as account emails
 * (no whitespace or control characters), the subject without control characters (no CR or LF),
 * the message id as {@code <local@domain>} in printable ASCII. Bodies may hold anything.
 *
 * @param from      sender address
 * @param to        recipient address
 * @param subject   one line, at most {@value #MAX_SUBJECT_LENGTH} characters
 * @param text      the plain-text body
 * @param html      the HTML body, if any
 * @param messageId a stable {@code Message-ID}, so a message sent twice (a retry after a lost
 *                  acknowledgement) can be recognized as one by the receiving side
 */
public record MailMessage(String from, String to, String subject, String text, Optional<String> html,
                          Optional<String> messageId) {

    public static final int MAX_SUBJECT_LENGTH = 250;
    private static final Pattern MESSAGE_ID = Pattern.compile("<[\\x21-\\x3b\\x3d\\x3f-\\x7e]{1,200}@[A-Za-z0-9.\\-]{1,200}>");

    public MailMessage {
        from = Identifiers.checkEmail(from);
        to = Identifiers.checkEmail(to);
        Objects.requireNonNull(subject, "subject");
        if (subject.length() > MAX_SUBJECT_LENGTH || subject.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a subject is one line of at most " + MAX_SUBJECT_LENGTH
                    + " characters without control characters");
        }
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(messageId, "messageId");
        messageId.ifPresent(id -> {
            if (!MESSAGE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a message id is <local@domain> in printable ASCII");
            }
        });
    }

    /** Addresses and subject; never the bodies, which hold links and codes. */
    @Override
    public String toString() {
        return "MailMessage[from=" + from + ", to=" + to + ", subject=" + subject + "]";
    }
}
