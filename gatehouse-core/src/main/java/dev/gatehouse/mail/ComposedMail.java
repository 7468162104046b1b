package dev.gatehouse.mail;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link MailComposer} makes of a {@link Notification}.
 *
 * @param subject one line; checked again by {@link MailMessage}
 * @param text    the plain-text body
 * @param html    the HTML body, if the composer makes one
 */
public record ComposedMail(String subject, String text, Optional<String> html) {

    public ComposedMail {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }
}
