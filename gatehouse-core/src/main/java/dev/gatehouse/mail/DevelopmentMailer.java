package dev.gatehouse.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Mailer} for local development: writes each message to a file in a folder instead of
 * sending it, and logs where. Open the file to follow the confirmation or reset link.
 *
 * <p>The log line names the recipient, the subject and the file, never the body: links and codes
 * stay out of logs even in development. Files are written whole (to a temporary name, then moved),
 * so a watcher never sees half a message. Not for production: anyone who can read the folder can
 * reset passwords. Thread-safe.
 */
public final class DevelopmentMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentMailer.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    /** Writes into {@code folder}, creating it if needed. */
    public DevelopmentMailer(Path folder) {
        this(folder, Clock.systemUTC());
    }

    /** Writes into {@code folder}, naming files by {@code clock}'s time. */
    public DevelopmentMailer(Path folder, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The folder messages are written to. */
    public Path folder() {
        return folder;
    }

    @Override
    public void send(MailMessage message) {
        String name = STAMP.format(clock.instant()) + "-" + sequence.incrementAndGet() + "-"
                + message.to().replaceAll("[^A-Za-z0-9._-]", "_") + ".eml";
        Path file = folder.resolve(name);
        StringBuilder b = new StringBuilder()
                .append("From: ").append(message.from()).append("\r\n")
                .append("To: ").append(message.to()).append("\r\n")
                .append("Subject: ").append(message.subject()).append("\r\n");
        message.messageId().ifPresent(id -> b.append("Message-ID: ").append(id).append("\r\n"));
        b.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n").append(message.text()).append("\r\n");
        message.html().ifPresent(html -> b.append("\r\n----- HTML part -----\r\n").append(html).append("\r\n"));
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".writing-", ".tmp");
            Files.writeString(temporary, b, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            throw new MailException("could not write the message to " + folder + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
        LOG.info("Mail to {} (\"{}\") written to {}", message.to(), message.subject(), file.toAbsolutePath());
    }
}
