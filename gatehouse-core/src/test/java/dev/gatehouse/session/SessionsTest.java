package dev.gatehouse.session;

import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.config.Settings.SESSION_IDLE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private final TestGatehouse t = new TestGatehouse(c -> c
            .set(SESSION_IDLE_TIMEOUT, Duration.ofMinutes(30))
            .set(SESSION_ABSOLUTE_TIMEOUT, Duration.ofHours(12))
            .set(REMEMBER_COOKIE_DURATION, Duration.ofDays(30)));
    private final Sessions sessions = t.gatehouse.sessions();
    private final User alice = t.user("alice@example.com", "correct horse battery");
    private final ClientInfo client = ClientInfo.of("192.0.2.1", "JUnit");

    @Test
    void a_started_session_resumes_with_its_user_and_is_fresh() {
        IssuedSession issued = sessions.start(alice, false, Optional.empty(), client);

        Authentication auth = sessions.resume(issued.secret()).orElseThrow();
        assertThat(auth.user().id()).isEqualTo(alice.id());
        assertThat(auth.mechanism()).isEqualTo(Mechanism.SESSION);
        assertThat(auth.isFreshWithin(Duration.ofMinutes(1), t.clock.instant())).isTrue();
        assertThat(issued.rememberSecret()).isEmpty();
    }

    @Test
    void the_store_keeps_only_the_digest_of_the_cookie_value() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);

        assertThat(issued.secret()).hasSizeGreaterThanOrEqualTo(43); // 256 bits, base64url
        assertThat(issued.record().id()).isEqualTo(OneTimeSecret.digestOf(issued.secret())).isNotEqualTo(issued.secret());
        assertThat(sessions.store().find(issued.secret())).isEmpty();
        assertThat(sessions.store().listForUser(alice.id()))
                .extracting(SessionRecord::id)
                .doesNotContain(issued.secret(), issued.rememberSecret().orElseThrow());
    }

    @Test
    void every_start_gets_a_new_random_id() {
        IssuedSession a = sessions.start(alice, false, Optional.empty(), client);
        IssuedSession b = sessions.start(alice, false, Optional.empty(), client);
        assertThat(a.secret()).isNotEqualTo(b.secret());
        assertThat(a.record().familyId()).isNotEqualTo(b.record().familyId());
    }

    @Test
    void unknown_garbage_and_oversized_cookies_resume_nothing() {
        assertThat(sessions.resume("nope")).isEmpty();
        assertThat(sessions.resume("")).isEmpty();
        assertThat(sessions.resume("x".repeat(10_000))).isEmpty();
    }

    @Test
    void an_idle_session_ends_and_use_keeps_it_alive() {
        IssuedSession issued = sessions.start(alice, false, Optional.empty(), client);
        for (int i = 0; i < 6; i++) {
            t.clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.resume(issued.secret())).as("used every 20 minutes").isPresent();
        }
        t.clock.advance(Duration.ofMinutes(31));
        assertThat(sessions.resume(issued.secret())).isEmpty();
        assertThat(sessions.store().find(issued.record().id())).as("deleted on the way").isEmpty();
    }

    @Test
    void a_session_ends_at_its_absolute_lifetime_however_active() {
        IssuedSession issued = sessions.start(alice, false, Optional.empty(), client);
        for (int i = 0; i < 47; i++) {
            t.clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.resume(issued.secret())).isPresent();
        }
        t.clock.advance(Duration.ofMinutes(15)); // 12h in all
        assertThat(sessions.resume(issued.secret())).isEmpty();
    }

    @Test
    void deactivating_the_user_or_rotating_the_stamp_ends_the_session() {
        IssuedSession first = sessions.start(alice, true, Optional.empty(), client);
        t.gatehouse.users().deactivate(alice.id());
        assertThat(sessions.resume(first.secret())).isEmpty();
        assertThat(sessions.restore(first.rememberSecret().orElseThrow(), client)).isEmpty();

        t.gatehouse.users().activate(alice.id());
        IssuedSession second = sessions.start(t.gatehouse.users().findUserById(alice.id()).orElseThrow(), true,
                Optional.empty(), client);
        assertThat(sessions.resume(second.secret())).isPresent();
        t.gatehouse.users().rotateSecurityStamp(alice.id());
        assertThat(sessions.resume(second.secret())).isEmpty();
        assertThat(sessions.restore(second.rememberSecret().orElseThrow(), client)).isEmpty();
    }

    @Test
    void remember_me_restores_a_new_session_that_is_not_fresh() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        t.clock.advance(Duration.ofDays(2)); // the session itself is long gone
        assertThat(sessions.resume(issued.secret())).isEmpty();

        IssuedSession restored = sessions.restore(issued.rememberSecret().orElseThrow(), client).orElseThrow();
        assertThat(restored.secret()).isNotEqualTo(issued.secret());
        Authentication auth = sessions.resume(restored.secret()).orElseThrow();
        assertThat(auth.isFreshWithin(Duration.ofHours(1), t.clock.instant())).isFalse();
        assertThat(auth.authenticatedAt()).isEqualTo(TestGatehouse.START);
    }

    @Test
    void remember_me_expires_after_its_duration_and_can_be_shortened_per_sign_in() {
        IssuedSession issued = sessions.start(alice, true, Optional.of(Duration.ofDays(1)), client);
        t.clock.advance(Duration.ofHours(23));
        IssuedSession restored = sessions.restore(issued.rememberSecret().orElseThrow(), client).orElseThrow();
        assertThat(restored.rememberExpiresAt()).as("rotation keeps the grant's end").isEqualTo(issued.rememberExpiresAt());
        t.clock.advance(Duration.ofHours(2));
        assertThat(sessions.restore(restored.rememberSecret().orElseThrow(), client)).isEmpty();
    }

    @Test
    void each_restore_rotates_the_grant_and_the_new_value_restores_next_time() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        String first = issued.rememberSecret().orElseThrow();

        IssuedSession restored = sessions.restore(first, client).orElseThrow();
        String second = restored.rememberSecret().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        t.clock.advance(Duration.ofDays(1));
        IssuedSession again = sessions.restore(second, client).orElseThrow();

        assertThat(again.record().familyId()).isEqualTo(issued.record().familyId());
        assertThat(again.rememberSecret()).isPresent().isNotEqualTo(Optional.of(second));
        assertThat(sessions.store().find(OneTimeSecret.digestOf(first))).get()
                .as("the old value is kept, consumed, to recognise its reuse").extracting(SessionRecord::consumed).isEqualTo(true);
    }

    @Test
    void a_rotated_value_presented_after_the_grace_ends_the_whole_sign_in() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        String stolen = issued.rememberSecret().orElseThrow();
        IssuedSession thief = sessions.restore(stolen, client).orElseThrow(); // the thief uses it first
        t.clock.advance(Sessions.REMEMBER_REUSE_GRACE);

        assertThat(sessions.restore(stolen, client)).as("the victim's copy, later").isEmpty();

        assertThat(sessions.resume(thief.secret())).as("the thief's session").isEmpty();
        assertThat(sessions.restore(thief.rememberSecret().orElseThrow(), client)).as("the thief's new grant").isEmpty();
        assertThat(sessions.resume(issued.secret())).as("the original session").isEmpty();
    }

    @Test
    void within_the_grace_an_old_value_restores_a_session_without_rotating_or_revoking() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        String old = issued.rememberSecret().orElseThrow();
        IssuedSession first = sessions.restore(old, client).orElseThrow();
        t.clock.advance(Sessions.REMEMBER_REUSE_GRACE.minusSeconds(1));

        IssuedSession concurrent = sessions.restore(old, client).orElseThrow();

        assertThat(concurrent.rememberSecret()).as("the client keeps the value the first answer gave it").isEmpty();
        assertThat(sessions.resume(concurrent.secret())).isPresent();
        assertThat(sessions.resume(first.secret())).isPresent();
        assertThat(sessions.restore(first.rememberSecret().orElseThrow(), client)).isPresent();
    }

    @Test
    void logout_ends_the_session_and_its_remember_me_grant() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        SessionRecord record = sessions.resume(issued.secret()).orElseThrow().session().orElseThrow();

        sessions.end(record);

        assertThat(sessions.resume(issued.secret())).isEmpty();
        assertThat(sessions.restore(issued.rememberSecret().orElseThrow(), client)).isEmpty();
    }

    @Test
    void logout_of_a_restored_session_also_ends_the_grant_it_came_from() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        IssuedSession restored = sessions.restore(issued.rememberSecret().orElseThrow(), client).orElseThrow();
        sessions.end(sessions.resume(restored.secret()).orElseThrow().session().orElseThrow());
        assertThat(sessions.restore(issued.rememberSecret().orElseThrow(), client)).isEmpty();
    }

    @Test
    void renewing_after_reauthentication_changes_the_id_and_refreshes_freshness() {
        IssuedSession issued = sessions.start(alice, false, Optional.empty(), client);
        t.clock.advance(Duration.ofMinutes(25));
        Authentication before = sessions.resume(issued.secret()).orElseThrow();
        t.clock.advance(Duration.ofMinutes(5));

        IssuedSession renewed = sessions.renew(before.session().orElseThrow(), alice, client);

        assertThat(sessions.resume(issued.secret())).as("old id is dead").isEmpty();
        Authentication after = sessions.resume(renewed.secret()).orElseThrow();
        assertThat(after.authenticatedAt()).isEqualTo(t.clock.instant());
        assertThat(after.session().orElseThrow().familyId()).isEqualTo(before.session().orElseThrow().familyId());
    }

    @Test
    void end_all_signs_a_user_out_everywhere_and_list_shows_live_sessions_only() {
        sessions.start(alice, true, Optional.empty(), client);
        sessions.start(alice, false, Optional.empty(), client);
        User bob = t.user("bob@example.com", "another password");
        IssuedSession bobs = sessions.start(bob, false, Optional.empty(), client);

        assertThat(sessions.list(alice.id())).hasSize(2).allMatch(r -> r.ip().equals(Optional.of("192.0.2.1")));
        assertThat(sessions.endAll(alice.id())).isEqualTo(3);
        assertThat(sessions.list(alice.id())).isEmpty();
        assertThat(sessions.resume(bobs.secret())).isPresent();
    }

    @Test
    void a_stale_start_is_never_fresh() {
        IssuedSession issued = sessions.startStale(alice, false, Optional.empty(), client);
        assertThat(sessions.resume(issued.secret()).orElseThrow().isFreshWithin(Duration.ofDays(3650), t.clock.instant()))
                .isFalse();
    }

    @Test
    void purging_deletes_session_grant_and_refresh_records_once_their_lifetime_is_over_asvs_14_2_4() {
        IssuedSession signIn = sessions.start(alice, true, Optional.empty(), client); // session 12 h, grant 30 days
        // refresh family 30 days
        t.gatehouse.refreshTokens().issue(alice, t.clock.instant(), signIn.record().familyId(), client);
        assertThat(t.gatehouse.purgeExpired().sessions()).isZero();

        t.clock.advance(Duration.ofHours(12));
        assertThat(t.gatehouse.purgeExpired().sessions()).as("the session, at its absolute timeout").isEqualTo(1);
        assertThat(sessions.store().listForUser(alice.id())).extracting(SessionRecord::kind)
                .containsExactlyInAnyOrder(SessionKind.REMEMBER_ME, SessionKind.REFRESH_TOKEN);

        t.clock.advance(Duration.ofDays(30));
        assertThat(t.gatehouse.purgeExpired().sessions()).as("the grant and the refresh token").isEqualTo(2);
        assertThat(sessions.store().listForUser(alice.id())).as("nothing left with the client's address").isEmpty();
    }

    @Test
    void sign_ins_group_a_family_and_ending_one_leaves_other_users_families_alone_asvs_7_5_2() {
        User bob = t.user("bob@example.com", "correct horse battery");
        IssuedSession remembered = sessions.start(alice, true, Optional.empty(), client);
        IssuedSession other = sessions.start(alice, false, Optional.empty(), ClientInfo.of("198.51.100.9", "Phone"));
        IssuedSession bobs = sessions.start(bob, false, Optional.empty(), client);

        assertThat(sessions.signIns(alice)).hasSize(2).anySatisfy(s -> {
            assertThat(s.familyId()).isEqualTo(remembered.record().familyId());
            assertThat(s.kinds()).containsExactlyInAnyOrder(SessionKind.SESSION, SessionKind.REMEMBER_ME);
            assertThat(s.kind()).isEqualTo(SessionKind.SESSION);
        });
        assertThat(sessions.endSignIn(alice.id(), bobs.record().familyId())).as("not alice's").isZero();
        assertThat(sessions.resume(bobs.secret())).isPresent();

        assertThat(sessions.endSignIn(alice.id(), remembered.record().familyId())).isEqualTo(2);
        assertThat(sessions.restore(remembered.rememberSecret().orElseThrow(), client)).isEmpty();
        assertThat(sessions.signIns(alice)).singleElement()
                .satisfies(s -> assertThat(s.ip()).contains("198.51.100.9"));
        assertThat(sessions.resume(other.secret())).isPresent();
    }

    @Test
    void a_session_secret_is_not_a_remember_me_grant_and_a_grant_is_not_a_session() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);

        assertThat(sessions.restore(issued.secret(), client)).as("session cookie as remember cookie").isEmpty();
        assertThat(sessions.resume(issued.rememberSecret().orElseThrow())).as("grant as session cookie").isEmpty();
        assertThat(sessions.resume(issued.secret())).isPresent();
    }

    @Test
    void a_remember_me_lifetime_that_is_not_positive_falls_back_to_the_configured_one() {
        for (Duration odd : new Duration[] {Duration.ZERO, Duration.ofDays(-1)}) {
            IssuedSession issued = sessions.start(alice, true, Optional.of(odd), client);
            SessionRecord grant = sessions.store().findBySecret(issued.rememberSecret().orElseThrow(), SessionKind.REMEMBER_ME)
                    .orElseThrow();
            assertThat(grant.expiresAt()).as("%s", odd).isEqualTo(t.clock.instant().plus(Duration.ofDays(30)));
        }
    }

    @Test
    void restoring_records_when_the_grant_was_last_used() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        t.clock.advance(Duration.ofDays(3));

        sessions.restore(issued.rememberSecret().orElseThrow(), client).orElseThrow();

        assertThat(sessions.store().findBySecret(issued.rememberSecret().orElseThrow(), SessionKind.REMEMBER_ME)
                .orElseThrow().lastUsedAt()).isEqualTo(t.clock.instant());
    }

    @Test
    void ending_by_remember_me_cookie_ends_the_whole_family_and_ignores_anything_else() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);
        IssuedSession other = sessions.start(alice, false, Optional.empty(), client);

        sessions.endRemembered(issued.secret());
        assertThat(sessions.resume(issued.secret())).as("a session secret is no grant").isPresent();
        sessions.endRemembered(issued.rememberSecret().orElseThrow());

        assertThat(sessions.resume(issued.secret())).isEmpty();
        assertThat(sessions.restore(issued.rememberSecret().orElseThrow(), client)).isEmpty();
        assertThat(sessions.resume(other.secret())).as("another family").isPresent();
    }

    @Test
    void logout_is_published_with_the_client_the_session_was_started_for() {
        List<AccountEvent> events = new ArrayList<>();
        TestGatehouse withListener = new TestGatehouse(c -> { }, b -> b.listener(events::add));
        User bob = withListener.user("bob@example.com", "another password");
        IssuedSession issued = withListener.gatehouse.sessions().start(bob, false, Optional.empty(), client);
        events.clear();

        withListener.gatehouse.sessions().end(issued.record());

        assertThat(events).singleElement().isInstanceOfSatisfying(AccountEvent.UserLoggedOut.class, e -> {
            assertThat(e.userId()).contains(bob.id());
            assertThat(e.type()).isEqualTo("user_logged_out");
        });
    }

    @Test
    void use_is_recorded_often_enough_for_a_short_idle_timeout() {
        // Idle timeout 5 minutes: use is written at most every 30 s (a tenth), not every minute.
        Sessions shortIdle = new Sessions(new InMemorySessionStore(), t.gatehouse.users(), t.clock,
                Duration.ofMinutes(5), Duration.ofHours(12), Duration.ofDays(30));
        IssuedSession issued = shortIdle.start(alice, false, Optional.empty(), client);

        t.clock.advance(Duration.ofSeconds(40));
        assertThat(shortIdle.resume(issued.secret())).isPresent();
        t.clock.advance(Duration.ofSeconds(290));

        assertThat(shortIdle.resume(issued.secret())).as("used 4 min 50 s ago").isPresent();
    }

    @Test
    void issued_sessions_describe_themselves_without_their_secrets() {
        IssuedSession issued = sessions.start(alice, true, Optional.empty(), client);

        assertThat(issued.toString()).contains("remember=true").doesNotContain(issued.secret())
                .doesNotContain(issued.rememberSecret().orElseThrow()).doesNotContain(issued.record().id());
    }
}
