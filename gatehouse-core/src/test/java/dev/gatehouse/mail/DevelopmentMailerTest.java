package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentMailerTest {

    @TempDir
    Path folder;

    @Test
    void each_message_becomes_a_whole_file_in_the_folder() throws IOException {
        DevelopmentMailer mailer = new DevelopmentMailer(folder.resolve("mail"));

        mailer.send(new MailMessage("no-reply@example.com", "alice@example.com", "Password reset instructions",
                "Follow https://app.example.com/reset/TOKEN", Optional.of("<p>html</p>"), Optional.of("<id.1@example.com>")));
        mailer.send(new MailMessage("no-reply@example.com", "bob@example.com", "Welcome", "Hi", Optional.empty(),
                Optional.empty()));

        List<Path> files;
        try (Stream<Path> listing = Files.list(folder.resolve("mail"))) {
            files = listing.sorted().toList();
        }
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".eml"));
        String first = Files.readString(files.get(0), StandardCharsets.UTF_8);
        assertThat(first).contains("To: alice@example.com\r\n", "Subject: Password reset instructions\r\n",
                "Message-ID: <id.1@example.com>", "https://app.example.com/reset/TOKEN", "<p>html</p>");
        assertThat(files.get(1).getFileName().toString()).contains("bob_example.com");
    }
}
