package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserChangeFeed;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every write through any JdbcUserStore is logged, and a subscriber hears of each change once. */
class JdbcUserChangeFeedTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    private static final class Recorder implements UserChangeFeed.Listener {
        final List<Long> users = new CopyOnWriteArrayList<>();
        final AtomicInteger everything = new AtomicInteger();

        @Override
        public void userChanged(long userId) {
            users.add(userId);
        }

        @Override
        public void everythingChanged() {
            everything.incrementAndGet();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void changes_made_through_another_store_instance_are_reported_once_each() throws Exception {
        JdbcUserStore watched = JdbcUserStore.builder(DATABASE.dataSource()).changePollInterval(Duration.ofMillis(20)).build();
        JdbcUserStore other = JdbcUserStore.create(DATABASE.dataSource());
        User user = other.createUser(NewUser.builder("feed@example.com").build());
        Recorder recorder = new Recorder();

        try (AutoCloseable subscription = watched.changeFeed().orElseThrow().subscribe(recorder)) {
            other.deactivate(user.id());
            other.activate(user.id());
            other.rotateSecurityStamp(user.id());
            await(() -> recorder.users.size() >= 3);
            Thread.sleep(200); // several more polls: nothing may be reported twice
            assertThat(recorder.users).containsExactly(user.id(), user.id(), user.id());
            assertThat(recorder.everything).hasValue(0);

            other.createRole(new Role("Auditor", "", Set.of("read")));
            other.updateRole(new Role("Auditor", "", Set.of("read", "write")));
            await(() -> recorder.everything.get() >= 1);
            assertThat(recorder.everything).hasValue(1);

            other.deleteUser(user.id());
            await(() -> recorder.users.size() >= 4);
            assertThat(recorder.users).hasSize(4).last().isEqualTo(user.id());
        }
    }

    @Test
    void a_write_that_changes_nothing_logs_nothing() throws Exception {
        JdbcUserStore store = JdbcUserStore.builder(DATABASE.dataSource()).changePollInterval(Duration.ofMillis(20)).build();
        User user = store.createUser(NewUser.builder("nochange@example.com").build());
        Recorder recorder = new Recorder();
        try (AutoCloseable subscription = store.changeFeed().orElseThrow().subscribe(recorder)) {
            assertThat(store.activate(user.id())).isFalse();
            store.deactivate(user.id());
            await(() -> !recorder.users.isEmpty());
            Thread.sleep(100);
            assertThat(recorder.users).containsExactly(user.id());
        }
    }

    @Test
    void after_closing_the_subscription_nothing_more_is_reported() throws Exception {
        JdbcUserStore store = JdbcUserStore.builder(DATABASE.dataSource()).changePollInterval(Duration.ofMillis(20)).build();
        User user = store.createUser(NewUser.builder("closed@example.com").build());
        Recorder recorder = new Recorder();
        store.changeFeed().orElseThrow().subscribe(recorder).close();
        store.deactivate(user.id());
        Thread.sleep(150);
        assertThat(recorder.users).isEmpty();
    }
}
