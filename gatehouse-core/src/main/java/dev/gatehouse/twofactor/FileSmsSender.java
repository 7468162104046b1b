package dev.gatehouse.twofactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development {@link SmsSender} of {@code sms-service=files}: each message becomes a text file
 * {@code sms-<time>-<n>.txt} in the mail folder, beside the {@code .eml} files of the files mailer,
 * so a developer reads the code there. Logs that it wrote a file, never the text.
 */
final class FileSmsSender implements SmsSender {

    private static final Logger LOG = LoggerFactory.getLogger(FileSmsSender.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path folder;

    FileSmsSender(Path folder) {
        this.folder = folder;
    }

    @Override
    public void send(String phoneNumber, String text) {
        String name = "sms-" + Instant.now().toEpochMilli() + "-" + SEQUENCE.incrementAndGet() + ".txt";
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(name);
            Files.writeString(file, "To: " + phoneNumber + "\n\n" + text + "\n", StandardCharsets.UTF_8);
            LOG.info("Wrote a text message to {} into {} (sms-service=files, not sent)", mask(phoneNumber), file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a text message into " + folder, e);
        }
    }

    /** The last 3 digits of a number only, so the log does not collect phone numbers. */
    static String mask(String phoneNumber) {
        int keep = Math.min(3, phoneNumber.length());
        return "*".repeat(Math.max(0, phoneNumber.length() - keep)) + phoneNumber.substring(phoneNumber.length() - keep);
    }
}
