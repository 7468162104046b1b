package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static dev.gatehouse.lifecycle.Fixture.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.AuditLog;
import dev.gatehouse.event.InMemoryAuditLog;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.InMemoryCounterStore;
import dev.gatehouse.mail.InMemoryOutboxStore;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.mail.OutboxStore;
import dev.gatehouse.user.NewUser;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: {@code /reset} and {@code /us-signin/send-code} answered measurably faster for an
 * unknown address (z ≈ 4–6 over 300 samples), because only a known one wrote an audit entry and
 * signed a link. With generic responses both paths now make the same calls to the stores — rate
 * counters, outbox, audit log — in the same order, and queue an email with as many sealed
 * (encrypted) entries; this test fails if one path does more. (Token signing is visible in
 * {@link UnknownAccounts}.) No clock is read: the proof is the sequence of work, not a timing.
 */
class SendPathsTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Fixture f = new Fixture(c -> c.set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true).set(CONFIRMABLE, true)
            .set(USERNAME_ENABLE, true).set(USERNAME_RECOVERY, true).set(RETURN_GENERIC_RESPONSES, true), b -> b
            .outboxStore(recorded(OutboxStore.class, new InMemoryOutboxStore()))
            .auditLog(recorded(AuditLog.class, new InMemoryAuditLog()))
            .counterStore(recorded(CounterStore.class, new InMemoryCounterStore())));

    @Test
    void a_reset_request_does_the_same_store_work_for_an_unknown_address() {
        f.user("alice@example.com");

        assertSameWork(address -> f.gatehouse.recovery().requestReset(address, CLIENT));
    }

    @Test
    void a_sign_in_code_request_does_the_same_store_work_for_an_unknown_address() {
        f.user("alice@example.com");

        assertSameWork(address -> f.gatehouse.passwordless().sendCode(address, CLIENT));
    }

    @Test
    void a_confirmation_request_does_the_same_store_work_for_an_unknown_address() {
        f.gatehouse.users().createUser(NewUser.builder("alice@example.com").build());

        assertSameWork(address -> f.gatehouse.confirmation().sendConfirmation(address, CLIENT));
    }

    @Test
    void a_username_reminder_does_the_same_store_work_for_an_unknown_address() {
        f.gatehouse.users().createUser(NewUser.builder("alice@example.com").username("alice").build());

        assertSameWork(address -> f.gatehouse.usernames().recoverUsername(address, CLIENT));
    }

    private void assertSameWork(Consumer<String> request) {
        request.accept("alice@example.com");
        List<String> known = List.copyOf(calls);
        calls.clear();
        request.accept("nobody@example.com");
        List<String> unknown = List.copyOf(calls);

        assertThat(known).contains("AuditLog.record").anyMatch(call -> call.startsWith("OutboxStore.enqueue sealed:"));
        assertThat(unknown).as("the unknown address's calls").isEqualTo(known);
    }

    /** {@code target}, recording each call as Interface.method. */
    private <T> T recorded(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                String call = type.getSimpleName() + "." + method.getName();
                if (args != null && args[0] instanceof Notification mail) {
                    // Sealing links and codes is most of queueing's CPU time: the same number each way.
                    call += " sealed:" + mail.model().keySet().stream().filter(Notification::isSecret).count();
                }
                calls.add(call);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
