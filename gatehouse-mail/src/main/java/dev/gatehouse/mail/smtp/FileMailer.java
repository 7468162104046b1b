package dev.gatehouse.mail.smtp;

import dev.gatehouse.mail.MailException;
import dev.gatehouse.mail.MailMessage;
import dev.gatehouse.mail.Mailer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Mailer} for local development ({@code mail-backend=files}): writes each message to an
 * {@code .eml} file in a folder instead of sending it, and logs where. The file holds the message
 * exactly as {@link SmtpMailer} would send it (MIME, {@code multipart/alternative} with the text
 * and HTML parts), so a mail client opening it shows the HTML part.
 *
 * <p>The log line names the recipient, the subject and the file, never the body: links and codes
 * stay out of logs even in development. Files are written whole (to a temporary name, then moved),
 * so a watcher never sees half a message. Not for production: anyone who can read the folder can
 * reset passwords. Thread-safe.
 */
public final class FileMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(FileMailer.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Clock clock;
    private final Session session;
    private final AtomicLong sequence = new AtomicLong();

    /** Writes into {@code folder}, creating it if needed. */
    public FileMailer(Path folder) {
        this(folder, Clock.systemUTC());
    }

    /** Writes into {@code folder}, naming files and dating messages by {@code clock}'s time. */
    public FileMailer(Path folder, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.clock = Objects.requireNonNull(clock, "clock");
        Properties p = new Properties();
        // As SmtpMailer: addresses may be internationalized, as account emails may.
        p.setProperty("mail.mime.allowutf8", "true");
        this.session = Session.getInstance(p);
    }

    /** The folder messages are written to. */
    public Path folder() {
        return folder;
    }

    @Override
    public void send(MailMessage message) {
        Objects.requireNonNull(message, "message");
        MimeMessage mime = MimeMessages.composeOrFail(session, message, clock);
        String name = STAMP.format(clock.instant()) + "-" + sequence.incrementAndGet() + "-"
                + message.to().replaceAll("[^A-Za-z0-9._-]", "_") + ".eml";
        Path file = folder.resolve(name);
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".writing-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                mime.writeTo(out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException | MessagingException e) {
            throw new MailException("could not write the message to " + folder + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
        LOG.info("Mail to {} (\"{}\") written to {}", message.to(), message.subject(), file.toAbsolutePath());
    }

    /** The folder; never a message. */
    @Override
    public String toString() {
        return "FileMailer[" + folder + "]";
    }
}
