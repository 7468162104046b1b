package dev.gatehouse.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The audit contract on the in-memory log, plus its capacity. */
class InMemoryAuditLogTest extends AuditLogContract {

    private final AtomicLong ids = new AtomicLong();

    @Override
    protected AuditLog newLog() {
        return new InMemoryAuditLog();
    }

    @Override
    protected long newUser(String email) {
        return ids.incrementAndGet();
    }

    @Test
    void keeps_only_the_most_recent_entries() {
        InMemoryAuditLog small = new InMemoryAuditLog(3);
        for (int i = 0; i < 5; i++) {
            small.record(new AccountEvent.UserAuthenticated(EventContext.of(T0.plusSeconds(i), 7, CLIENT)));
        }

        assertThat(small.forUser(7, 10, Optional.empty())).extracting(AuditEntry::id).containsExactly(5L, 4L, 3L);
    }
}
