package dev.gatehouse.mail;

import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MailDeliveryTest {

    private final TestGatehouse t = new TestGatehouse();
    private final MutableClock clock = t.clock;
    private final InMemoryOutboxStore store = new InMemoryOutboxStore();
    private final Outbox outbox = new Outbox(store, ValueSealer.create(t.gatehouse.config()), clock);
    private final List<MailMessage> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean serverDown = new AtomicBoolean();
    private final Mailer mailer = message -> {
        if (serverDown.get()) {
            throw new MailException("connection refused", false, null);
        }
        sent.add(message);
    };

    private static Notification reset(String to) {
        return new Notification(MailTemplates.RESET_INSTRUCTIONS, to, Locale.ENGLISH,
                Map.of("email", to, "reset_link", "https://app.example.com/reset/SECRET-TOKEN", "within", "PT1H"));
    }

    private MailDelivery.Builder delivery() {
        return MailDelivery.builder(outbox, mailer, "no-reply@example.com");
    }

    @Test
    void queued_mail_is_rendered_and_sent_from_the_sender_with_a_stable_message_id() {
        OutboxMessage queued = outbox.enqueue(reset("alice@example.com"));

        MailDelivery.Pass pass = delivery().build().runOnce();

        assertThat(pass).isEqualTo(new MailDelivery.Pass(1, 0, 0));
        MailMessage message = sent.get(0);
        assertThat(message.from()).isEqualTo("no-reply@example.com");
        assertThat(message.to()).isEqualTo("alice@example.com");
        assertThat(message.subject()).isEqualTo("Password reset instructions");
        assertThat(message.text()).contains("https://app.example.com/reset/SECRET-TOKEN", "within 1 hour");
        assertThat(message.messageId()).contains("<gatehouse." + queued.id() + "." + queued.createdAt().toEpochMilli()
                + "@example.com>");
        assertThat(store.find(queued.id()).orElseThrow().status()).isEqualTo(OutboxStatus.SENT);
        assertThat(delivery().build().runOnce().handled()).as("sent once").isZero();
    }

    @Test
    void links_and_codes_are_sealed_in_the_store_and_opened_only_for_sending() {
        OutboxMessage queued = outbox.enqueue(reset("alice@example.com"));

        String stored = queued.notification().model().get("reset_link");
        assertThat(stored).startsWith("s1.").doesNotContain("SECRET-TOKEN");
        assertThat(queued.notification().model().get("email")).as("only secrets are sealed").isEqualTo("alice@example.com");
        assertThat(OutboxMessage.encodeModel(queued.notification().model())).doesNotContain("SECRET");

        delivery().build().runOnce();
        assertThat(sent.get(0).text()).contains("SECRET-TOKEN");
    }

    @Test
    void a_sealed_value_moved_to_another_recipient_does_not_open_and_the_mail_is_given_up() {
        OutboxMessage queued = outbox.enqueue(reset("alice@example.com"));
        // Someone with write access to the outbox redirects the reset link to their own address.
        store.enqueue(new Notification(MailTemplates.RESET_INSTRUCTIONS, "mallory@example.com", Locale.ENGLISH,
                queued.notification().model()), clock.instant());

        MailDelivery.Pass pass = delivery().build().runOnce();

        assertThat(sent).extracting(MailMessage::to).containsExactly("alice@example.com");
        assertThat(pass.sent()).isEqualTo(1);
        assertThat(store.list(OutboxStatus.FAILED, 10)).singleElement()
                .satisfies(m -> assertThat(m.notification().to()).isEqualTo("mallory@example.com"));
    }

    @Test
    void a_server_outage_is_retried_with_growing_pauses_and_nothing_is_lost() {
        outbox.enqueue(reset("alice@example.com"));
        MailDelivery delivery = delivery().initialBackoff(Duration.ofSeconds(30)).maxBackoff(Duration.ofMinutes(2)).build();
        serverDown.set(true);

        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(0, 1, 0));
        OutboxMessage waiting = store.list(OutboxStatus.PENDING, 1).get(0);
        assertThat(waiting.dueAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(waiting.lastError()).contains("connection refused");
        clock.advance(Duration.ofSeconds(29));
        assertThat(delivery.runOnce().handled()).as("not due yet").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(0, 1, 0));
        assertThat(store.list(OutboxStatus.PENDING, 1).get(0).dueAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(delivery.backoff(3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(delivery.backoff(30)).as("capped").isEqualTo(Duration.ofMinutes(2));

        serverDown.set(false);
        clock.advance(Duration.ofMinutes(1));
        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(1, 0, 0));
        assertThat(sent).hasSize(1);
        assertThat(store.list(OutboxStatus.SENT, 1).get(0).attempts()).isEqualTo(3);
    }

    @Test
    void a_message_is_given_up_after_the_last_attempt_or_at_once_when_refused_permanently() {
        outbox.enqueue(reset("alice@example.com"));
        MailDelivery delivery = delivery().maxAttempts(2).initialBackoff(Duration.ofSeconds(1)).build();
        serverDown.set(true);
        delivery.runOnce();
        clock.advance(Duration.ofSeconds(1));
        assertThat(delivery.runOnce()).isEqualTo(new MailDelivery.Pass(0, 0, 1));
        assertThat(store.list(OutboxStatus.FAILED, 1)).hasSize(1);

        outbox.enqueue(reset("bounce@example.com"));
        MailDelivery refusing = MailDelivery.builder(outbox, message -> {
            throw new MailException("550 no such user", true, null);
        }, "no-reply@example.com").build();
        assertThat(refusing.runOnce()).isEqualTo(new MailDelivery.Pass(0, 0, 1));
        assertThat(store.list(OutboxStatus.FAILED, 10)).extracting(m -> m.lastError().orElseThrow())
                .contains("550 no such user");
    }

    @Test
    void a_worker_that_dies_mid_send_leaves_the_message_to_another_after_the_lease() {
        outbox.enqueue(reset("alice@example.com"));
        List<Outbox.Claimed> grabbed = outbox.claimDue(10, Duration.ofMinutes(5));
        assertThat(grabbed).hasSize(1);
        // ... and the worker that grabbed it dies here.
        MailDelivery survivor = delivery().lease(Duration.ofMinutes(5)).build();

        assertThat(survivor.runOnce().handled()).as("still leased").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(survivor.runOnce()).isEqualTo(new MailDelivery.Pass(1, 0, 0));
        assertThat(sent).hasSize(1);
    }

    @Test
    void a_composer_failure_is_retried_and_its_message_never_recorded() {
        outbox.enqueue(reset("alice@example.com"));
        MailDelivery broken = delivery().composer(n -> {
            throw new IllegalStateException("template bug quoting " + n.model().get("reset_link"));
        }).build();

        assertThat(broken.runOnce()).isEqualTo(new MailDelivery.Pass(0, 1, 0));

        assertThat(store.list(OutboxStatus.PENDING, 1).get(0).lastError().orElseThrow())
                .isEqualTo("rendering failed: java.lang.IllegalStateException").doesNotContain("SECRET");
    }

    @Test
    void a_subject_with_a_line_break_can_never_reach_the_mailer() {
        outbox.enqueue(reset("alice@example.com"));
        MailDelivery injecting = delivery().composer(n -> new ComposedMail("Hi\r\nBcc: victim@example.com", "body",
                java.util.Optional.empty())).build();

        injecting.runOnce();

        assertThat(sent).isEmpty();
        assertThatThrownBy(() -> new MailMessage("a@example.com", "b@example.com\nBcc: c@example.com", "s", "t",
                java.util.Optional.empty(), java.util.Optional.empty())).isInstanceOf(dev.gatehouse.error.InvalidInputException.class);
    }

    @Test
    void started_delivery_polls_in_the_background_until_closed() throws Exception {
        outbox.enqueue(reset("alice@example.com"));
        MailDelivery delivery = delivery().pollInterval(Duration.ofMillis(20)).build();

        try (delivery) {
            assertThat(delivery.start()).isSameAs(delivery.start());
            assertThat(delivery.isRunning()).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        assertThat(sent).hasSize(1);
        assertThat(delivery.isRunning()).isFalse();
        outbox.enqueue(reset("bob@example.com"));
        Thread.sleep(100);
        assertThat(sent).as("closed: nothing more is sent").hasSize(1);
    }

    @Test
    void queuing_wakes_a_started_worker_at_once_and_failed_mail_still_waits_for_its_backoff() throws Exception {
        List<String> attempted = new CopyOnWriteArrayList<>();
        Mailer recording = message -> {
            attempted.add(message.to());
            mailer.send(message);
        };
        // The poll would next run in an hour: only the wake-up can deliver within the awaits below.
        MailDelivery delivery = MailDelivery.builder(outbox, recording, "no-reply@example.com")
                .pollInterval(Duration.ofHours(1)).build();
        outbox.enqueue(reset("first@example.com"));
        try (delivery) {
            delivery.start();
            awaitUntil(() -> sent.size() == 1); // the pass at start

            serverDown.set(true);
            outbox.enqueue(reset("down@example.com"));
            awaitUntil(() -> attempted.contains("down@example.com"));

            serverDown.set(false);
            for (int i = 0; i < 5; i++) {
                outbox.enqueue(reset("burst" + i + "@example.com"));
            }
            awaitUntil(() -> sent.size() == 6);
        }

        assertThat(sent).extracting(MailMessage::to).doesNotContain("down@example.com");
        assertThat(attempted).as("the failed message waits for its backoff, not for the next wake-up")
                .filteredOn("down@example.com"::equals).hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(delivery.runOnce().sent()).as("still queued for its retry").isEqualTo(1);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void many_messages_go_out_batch_after_batch_in_one_pass() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            addresses.add("m" + i + "@example.com");
            outbox.enqueue(reset("m" + i + "@example.com"));
        }

        assertThat(delivery().batchSize(20).build().runOnce()).isEqualTo(new MailDelivery.Pass(45, 0, 0));
        assertThat(sent).extracting(MailMessage::to).containsExactlyElementsOf(addresses);
    }

    @Test
    void purging_removes_ended_counters_and_old_finished_mail_only() {
        TestGatehouse g = new TestGatehouse(c -> c.set(REGISTERABLE, true));
        g.gatehouse.registration().register(dev.gatehouse.lifecycle.Registration.builder("a@example.com",
                "correct horse battery").build(), dev.gatehouse.request.ClientInfo.of("192.0.2.1", "x"));
        g.gatehouse.mailDelivery(sent::add).build().runOnce();
        g.gatehouse.registration().register(dev.gatehouse.lifecycle.Registration.builder("b@example.com",
                "correct horse battery").build(), dev.gatehouse.request.ClientInfo.of("192.0.2.1", "x"));

        assertThat(g.gatehouse.purgeExpired()).isEqualTo(new dev.gatehouse.Gatehouse.Purged(0, 0, 0, 0));
        g.clock.advance(dev.gatehouse.Gatehouse.FINISHED_MAIL_KEPT.plusSeconds(1));

        assertThat(g.gatehouse.purgeExpired()).as("the register rate-limit counter and the sent welcome")
                .isEqualTo(new dev.gatehouse.Gatehouse.Purged(1, 1, 0, 0));
        assertThat(g.gatehouse.outbox().store().list(OutboxStatus.PENDING, 10)).as("unsent mail stays").hasSize(1);
    }
}
