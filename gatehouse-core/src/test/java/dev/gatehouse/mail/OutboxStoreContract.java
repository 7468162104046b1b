package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.Races;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OutboxStore} must have. The in-memory store and the JDBC store on H2,
 * PostgreSQL and MariaDB run it; each subclass supplies an empty store per test.
 */
public abstract class OutboxStoreContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    protected static final Duration LEASE = Duration.ofMinutes(5);
    protected static final int THREADS = 8;

    protected OutboxStore store;

    /** A store with no messages. */
    protected abstract OutboxStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    protected static Notification notification(String to) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", to);
        model.put("reset_link", "s1.sealed.value-with+plus&amp=sign");
        model.put("name", "Zoë 🌍 \"quoted\" line\nbreak");
        return new Notification(MailTemplates.RESET_INSTRUCTIONS, to, Locale.forLanguageTag("de-CH"), model);
    }

    @Test
    void enqueue_storesTheNotification_pendingAndDueAtOnce() {
        Notification n = notification("alice@example.com");

        OutboxMessage m = store.enqueue(n, T0);

        assertThat(m.id()).isPositive();
        assertThat(m.notification()).isEqualTo(n);
        assertThat(m.notification().model()).containsExactlyEntriesOf(n.model());
        assertThat(m.notification().locale()).isEqualTo(Locale.forLanguageTag("de-CH"));
        assertThat(m.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(m.attempts()).isZero();
        assertThat(m.createdAt()).isEqualTo(T0);
        assertThat(m.dueAt()).isEqualTo(T0);
        assertThat(m.claimToken()).isEmpty();
        assertThat(m.sentAt()).isEmpty();
        assertThat(m.lastError()).isEmpty();
        assertThat(store.find(m.id())).contains(m);
        assertThat(store.enqueue(n, T0).id()).isGreaterThan(m.id());
        assertThat(store.find(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void claimDue_handsOutDueMessagesOldestFirst_withAClaimAnAttemptAndALease() {
        OutboxMessage first = store.enqueue(notification("a@example.com"), T0);
        OutboxMessage second = store.enqueue(notification("b@example.com"), T0.plusSeconds(1));
        store.enqueue(notification("later@example.com"), T0.plusSeconds(60));

        List<OutboxMessage> claimed = store.claimDue(T0.plusSeconds(30), 10, LEASE);

        assertThat(claimed).extracting(OutboxMessage::id).containsExactly(first.id(), second.id());
        assertThat(claimed).allSatisfy(m -> {
            assertThat(m.claimToken()).isPresent();
            assertThat(m.attempts()).isEqualTo(1);
            assertThat(m.dueAt()).isEqualTo(T0.plusSeconds(30).plus(LEASE));
            assertThat(m.status()).isEqualTo(OutboxStatus.PENDING);
        });
        assertThat(claimed.get(0).claimToken()).isNotEqualTo(claimed.get(1).claimToken());
        assertThat(store.claimDue(T0.plusSeconds(30), 10, LEASE)).as("claimed messages are not due").isEmpty();
    }

    @Test
    void claimDue_respectsTheLimit() {
        for (int i = 0; i < 5; i++) {
            store.enqueue(notification("n" + i + "@example.com"), T0);
        }
        assertThat(store.claimDue(T0, 3, LEASE)).hasSize(3);
        assertThat(store.claimDue(T0, 3, LEASE)).hasSize(2);
        assertThatThrownBy(() -> store.claimDue(T0, 0, LEASE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLapsedClaim_letsAnotherWorkerClaim_andTheFirstCanNoLongerRecordAnOutcome() {
        store.enqueue(notification("crash@example.com"), T0);
        OutboxMessage crashed = store.claimDue(T0, 1, LEASE).get(0);

        assertThat(store.claimDue(T0.plus(LEASE).minusNanos(1000), 1, LEASE)).isEmpty();
        OutboxMessage retaken = store.claimDue(T0.plus(LEASE), 1, LEASE).get(0);

        assertThat(retaken.id()).isEqualTo(crashed.id());
        assertThat(retaken.attempts()).isEqualTo(2);
        assertThat(retaken.claimToken()).isNotEqualTo(crashed.claimToken());
        assertThat(store.markSent(crashed.id(), crashed.claimToken().orElseThrow(), T0)).isFalse();
        assertThat(store.markSent(retaken.id(), retaken.claimToken().orElseThrow(), T0.plus(LEASE))).isTrue();
    }

    @Test
    void markSent_recordsTheSend_andClearsTheClaim() {
        OutboxMessage m = store.enqueue(notification("sent@example.com"), T0);
        OutboxMessage claimed = store.claimDue(T0, 1, LEASE).get(0);

        assertThat(store.markSent(m.id(), "not-the-claim", T0)).isFalse();
        assertThat(store.markSent(m.id(), claimed.claimToken().orElseThrow(), T0.plusSeconds(2))).isTrue();
        assertThat(store.markSent(m.id(), claimed.claimToken().orElseThrow(), T0.plusSeconds(3))).as("once").isFalse();

        OutboxMessage sent = store.find(m.id()).orElseThrow();
        assertThat(sent.status()).isEqualTo(OutboxStatus.SENT);
        assertThat(sent.sentAt()).contains(T0.plusSeconds(2));
        assertThat(sent.claimToken()).isEmpty();
        assertThat(store.claimDue(T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
        assertThat(store.list(OutboxStatus.SENT, 10)).containsExactly(sent);
        assertThat(store.list(OutboxStatus.PENDING, 10)).isEmpty();
    }

    @Test
    void reschedule_makesTheMessageDueLater_withTheError_oneLineAndShort() {
        OutboxMessage m = store.enqueue(notification("later@example.com"), T0);
        OutboxMessage claimed = store.claimDue(T0, 1, LEASE).get(0);
        String error = "connection refused\r\nX-Injected: yes " + "x".repeat(1000);

        assertThat(store.reschedule(m.id(), claimed.claimToken().orElseThrow(), T0.plusSeconds(30), error)).isTrue();

        OutboxMessage waiting = store.find(m.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(waiting.dueAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(waiting.claimToken()).isEmpty();
        assertThat(waiting.lastError().orElseThrow()).startsWith("connection refused  X-Injected: yes")
                .hasSize(OutboxMessage.MAX_ERROR_LENGTH).doesNotContain("\r", "\n");
        assertThat(store.claimDue(T0.plusSeconds(29), 1, LEASE)).isEmpty();
        assertThat(store.claimDue(T0.plusSeconds(30), 1, LEASE)).extracting(OutboxMessage::attempts).containsExactly(2);
    }

    @Test
    void markFailed_givesTheMessageUp() {
        OutboxMessage m = store.enqueue(notification("bounce@example.com"), T0);
        OutboxMessage claimed = store.claimDue(T0, 1, LEASE).get(0);

        assertThat(store.markFailed(m.id(), claimed.claimToken().orElseThrow(), "550 no such user")).isTrue();

        OutboxMessage failed = store.find(m.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(OutboxStatus.FAILED);
        assertThat(failed.lastError()).contains("550 no such user");
        assertThat(store.claimDue(T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
        assertThat(store.reschedule(m.id(), claimed.claimToken().orElseThrow(), T0, "again")).isFalse();
        assertThat(store.list(OutboxStatus.FAILED, 10)).containsExactly(failed);
    }

    @Test
    void deleteFinishedBefore_keepsPendingMessages() {
        OutboxMessage sent = store.enqueue(notification("s@example.com"), T0);
        OutboxMessage failed = store.enqueue(notification("f@example.com"), T0);
        OutboxMessage pending = store.enqueue(notification("p@example.com"), T0);
        List<OutboxMessage> claimed = store.claimDue(T0, 2, LEASE);
        store.markSent(sent.id(), claimed.get(0).claimToken().orElseThrow(), T0);
        store.markFailed(failed.id(), claimed.get(1).claimToken().orElseThrow(), "gone");

        assertThat(store.deleteFinishedBefore(T0)).isZero();
        assertThat(store.deleteFinishedBefore(T0.plusSeconds(1))).isEqualTo(2);

        assertThat(store.find(sent.id())).isEmpty();
        assertThat(store.find(failed.id())).isEmpty();
        assertThat(store.find(pending.id())).isPresent();
    }

    @Test
    void concurrentWorkers_claimEachMessageExactlyOnce() throws Exception {
        int messages = 40;
        Set<Long> queued = new java.util.HashSet<>();
        for (int i = 0; i < messages; i++) {
            queued.add(store.enqueue(notification("m" + i + "@example.com"), T0).id());
        }

        List<List<Long>> claimedByWorker = Races.race(THREADS, i -> {
            List<Long> mine = new ArrayList<>();
            List<OutboxMessage> batch;
            while (!(batch = store.claimDue(T0, 3, LEASE)).isEmpty()) {
                for (OutboxMessage m : batch) {
                    mine.add(m.id());
                    assertThat(store.markSent(m.id(), m.claimToken().orElseThrow(), T0)).isTrue();
                }
            }
            return mine;
        }).stream().map(Races.Outcome::value).toList();

        List<Long> all = claimedByWorker.stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates().hasSize(messages);
        assertThat(all.stream().collect(Collectors.toSet())).isEqualTo(queued);
        assertThat(store.list(OutboxStatus.SENT, 100)).hasSize(messages)
                .allSatisfy(m -> assertThat(m.attempts()).isEqualTo(1));
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> store.enqueue(null, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.enqueue(notification("a@example.com"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.claimDue(T0, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.markSent(1, null, T0)).isInstanceOf(NullPointerException.class);
        assertThat(store.list(OutboxStatus.PENDING, 10)).isEmpty();
    }
}
