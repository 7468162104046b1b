package dev.gatehouse.mail.smtp;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EMAIL_SENDER;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_PORT;
import static dev.gatehouse.config.Settings.MAIL_SERVER;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.jdbc.JdbcOutboxStore;
import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.mail.MailDelivery;
import dev.gatehouse.mail.OutboxStatus;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gatehouse's emails end to end: flows queue them in a database outbox, the delivery worker sends
 * them to a real SMTP server, and the links in what arrives work.
 */
class OutboxOverSmtpTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern LINK = Pattern.compile("https://app\\.example\\.com/(confirm|reset)/([A-Za-z0-9._\\-]+)");

    private final SmtpServer smtp = new SmtpServer();
    private final MutableClock clock = new MutableClock(TestGatehouse.START);
    private Gatehouse gatehouse;

    @BeforeEach
    void gatehouse() {
        for (String table : List.of("gh_mail_outbox", "gh_counters", "gh_users")) {
            execute("DELETE FROM " + table);
        }
        gatehouse = node();
    }

    @AfterEach
    void stop() {
        smtp.close();
        gatehouse.close();
    }

    /** A Gatehouse over the test database; a second one is a restarted or second node. */
    private Gatehouse node() {
        return Gatehouse.builder().clock(clock).passwordHasher(TestGatehouse.CHEAP_HASHER).userCache(false)
                .store(JdbcUserStore.builder(DATABASE.dataSource()).clock(clock).migrate(false).build())
                .outboxStore(JdbcOutboxStore.create(DATABASE.dataSource(), false))
                .config(c -> c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)).set(EXTERNAL_URL, "https://app.example.com")
                        .set(EMAIL_SENDER, "no-reply@example.com").set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true)
                        .set(MAIL_SERVER, "127.0.0.1").set(MAIL_PORT, smtp.port))
                .build();
    }

    private MailDelivery delivery(Gatehouse node) {
        return node.mailDelivery(SmtpMailer.builder("127.0.0.1", smtp.port).connectTimeout(Duration.ofSeconds(2)).build())
                .initialBackoff(Duration.ofSeconds(30)).build();
    }

    private void register(String email) {
        gatehouse.registration().register(Registration.builder(email, PASSWORD).build(), CLIENT);
    }

    private static String link(MimeMessage message, String kind) {
        Matcher m = LINK.matcher(GreenMailUtil.getBody(message).replace("=\r\n", ""));
        while (m.find()) {
            if (m.group(1).equals(kind)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no " + kind + " link in: " + GreenMailUtil.getBody(message));
    }

    @Test
    void mail_queued_while_the_smtp_server_is_down_arrives_once_it_is_up_exactly_once_each() throws Exception {
        register("alice@example.com");
        register("bob@example.com");
        register("carol@example.com");
        MailDelivery delivery = delivery(gatehouse);

        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(0, 3, 0));
        assertThat(gatehouse.outbox().store().list(OutboxStatus.PENDING, 10)).hasSize(3)
                .allSatisfy(m -> assertThat(m.lastError().orElseThrow()).contains("could not reach"));

        smtp.start();
        assertThat(delivery.runOnce().handled()).as("not due before the backoff").isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(3, 0, 0));
        clock.advance(Duration.ofDays(1));
        assertThat(delivery.runOnce().handled()).isZero();

        MimeMessage[] received = smtp.greenMail().getReceivedMessages();
        assertThat(Arrays.stream(received).map(OutboxOverSmtpTest::recipient))
                .containsExactlyInAnyOrder("alice@example.com", "bob@example.com", "carol@example.com");
        assertThat(received).allSatisfy(m -> assertThat(m.getSubject()).isEqualTo("Welcome"));
    }

    @Test
    void an_outage_in_the_middle_loses_nothing_and_sends_nothing_twice() {
        smtp.start();
        MailDelivery delivery = delivery(gatehouse);
        register("before@example.com");
        delivery.runOnce();
        smtp.stop();
        register("during@example.com");

        delivery.runOnce();
        smtp.start();
        clock.advance(Duration.ofSeconds(30));
        delivery.runOnce();

        assertThat(Arrays.stream(smtp.greenMail().getReceivedMessages()).map(OutboxOverSmtpTest::recipient))
                .containsExactly("during@example.com");
        assertThat(gatehouse.outbox().store().list(OutboxStatus.SENT, 10)).hasSize(2);
    }

    @Test
    void a_worker_that_crashes_after_claiming_leaves_the_mail_to_a_restarted_node() {
        smtp.start();
        register("alice@example.com");
        assertThat(gatehouse.outbox().claimDue(10, Duration.ofMinutes(5))).hasSize(1);
        // The claiming node dies here. A restarted one waits out the lease, then sends.
        Gatehouse restarted = node();
        try {
            MailDelivery delivery = delivery(restarted);
            assertThat(delivery.runOnce().handled()).isZero();
            clock.advance(Duration.ofMinutes(5));
            assertThat(delivery.runOnce().sent()).isEqualTo(1);
        } finally {
            restarted.close();
        }
        assertThat(smtp.greenMail().getReceivedMessages()).hasSize(1);
    }

    @Test
    void the_links_in_the_received_mail_confirm_and_reset() throws Exception {
        smtp.start();
        register("alice@example.com");
        delivery(gatehouse).runOnce();
        String confirmation = link(smtp.greenMail().getReceivedMessages()[0], "confirm");

        User confirmed = gatehouse.confirmation().confirm(confirmation, CLIENT).user();
        assertThat(confirmed.confirmedAt()).isPresent();

        gatehouse.recovery().requestReset("alice@example.com", CLIENT);
        delivery(gatehouse).runOnce();
        MimeMessage instructions = smtp.greenMail().getReceivedMessages()[1];
        assertThat(instructions.getSubject()).isEqualTo("Password reset instructions");
        gatehouse.recovery().resetPassword(link(instructions, "reset"), "a brand new passphrase", Optional.empty(), CLIENT);
        delivery(gatehouse).runOnce();

        assertThat(gatehouse.signIn().signIn("alice@example.com", "a brand new passphrase", CLIENT).isSuccess()).isTrue();
        assertThat(smtp.greenMail().getReceivedMessages()[2].getSubject()).isEqualTo("Your password has been reset");
    }

    @Test
    void a_started_worker_delivers_in_the_background() throws Exception {
        smtp.start();
        register("alice@example.com");

        try (MailDelivery delivery = gatehouse.mailDelivery(SmtpMailer.fromConfig(gatehouse.config()))
                .pollInterval(Duration.ofMillis(50)).build().start()) {
            assertThat(smtp.greenMail().waitForIncomingEmail(TimeUnit.SECONDS.toMillis(10), 1)).isTrue();
            assertThat(delivery.isRunning()).isTrue();
        }
        assertThat(recipient(smtp.greenMail().getReceivedMessages()[0])).isEqualTo("alice@example.com");
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) {
        try (var c = DATABASE.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
