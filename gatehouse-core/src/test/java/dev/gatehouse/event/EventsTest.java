package dev.gatehouse.event;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EventsTest {

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final String PASSWORD = "correct horse battery";

    @Test
    void listeners_hear_of_a_change_only_once_it_is_stored() {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestGatehouse[] holder = new TestGatehouse[1];
        TestGatehouse t = new TestGatehouse(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(EXTERNAL_URL, "https://app.example.com"),
                b -> b.listener(event -> {
                    // What the event reports is already in the store when the listener runs.
                    User stored = holder[0].gatehouse.users().findUserById(event.userId().orElseThrow()).orElseThrow();
                    seen.add(event.type() + (stored.confirmedAt().isPresent() ? " confirmed" : " unconfirmed"));
                }));
        holder[0] = t;
        Mailbox mail = new Mailbox(t.gatehouse);

        t.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD).build(), CLIENT);
        t.gatehouse.confirmation().confirm(mail.only().token("confirmation_link"), CLIENT);

        assertThat(seen).containsExactly("user_registered unconfirmed", "confirm_instructions_sent unconfirmed",
                "user_confirmed confirmed");
    }

    @Test
    void a_failing_listener_breaks_neither_the_flow_nor_the_other_listeners_nor_the_audit_log() {
        List<AccountEvent> after = new ArrayList<>();
        TestGatehouse t = new TestGatehouse(c -> c.set(REGISTERABLE, true), b -> b
                .listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(after::add));

        t.gatehouse.registration().register(Registration.builder("a@example.com", PASSWORD).build(), CLIENT);

        User user = t.gatehouse.users().findUserByEmail("a@example.com").orElseThrow();
        assertThat(after).extracting(AccountEvent::type).containsExactly("user_registered");
        assertThat(t.gatehouse.auditLog().forUser(user.id(), 10, Optional.empty()))
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo("user_registered");
                    assertThat(e.ip()).contains("198.51.100.7");
                    assertThat(e.userAgent()).contains("JUnit/5");
                    assertThat(e.details()).containsEntry("email", "a@example.com");
                });
    }

    @Test
    void a_failed_flow_publishes_nothing() {
        List<AccountEvent> heard = new ArrayList<>();
        TestGatehouse t = new TestGatehouse(c -> c.set(REGISTERABLE, true), b -> b.listener(heard::add));

        try {
            t.gatehouse.registration().register(Registration.builder("a@example.com", "short").build(), CLIENT);
        } catch (dev.gatehouse.error.InvalidInputException expected) {
            // the password policy refused it
        }

        assertThat(heard).isEmpty();
    }

    @Test
    void events_carry_no_secrets() {
        AccountEvent.UserRegistered event = new AccountEvent.UserRegistered(EventContext.of(TestGatehouse.START, 1, CLIENT),
                "a@example.com", true);
        assertThat(event.details()).containsOnlyKeys("email", "confirmation_required");
        assertThat(new Events(List.of()).listeners()).isEmpty();
    }
}
