package dev.gatehouse.lifecycle;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.password.HashingWork;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A Gatehouse for flow tests: in-memory stores, a hand-moved clock, a mailbox, recorded events. */
final class Fixture {

    static final String SITE = "https://app.example.com";
    static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    static final String PASSWORD = "correct horse battery";

    final HashingWork work = new HashingWork();
    final List<AccountEvent> events = new CopyOnWriteArrayList<>();
    final TestGatehouse t;
    final Gatehouse gatehouse;
    final MutableClock clock;
    final Mailbox mail;

    Fixture(Consumer<GatehouseConfig.Builder> config) {
        this(config, b -> { });
    }

    Fixture(Consumer<GatehouseConfig.Builder> config, Consumer<Gatehouse.Builder> parts) {
        this.t = new TestGatehouse(c -> {
            c.set(EXTERNAL_URL, SITE);
            config.accept(c);
        }, b -> {
            b.passwordHasher(work.hasher()).listener(events::add);
            parts.accept(b);
        });
        this.gatehouse = t.gatehouse;
        this.clock = t.clock;
        this.mail = new Mailbox(gatehouse);
    }

    /** A confirmed user with {@link #PASSWORD}. */
    User user(String email) {
        return gatehouse.users().createUser(NewUser.builder(email).passwordHash(gatehouse.passwords().hash(PASSWORD))
                .confirmedAt(Instant.EPOCH).build());
    }

    User reload(User user) {
        return gatehouse.users().findUserById(user.id()).orElseThrow();
    }

    /** The types of the events so far, and forgets them. */
    List<String> eventTypes() {
        List<String> types = events.stream().map(AccountEvent::type).toList();
        events.clear();
        return types;
    }
}
