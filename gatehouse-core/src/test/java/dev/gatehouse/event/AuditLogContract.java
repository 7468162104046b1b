package dev.gatehouse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.request.ClientInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditLog} must have. The in-memory log and the JDBC log on H2,
 * PostgreSQL and MariaDB run it; each subclass supplies an empty log and users to record events of.
 */
public abstract class AuditLogContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    protected static final ClientInfo CLIENT = ClientInfo.of("203.0.113.9", "Mozilla/5.0 (X11; Linux) Firefox/140.0");

    protected AuditLog log;

    /** A log with no entries. */
    protected abstract AuditLog newLog();

    /** The id of a user the log may record events of (database logs need the user to exist). */
    protected abstract long newUser(String email);

    @BeforeEach
    void freshLog() {
        log = newLog();
    }

    private static EventContext at(Instant at, long userId) {
        return EventContext.of(at, userId, CLIENT);
    }

    @Test
    void record_keepsTimeUserTypeClientAndDetails() {
        long alice = newUser("alice@example.com");

        AuditEntry entry = log.record(new AccountEvent.EmailChanged(at(T0.plusNanos(789), alice),
                "old@example.com", "new@example.com"));

        assertThat(entry.id()).isPositive();
        assertThat(entry.at()).isEqualTo(T0);
        assertThat(entry.userId()).contains(alice);
        assertThat(entry.type()).isEqualTo("change_email_confirmed");
        assertThat(entry.ip()).contains("203.0.113.9");
        assertThat(entry.userAgent()).contains("Mozilla/5.0 (X11; Linux) Firefox/140.0");
        assertThat(entry.details()).containsExactly(Map.entry("new_email", "new@example.com"),
                Map.entry("old_email", "old@example.com"));
        assertThat(log.forUser(alice, 10, Optional.empty())).containsExactly(entry);
    }

    @Test
    void forUser_listsOneUsersEntries_newestFirst_pageByPage() {
        long alice = newUser("alice@example.com");
        long bob = newUser("bob@example.com");
        for (int i = 0; i < 5; i++) {
            log.record(new AccountEvent.UserAuthenticated(at(T0.plusSeconds(i), alice)));
            log.record(new AccountEvent.UserAuthenticated(at(T0.plusSeconds(i), bob)));
        }
        log.record(new AccountEvent.AuthenticationFailed(EventContext.anonymous(T0, CLIENT), "USER_DOES_NOT_EXIST"));

        List<AuditEntry> first = log.forUser(alice, 2, Optional.empty());
        List<AuditEntry> second = log.forUser(alice, 2, Optional.of(first.get(1).id()));
        List<AuditEntry> third = log.forUser(alice, 2, Optional.of(second.get(1).id()));

        assertThat(first).extracting(AuditEntry::at).containsExactly(T0.plusSeconds(4), T0.plusSeconds(3));
        assertThat(second).extracting(AuditEntry::at).containsExactly(T0.plusSeconds(2), T0.plusSeconds(1));
        assertThat(third).extracting(AuditEntry::at).containsExactly(T0);
        assertThat(List.of(first, second, third)).allSatisfy(page ->
                assertThat(page).allSatisfy(e -> assertThat(e.userId()).contains(alice)));
        assertThat(log.forUser(alice, 500, Optional.empty())).hasSize(5);
        assertThat(log.forUser(Long.MAX_VALUE, 10, Optional.empty())).isEmpty();
    }

    @Test
    void eventsWithoutAUser_areRecordedWithoutOne() {
        AuditEntry entry = log.record(new AccountEvent.AuthenticationFailed(EventContext.anonymous(T0, CLIENT),
                "USER_DOES_NOT_EXIST"));

        assertThat(entry.userId()).isEmpty();
        assertThat(entry.details()).containsExactly(Map.entry("reason", "USER_DOES_NOT_EXIST"));
    }

    @Test
    void clientValues_areCleanedAndCut_soNoLogLineCanBeForged() {
        long alice = newUser("alice@example.com");
        ClientInfo hostile = ClientInfo.of("not an address\n", "Agent\r\nX-Forged: 1" + "a".repeat(1000) + "\uD800");

        AuditEntry entry = log.record(new AccountEvent.UserAuthenticated(new EventContext(T0, Optional.of(alice), hostile)));

        assertThat(entry.ip()).as("an unstorable address is dropped").isEmpty();
        assertThat(entry.userAgent().orElseThrow()).startsWith("Agent  X-Forged: 1").doesNotContain("\r", "\n")
                .hasSize(AuditEntry.MAX_USER_AGENT_LENGTH);
        assertThat(log.forUser(alice, 1, Optional.empty())).containsExactly(entry);
    }

    @Test
    void deleteBefore_removesOldEntries() {
        long alice = newUser("alice@example.com");
        log.record(new AccountEvent.UserAuthenticated(at(T0, alice)));
        log.record(new AccountEvent.UserAuthenticated(at(T0.plusSeconds(10), alice)));

        assertThat(log.deleteBefore(T0)).isZero();
        assertThat(log.deleteBefore(T0.plusSeconds(10))).isEqualTo(1);

        assertThat(log.forUser(alice, 10, Optional.empty())).extracting(AuditEntry::at).containsExactly(T0.plusSeconds(10));
    }

    @Test
    void pageSizes_areChecked() {
        assertThatThrownBy(() -> log.forUser(1, 0, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.forUser(1, AuditLog.MAX_PAGE + 1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.record(null)).isInstanceOf(NullPointerException.class);
    }
}
