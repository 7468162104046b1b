package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.event.InMemoryAuditLog;
import dev.gatehouse.limit.InMemoryCounterStore;
import dev.gatehouse.mail.InMemoryOutboxStore;
import dev.gatehouse.session.InMemorySessionDataStore;
import dev.gatehouse.session.InMemorySessionStore;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.twofactor.InMemorySecondFactorStore;
import dev.gatehouse.user.InMemoryExternalIdentityStore;
import dev.gatehouse.user.InMemoryPasskeyStore;
import dev.gatehouse.user.InMemoryUserStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Stores left in memory are named in one start-up warning (slf4j-simple logs to standard error in
 * tests), so a forgotten store next to a database is noticed.
 */
class MemoryStoresWarningTest {

    /** Stand-ins for a database's stores: given explicitly, so Gatehouse does not default them. */
    private static final Stores DATABASE = new Stores() {
        private final InMemoryUserStore users = new InMemoryUserStore(Clock.systemUTC());
        private final InMemorySessionStore sessions = new InMemorySessionStore();
        private final InMemoryCounterStore counters = new InMemoryCounterStore();
        private final InMemoryOutboxStore outbox = new InMemoryOutboxStore();
        private final InMemoryAuditLog auditLog = new InMemoryAuditLog();
        private final InMemoryExternalIdentityStore externalIdentities = new InMemoryExternalIdentityStore(users);
        private final InMemorySessionDataStore sessionData = new InMemorySessionDataStore();
        private final InMemoryPasskeyStore passkeys = new InMemoryPasskeyStore(users);
        private final InMemorySecondFactorStore secondFactors = new InMemorySecondFactorStore(users);

        @Override
        public InMemoryUserStore users() {
            return users;
        }

        @Override
        public InMemorySessionStore sessions() {
            return sessions;
        }

        @Override
        public InMemoryCounterStore counters() {
            return counters;
        }

        @Override
        public InMemoryOutboxStore outbox() {
            return outbox;
        }

        @Override
        public InMemoryAuditLog auditLog() {
            return auditLog;
        }

        @Override
        public InMemoryExternalIdentityStore externalIdentities() {
            return externalIdentities;
        }

        @Override
        public InMemorySessionDataStore sessionData() {
            return sessionData;
        }

        @Override
        public InMemoryPasskeyStore passkeys() {
            return passkeys;
        }

        @Override
        public InMemorySecondFactorStore secondFactors() {
            return secondFactors;
        }
    };

    @Test
    void no_warning_when_every_store_is_given_in_one_call() {
        assertThat(warningsBuilding(b -> b.stores(DATABASE))).isEmpty();
    }

    @Test
    void one_line_names_the_stores_left_in_memory_next_to_a_database() {
        List<String> warnings = warningsBuilding(b -> b.store(DATABASE.users()).sessionStore(DATABASE.sessions())
                .auditLog(DATABASE.auditLog()));

        assertThat(warnings).singleElement().asString()
                .contains("WARN")
                .contains("Kept in memory although other stores are on a database")
                .endsWith(": counters, outbox, external identities, session data, passkeys, second factors");
    }

    @Test
    void one_line_without_any_database() {
        List<String> warnings = warningsBuilding(b -> b);

        assertThat(warnings).singleElement().asString()
                .contains("No database configured: users, sessions, counters, outbox, audit log, external identities, session data, passkeys, second factors are kept in memory");
    }

    private static List<String> warningsBuilding(UnaryOperator<Gatehouse.Builder> stores) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Gatehouse.Builder builder = Gatehouse.builder().passwordHasher(TestGatehouse.CHEAP_HASHER)
                    .config(c -> c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)));
            stores.apply(builder).build().close();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(Gatehouse.class.getName()) && line.contains("WARN")).toList();
    }
}
