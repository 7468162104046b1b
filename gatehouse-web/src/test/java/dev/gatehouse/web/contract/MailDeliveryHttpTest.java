package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.MAIL_FOLDER;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.mail.OutboxMessage;
import dev.gatehouse.mail.OutboxStatus;
import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's mail delivery: started with the server and stopped with it, retrying through an
 * SMTP outage without losing or doubling mail, the development backend's files, and the purge.
 */
@HttpContract
class MailDeliveryHttpTest {

    /** Waits for something the background worker does; fails if it never happens. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static List<OutboxMessage> outbox(TestApp app, OutboxStatus status) {
        return app.gatehouse.outbox().store().list(status, 100);
    }

    private static void forgot(TestApp app, String email) {
        HttpClientSession client = app.client();
        String csrf = client.getJson("/reset").json().path("response").path("csrf_token").asText();
        assertThat(client.postJson("/reset", Map.of("email", email), "X-CSRFToken", csrf).status()).isEqualTo(200);
    }

    @Test
    void mail_queued_while_the_smtp_server_is_down_arrives_once_when_it_is_up_and_its_link_works() {
        try (SmtpServer smtp = new SmtpServer();
             TestApp app = TestApp.withMail(smtp, c -> c.set(RECOVERABLE, true))) {
            Inbox inbox = new Inbox(smtp);
            User user = app.newUser("outage");
            assertThat(app.web().background().isRunning()).as("started with the server").isTrue();

            forgot(app, user.email());
            await("a failed attempt", () -> outbox(app, OutboxStatus.PENDING).stream().anyMatch(m -> m.lastError().isPresent()));
            assertThat(outbox(app, OutboxStatus.PENDING).get(0).lastError().orElseThrow()).contains("could not reach");

            smtp.start();
            app.t.clock.advance(Duration.ofSeconds(30));
            Inbox.Mail mail = inbox.next(user.email());
            await("marked sent", () -> outbox(app, OutboxStatus.SENT).size() == 1);

            assertThat(outbox(app, OutboxStatus.PENDING)).isEmpty();
            assertThat(inbox.all(user.email())).hasSize(1);
            HttpClientSession browser = app.client();
            String link = mail.link("/reset");
            String csrf = LoginApiTest.hiddenCsrfToken(browser.get(link).body());
            HttpClientSession.Reply reset = browser.postForm(link, Map.of("password", "a new passphrase at last",
                    "password_confirm", "a new passphrase at last", "csrf_token", csrf));
            assertThat(reset.header("Location")).isEqualTo("/login");
            assertThat(app.client().login(user.email(), "a new passphrase at last").status()).isEqualTo(200);
        }
    }

    @Test
    void an_outage_between_two_mails_loses_neither_and_sends_neither_twice() {
        try (SmtpServer smtp = new SmtpServer();
             TestApp app = TestApp.withMail(smtp, c -> c.set(RECOVERABLE, true))) {
            Inbox inbox = new Inbox(smtp);
            smtp.start();
            User before = app.newUser("before");
            User during = app.newUser("during");
            forgot(app, before.email());
            inbox.next(before.email());

            smtp.stop();
            forgot(app, during.email());
            await("a failed attempt", () -> outbox(app, OutboxStatus.PENDING).stream().anyMatch(m -> m.lastError().isPresent()));
            smtp.start();
            inbox.reset();
            app.t.clock.advance(Duration.ofSeconds(30));
            inbox.next(during.email());
            await("both marked sent", () -> outbox(app, OutboxStatus.SENT).size() == 2);

            assertThat(inbox.all(during.email())).hasSize(1);
            assertThat(inbox.all(before.email())).as("not sent again after the restart").isEmpty();
        }
    }

    @Test
    void the_worker_stops_with_the_server_and_leaves_queued_mail_in_the_outbox() {
        try (SmtpServer smtp = new SmtpServer()) {
            TestApp app = TestApp.withMail(smtp, c -> c.set(RECOVERABLE, true));
            User user = app.newUser("stopped");
            app.stopServer();

            assertThat(app.web().background().isRunning()).isFalse();
            assertThat(app.web().background().delivery().orElseThrow().isRunning()).isFalse();
            forgot(app.gatehouse, user.email());
            assertThat(outbox(app, OutboxStatus.PENDING)).hasSize(1);
            app.gatehouse.close();
        }
    }

    @Test
    void the_files_backend_writes_each_mail_to_the_folder_and_its_link_works(@TempDir Path folder) throws Exception {
        try (TestApp app = new TestApp(c -> c.set(RECOVERABLE, true).set(EXTERNAL_URL, Inbox.SITE).set(MAIL_BACKEND, MailBackend.FILES)
                .set(MAIL_FOLDER, folder.toString()), dev.gatehouse.web.WebOptions.builder()
                .mailDelivery(d -> d.pollInterval(Duration.ofMillis(50))).build())) {
            User user = app.newUser("files");
            assertThat(app.web().background().mailDestination()).startsWith("files in " + folder.toAbsolutePath());

            forgot(app, user.email());
            await("a file", () -> emlFiles(folder).size() == 1);

            // Read back as a mail client would: MIME, multipart/alternative, the HTML part last.
            jakarta.mail.internet.MimeMessage mime;
            try (java.io.InputStream in = Files.newInputStream(emlFiles(folder).get(0))) {
                mime = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()), in);
            }
            assertThat(mime.getAllRecipients()[0].toString()).isEqualTo(user.email());
            assertThat(mime.getSubject()).isEqualTo("Password reset instructions");
            assertThat(mime.isMimeType("multipart/alternative")).isTrue();
            jakarta.mail.Multipart parts = (jakarta.mail.Multipart) mime.getContent();
            assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
            String message = (String) parts.getBodyPart(0).getContent();
            java.util.regex.Matcher link = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(Inbox.SITE)
                    + "(/reset/[A-Za-z0-9_.\\-]+)").matcher(message);
            assertThat(link.find()).isTrue();
            assertThat(app.client().get(link.group(1)).status()).isEqualTo(200);
        }
    }

    @Test
    void without_a_backend_mail_stays_queued_for_another_process() {
        try (TestApp app = new TestApp(c -> c.set(RECOVERABLE, true).set(EXTERNAL_URL, Inbox.SITE))) {
            User user = app.newUser("queued");

            forgot(app, user.email());

            assertThat(app.web().background().delivery()).isEmpty();
            assertThat(app.web().background().isRunning()).as("the purge still runs").isTrue();
            assertThat(outbox(app, OutboxStatus.PENDING)).hasSize(1);
        }
    }

    @Test
    void finished_mail_is_purged_after_a_week() {
        try (SmtpServer smtp = new SmtpServer();
             TestApp app = TestApp.withMail(smtp, c -> c.set(RECOVERABLE, true), o -> o.purgeInterval(Duration.ofMillis(100)))) {
            smtp.start();
            User user = app.newUser("purged");
            forgot(app, user.email());
            new Inbox(smtp).next(user.email());
            await("marked sent", () -> outbox(app, OutboxStatus.SENT).size() == 1);

            app.t.clock.advance(Duration.ofDays(7).plusMinutes(1));

            await("purged", () -> outbox(app, OutboxStatus.SENT).isEmpty());
        }
    }

    private static void forgot(dev.gatehouse.Gatehouse gatehouse, String email) {
        gatehouse.recovery().requestReset(email, dev.gatehouse.request.ClientInfo.UNKNOWN);
    }

    private static List<Path> emlFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".eml")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
