package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Session cookies over a shared (database) store: checked without a store read on every request,
 * ended at once by this node, within {@link SessionFamilies#CACHE_FOR} by another.
 */
class RecentSessionsTest {

    private final TestGatehouse t = new TestGatehouse();
    private final User alice = t.user("alice@example.com", "correct horse battery");
    private final CountingSessionStore shared = new CountingSessionStore(new InMemorySessionStore());
    private final SessionFamilies families = new SessionFamilies(shared, new InMemorySessionDataStore(), t.clock,
            Duration.ofMinutes(30));
    private final Sessions sessions = new Sessions(families.store(), t.gatehouse.users(), t.clock, Duration.ofMinutes(30),
            Duration.ofHours(12), Duration.ofDays(30));

    @Test
    void a_session_cookie_is_read_from_the_store_once_per_cache_time() {
        IssuedSession session = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);

        for (int i = 0; i < 5; i++) {
            assertThat(sessions.resume(session.secret())).isPresent();
        }
        assertThat(shared.finds).as("one read, then memory").hasValue(1);

        t.clock.advance(SessionFamilies.CACHE_FOR);
        assertThat(sessions.resume(session.secret())).isPresent();
        assertThat(shared.finds).hasValue(2);
    }

    @Test
    void a_session_ended_on_this_node_ends_at_once() {
        IssuedSession one = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        IssuedSession two = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        IssuedSession three = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        assertThat(sessions.resume(one.secret())).isPresent();
        assertThat(sessions.resume(two.secret())).isPresent();
        assertThat(sessions.resume(three.secret())).isPresent();

        families.store().delete(one.record().id());
        families.store().deleteFamily(two.record().familyId());

        assertThat(sessions.resume(one.secret())).as("logout").isEmpty();
        assertThat(sessions.resume(two.secret())).as("the sign-in ended").isEmpty();
        assertThat(sessions.resume(three.secret())).isPresent();

        families.store().deleteAllForUser(alice.id());
        assertThat(sessions.resume(three.secret())).as("sign out everywhere, password change").isEmpty();
    }

    @Test
    void a_session_ended_on_another_node_stops_here_within_the_cache_time() {
        IssuedSession session = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        assertThat(sessions.resume(session.secret())).isPresent();

        shared.delegate.deleteFamily(session.record().familyId()); // as another node sharing the store would

        assertThat(sessions.resume(session.secret())).as("still remembered").isPresent();
        t.clock.advance(SessionFamilies.CACHE_FOR);
        assertThat(sessions.resume(session.secret())).isEmpty();
    }

    @Test
    void unknown_cookies_are_not_remembered_so_a_session_started_elsewhere_is_found_at_once() {
        IssuedSession elsewhere = new Sessions(shared.delegate, t.gatehouse.users(), t.clock, Duration.ofMinutes(30),
                Duration.ofHours(12), Duration.ofDays(30)).start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);

        assertThat(sessions.resume("no-such-session-secret")).isEmpty();
        assertThat(sessions.resume("no-such-session-secret")).isEmpty();
        assertThat(shared.finds).as("every unknown cookie asks the store").hasValue(2);
        assertThat(sessions.resume(elsewhere.secret())).isPresent();
    }

    @Test
    void a_record_about_to_go_idle_is_always_read_again() {
        // Two seconds idle allowed; used 100 ms ago, so not touched again (every 200 ms) and 1.9 s
        // from its idle deadline: a use on another node in between must not be missed.
        SessionFamilies tight = new SessionFamilies(shared, new InMemorySessionDataStore(), t.clock, Duration.ofSeconds(2));
        Sessions quick = new Sessions(tight.store(), t.gatehouse.users(), t.clock, Duration.ofSeconds(2),
                Duration.ofHours(12), Duration.ofDays(30));
        IssuedSession session = quick.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        t.clock.advance(Duration.ofMillis(100));

        assertThat(quick.resume(session.secret())).isPresent();
        assertThat(quick.resume(session.secret())).isPresent();
        assertThat(shared.finds).as("within the cache time of its idle deadline: never reused").hasValue(2);
    }

    @Test
    void a_store_in_memory_is_not_cached_twice() {
        CountingSessionStore memory = new CountingSessionStore(new InMemorySessionStore());
        SessionFamilies plain = new SessionFamilies(memory, new InMemorySessionDataStore(), t.clock);
        Sessions direct = new Sessions(plain.store(), t.gatehouse.users(), t.clock, Duration.ofMinutes(30),
                Duration.ofHours(12), Duration.ofDays(30));
        IssuedSession session = direct.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);

        direct.resume(session.secret());
        direct.resume(session.secret());

        assertThat(memory.finds).as("no idle timeout given: no cache").hasValue(2);
    }
}
