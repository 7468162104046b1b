package dev.gatehouse.mail.smtp;

import static dev.gatehouse.config.Settings.MAIL_PASSWORD;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;
import static dev.gatehouse.config.Settings.MAIL_USERNAME;
import static dev.gatehouse.config.Settings.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.mail.MailException;
import dev.gatehouse.mail.MailMessage;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpMailerTest {

    private final SmtpServer smtp = new SmtpServer();

    @AfterEach
    void stopServer() {
        smtp.close();
    }

    private SmtpMailer.Builder mailer() {
        return SmtpMailer.builder("127.0.0.1", smtp.port).connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    private static MailMessage message(String subject, String text, Optional<String> html) {
        return new MailMessage("no-reply@example.com", "alice@example.com", subject, text, html,
                Optional.of("<gatehouse.7.1700000000000@example.com>"));
    }

    @Test
    void a_message_arrives_with_its_recipient_subject_body_and_message_id() throws Exception {
        smtp.start();

        mailer().build().send(message("Réinitialisation — ✓", "Follow https://app.example.com/reset/T0KEN", Optional.empty()));

        MimeMessage received = smtp.greenMail().getReceivedMessages()[0];
        assertThat(received.getAllRecipients()).extracting(Object::toString).containsExactly("alice@example.com");
        assertThat(received.getFrom()[0]).hasToString("no-reply@example.com");
        assertThat(received.getSubject()).isEqualTo("Réinitialisation — ✓");
        assertThat(received.getMessageID()).isEqualTo("<gatehouse.7.1700000000000@example.com>");
        assertThat(GreenMailUtil.getBody(received)).contains("https://app.example.com/reset/T0KEN");
        assertThat(received.getSentDate()).isNotNull();
    }

    @Test
    void an_html_part_travels_beside_the_text() throws Exception {
        smtp.start();

        mailer().build().send(message("Welcome", "plain words", Optional.of("<p>rich words</p>")));

        MimeMessage received = smtp.greenMail().getReceivedMessages()[0];
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContent().toString()).isEqualTo("plain words");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(parts.getBodyPart(1).getContent().toString()).isEqualTo("<p>rich words</p>");
    }

    @Test
    void user_input_in_the_body_cannot_add_headers_or_recipients() throws Exception {
        smtp.start();

        mailer().build().send(message("Your requested username", "Your username is: x\r\nBcc: victim@example.com\r\n\r\n",
                Optional.empty()));

        MimeMessage received = smtp.greenMail().getReceivedMessages()[0];
        assertThat(smtp.greenMail().getReceivedMessages()).hasSize(1);
        assertThat(received.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(received.getAllRecipients()).hasSize(1);
        assertThatThrownBy(() -> message("Hello\r\nBcc: victim@example.com", "x", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentials_are_used_and_refused_credentials_are_a_transient_failure() {
        smtp.start();
        smtp.greenMail().setUser("mailer@example.com", "mailer", "s3cret-pass");

        mailer().credentials("mailer", "s3cret-pass").build().send(message("Welcome", "hi", Optional.empty()));
        assertThat(smtp.greenMail().getReceivedMessages()).hasSize(1);

        SmtpMailer wrong = mailer().credentials("mailer", "wrong-pass").build();
        assertThatThrownBy(() -> wrong.send(message("Welcome", "hi", Optional.empty())))
                .isInstanceOfSatisfying(MailException.class, e -> {
                    assertThat(e.isPermanent()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("wrong-pass");
                });
        assertThat(wrong.toString()).doesNotContain("wrong-pass", "mailer").contains("127.0.0.1:" + smtp.port);
    }

    @Test
    void an_unreachable_server_is_a_transient_failure() {
        assertThatThrownBy(() -> mailer().build().send(message("Welcome", "hi", Optional.empty())))
                .isInstanceOfSatisfying(MailException.class, e -> {
                    assertThat(e.isPermanent()).isFalse();
                    assertThat(e.code()).isEqualTo("MAIL_UNAVAILABLE");
                    assertThat(e.getMessage()).contains("127.0.0.1:" + smtp.port);
                });
    }

    @Test
    void starttls_is_required_when_configured_so_a_server_without_it_gets_nothing() {
        smtp.start();

        assertThatThrownBy(() -> mailer().startTls(true).build().send(message("Welcome", "secret link", Optional.empty())))
                .isInstanceOfSatisfying(MailException.class, e -> assertThat(e.isPermanent()).isFalse());
        assertThatThrownBy(() -> mailer().ssl(true).build().send(message("Welcome", "secret link", Optional.empty())))
                .isInstanceOf(MailException.class);
        assertThat(smtp.greenMail().getReceivedMessages()).as("nothing went out in the clear").isEmpty();
        assertThatThrownBy(() -> mailer().ssl(true).startTls(true).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_settings_configure_the_mailer() {
        smtp.start();
        smtp.greenMail().setUser("ops@example.com", "ops", "pw-from-settings");
        GatehouseConfig config = GatehouseConfig.builder().set(SECRET, Secret.of("s".repeat(40))).set(MAIL_SERVER, "127.0.0.1")
                .set(MAIL_PORT, smtp.port).set(MAIL_USERNAME, "ops").set(MAIL_PASSWORD, Secret.of("pw-from-settings")).build();

        SmtpMailer mailer = SmtpMailer.fromConfig(config);
        mailer.send(message("Welcome", "hi", Optional.empty()));

        assertThat(smtp.greenMail().getReceivedMessages()).hasSize(1);
        assertThat(mailer.toString()).contains("authenticated").doesNotContain("pw-from-settings");
    }
}
