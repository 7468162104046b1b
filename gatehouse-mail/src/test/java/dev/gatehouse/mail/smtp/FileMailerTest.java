package dev.gatehouse.mail.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.MailMessage;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileMailer} writes real MIME messages, read back here with Jakarta Mail as a mail client
 * would: {@code multipart/alternative} with the text and then the HTML part, UTF-8 headers and bodies.
 */
class FileMailerTest {

    @TempDir
    Path folder;

    @Test
    void each_message_becomes_a_whole_mime_file_a_mail_client_reads_with_its_html_part() throws Exception {
        FileMailer mailer = new FileMailer(folder.resolve("mail"));

        mailer.send(new MailMessage("no-reply@example.com", "alice@example.com", "Réinitialisation du mot de passe",
                "Follow https://app.example.com/reset/TOKEN", Optional.of("<p>Follow <a href=\"https://app.example.com/reset/TOKEN\">this link</a> — été</p>"),
                Optional.of("<id.1@example.com>")));
        mailer.send(new MailMessage("no-reply@example.com", "bob@example.com", "Welcome", "Hi", Optional.empty(),
                Optional.empty()));

        List<Path> files;
        try (Stream<Path> listing = Files.list(folder.resolve("mail"))) {
            files = listing.sorted().toList();
        }
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".eml"));
        assertThat(files.get(1).getFileName().toString()).contains("bob_example.com");

        MimeMessage first = read(files.get(0));
        assertThat(first.getSubject()).isEqualTo("Réinitialisation du mot de passe");
        assertThat(first.getFrom()).extracting(Address::toString).containsExactly("no-reply@example.com");
        assertThat(first.getAllRecipients()).extracting(Address::toString).containsExactly("alice@example.com");
        assertThat(first.getMessageID()).isEqualTo("<id.1@example.com>");
        assertThat(first.getSentDate()).isNotNull();
        assertThat(first.isMimeType("multipart/alternative")).isTrue();
        MimeMultipart parts = (MimeMultipart) first.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Follow https://app.example.com/reset/TOKEN");
        assertThat(parts.getBodyPart(1).isMimeType("text/html")).as("the part a mail client shows").isTrue();
        assertThat(parts.getBodyPart(1).getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<a href=\"https://app.example.com/reset/TOKEN\">", "été");

        MimeMessage second = read(files.get(1));
        assertThat(second.isMimeType("text/plain")).isTrue();
        assertThat(second.getContent()).isEqualTo("Hi");
    }

    @Test
    void no_temporary_file_is_left_behind() throws Exception {
        FileMailer mailer = new FileMailer(folder);

        mailer.send(new MailMessage("no-reply@example.com", "carol@example.com", "Welcome", "Hi", Optional.empty(),
                Optional.empty()));

        try (Stream<Path> listing = Files.list(folder)) {
            assertThat(listing.map(p -> p.getFileName().toString())).singleElement().asString().endsWith(".eml");
        }
    }

    private static MimeMessage read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }
}
