package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.REFRESH_TOKEN_IDLE_TIMEOUT;
import static dev.gatehouse.config.Settings.REFRESH_TOKEN_MAX_AGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.SessionKind;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RefreshTokensTest {

    private final TestGatehouse t = new TestGatehouse(c -> c
            .set(REFRESH_TOKEN_IDLE_TIMEOUT, Duration.ofDays(7))
            .set(REFRESH_TOKEN_MAX_AGE, Duration.ofDays(30)));
    private final RefreshTokens refresh = t.gatehouse.refreshTokens();
    private final User alice = t.user("alice@example.com", "correct horse battery");
    private final ClientInfo client = ClientInfo.of("192.0.2.7", "app/1.0");

    @Test
    void exchanging_rotates_both_tokens_and_keeps_the_sign_in_time() {
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        t.clock.advance(Duration.ofHours(1));

        RefreshTokens.Issued second = refresh.exchange(first.refreshToken(), client).orElseThrow();

        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.authToken()).isNotEqualTo(first.authToken());
        Authentication auth = t.gatehouse.authTokens().authenticate(second.authToken()).orElseThrow();
        assertThat(auth.user().id()).isEqualTo(alice.id());
        assertThat(auth.authenticatedAt()).isEqualTo(TestGatehouse.START);
        assertThat(refresh.exchange(second.refreshToken(), client)).isPresent();
    }

    @Test
    void reusing_an_exchanged_token_revokes_the_whole_family() {
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        RefreshTokens.Issued second = refresh.exchange(first.refreshToken(), client).orElseThrow();
        RefreshTokens.Issued unrelated = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);

        assertThat(refresh.exchange(first.refreshToken(), client)).as("the stolen copy").isEmpty();
        assertThat(refresh.exchange(second.refreshToken(), client)).as("the legitimate holder's newer token").isEmpty();
        assertThat(refresh.exchange(unrelated.refreshToken(), client)).as("another family lives on").isPresent();
    }

    @Test
    void access_tokens_minted_from_a_family_that_reuse_detection_revoked_stop_working() {
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        RefreshTokens.Issued second = refresh.exchange(first.refreshToken(), client).orElseThrow();
        assertThat(t.gatehouse.authTokens().authenticate(second.authToken())).isPresent();

        assertThat(refresh.exchange(first.refreshToken(), client)).as("the stolen copy").isEmpty();

        assertThat(t.gatehouse.authTokens().authenticate(first.authToken())).isEmpty();
        assertThat(t.gatehouse.authTokens().authenticate(second.authToken())).isEmpty();
    }

    @Test
    void refresh_tokens_join_the_family_of_the_sign_in_so_ending_its_session_ends_them() {
        var session = t.gatehouse.sessions().start(alice, false, Optional.empty(), client);
        RefreshTokens.Issued issued = refresh.issue(alice, t.clock.instant(), session.record().familyId(), client);

        t.gatehouse.sessions().end(session.record());

        assertThat(refresh.exchange(issued.refreshToken(), client)).isEmpty();
        assertThat(t.gatehouse.authTokens().authenticate(issued.authToken())).isEmpty();
    }

    @Test
    void an_unused_token_expires_after_the_idle_timeout() {
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        t.clock.advance(Duration.ofDays(6));
        RefreshTokens.Issued second = refresh.exchange(first.refreshToken(), client).orElseThrow();
        t.clock.advance(Duration.ofDays(7));
        assertThat(refresh.exchange(second.refreshToken(), client)).isEmpty();
    }

    @Test
    void a_family_ends_at_its_absolute_lifetime_however_often_it_is_used() {
        RefreshTokens.Issued current = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        for (int day = 0; day < 29; day++) {
            t.clock.advance(Duration.ofDays(1));
            current = refresh.exchange(current.refreshToken(), client).orElseThrow();
        }
        assertThat(current.expiresAt()).isEqualTo(TestGatehouse.START.plus(Duration.ofDays(30)));
        t.clock.advance(Duration.ofDays(1));
        assertThat(refresh.exchange(current.refreshToken(), client)).isEmpty();
    }

    @Test
    void stamp_rotation_deactivation_and_logout_everywhere_end_refresh_tokens() {
        RefreshTokens.Issued a = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        t.gatehouse.users().rotateSecurityStamp(alice.id());
        assertThat(refresh.exchange(a.refreshToken(), client)).isEmpty();

        User current = t.gatehouse.users().findUserById(alice.id()).orElseThrow();
        RefreshTokens.Issued b = refresh.issue(current, t.clock.instant(), SessionRecord.newFamilyId(), client);
        t.gatehouse.users().deactivate(alice.id());
        assertThat(refresh.exchange(b.refreshToken(), client)).isEmpty();

        t.gatehouse.users().activate(alice.id());
        RefreshTokens.Issued c = refresh.issue(current, t.clock.instant(), SessionRecord.newFamilyId(), client);
        t.gatehouse.sessions().endAll(alice.id());
        assertThat(refresh.exchange(c.refreshToken(), client)).isEmpty();
    }

    @Test
    void only_digests_are_stored() {
        RefreshTokens.Issued issued = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        assertThat(t.gatehouse.sessions().store().listForUser(alice.id()))
                .filteredOn(r -> r.kind() == SessionKind.REFRESH_TOKEN)
                .singleElement()
                .satisfies(r -> assertThat(r.id()).isNotEqualTo(issued.refreshToken()));
    }

    @Test
    void garbage_is_refused_and_a_session_secret_is_not_a_refresh_token() {
        var session = t.gatehouse.sessions().start(alice, false, Optional.empty(), client);
        assertThat(refresh.exchange(session.secret(), client)).isEmpty();
        assertThat(refresh.exchange("", client)).isEmpty();
        assertThat(refresh.exchange(null, client)).isEmpty();
        assertThat(refresh.exchange("y".repeat(5000), client)).isEmpty();
    }

    @Test
    void of_concurrent_exchanges_of_one_token_at_most_one_wins() throws Exception {
        RefreshTokens.Issued issued = refresh.issue(alice, t.clock.instant(), SessionRecord.newFamilyId(), client);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<RefreshTokens.Issued>>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return refresh.exchange(issued.refreshToken(), client);
            }));
        }
        start.countDown();
        long winners = 0;
        for (Future<Optional<RefreshTokens.Issued>> result : results) {
            winners += result.get().isPresent() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isLessThanOrEqualTo(1);
    }
}
