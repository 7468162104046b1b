package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.InMemorySessionStore;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.CountingSessionStore;
import dev.gatehouse.session.SessionFamilies;
import dev.gatehouse.session.Sessions;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthTokensTest {

    private final TestGatehouse t = new TestGatehouse(c -> c.set(TOKEN_MAX_AGE, Duration.ofMinutes(15)));
    private final AuthTokens tokens = t.gatehouse.authTokens();
    private final User alice = t.user("alice@example.com", "correct horse battery", "Writer");

    @Test
    void an_issued_token_authenticates_its_user_with_the_sign_in_time() {
        Instant signedInAt = t.clock.instant().minusSeconds(30);
        String token = tokens.issue(alice, signedInAt, signIn());

        Authentication auth = tokens.authenticate(token).orElseThrow();
        assertThat(auth.user().id()).isEqualTo(alice.id());
        assertThat(auth.user().hasRole("Writer")).isTrue();
        assertThat(auth.mechanism()).isEqualTo(Mechanism.TOKEN);
        assertThat(auth.authenticatedAt()).isEqualTo(signedInAt);
        assertThat(auth.session()).isEmpty();
    }

    @Test
    void a_token_expires_after_token_max_age() {
        String token = tokens.issue(alice, t.clock.instant(), signIn());
        t.clock.advance(Duration.ofMinutes(14));
        assertThat(tokens.authenticate(token)).isPresent();
        t.clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void rotating_the_security_stamp_revokes_every_token() {
        String token = tokens.issue(alice, t.clock.instant(), signIn());
        t.gatehouse.users().rotateSecurityStamp(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void a_token_read_before_is_still_checked_against_its_user_every_time() {
        String token = tokens.issue(alice, t.clock.instant(), signIn());
        assertThat(tokens.authenticate(token)).isPresent();
        assertThat(tokens.authenticate(token)).isPresent();

        t.gatehouse.users().deactivate(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
        t.gatehouse.users().activate(alice.id());
        assertThat(tokens.authenticate(token)).isPresent();
        t.gatehouse.users().rotateSecurityStamp(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void an_inactive_or_deleted_user_never_authenticates() {
        String token = tokens.issue(alice, t.clock.instant(), signIn());
        t.gatehouse.users().deactivate(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
        t.gatehouse.users().activate(alice.id());
        assertThat(tokens.authenticate(token)).isPresent();
        t.gatehouse.users().deleteUser(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void tampered_foreign_and_garbage_tokens_are_refused() {
        String token = tokens.issue(alice, t.clock.instant(), signIn());
        char last = token.charAt(token.length() - 1);
        assertThat(tokens.authenticate(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign("remember-me", alice.id() + ":0:" + alice.securityStamp())))
                .as("a token signed for another purpose").isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign(AuthTokens.PURPOSE, "not-a-payload"))).isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign(AuthTokens.PURPOSE, "x:1:stamp"))).isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign(AuthTokens.PURPOSE, alice.id() + ":1:" + alice.securityStamp() + "x")))
                .as("a longer stamp with the right prefix").isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("v1.garbage")).isEmpty();
    }

    @Test
    void a_token_stops_working_as_soon_as_its_sign_in_ends_on_this_node() {
        IssuedSession session = t.gatehouse.sessions().start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        String token = tokens.issue(alice, t.clock.instant(), session.record().familyId());
        String other = tokens.issue(alice, t.clock.instant(), signIn());
        assertThat(tokens.authenticate(token)).get().extracting(Authentication::familyId)
                .isEqualTo(Optional.of(session.record().familyId()));

        t.gatehouse.sessions().end(session.record());

        assertThat(tokens.authenticate(token)).isEmpty();
        assertThat(tokens.authenticate(other)).as("another sign-in of the same user").isPresent();
    }

    @Test
    void a_sign_in_ended_on_another_node_stops_its_tokens_within_the_cache_time_without_asking_the_store_before() {
        CountingSessionStore store = new CountingSessionStore(new InMemorySessionStore());
        SessionFamilies families = new SessionFamilies(store, t.clock);
        AuthTokens tokens = new AuthTokens(t.gatehouse.tokens(), t.gatehouse.users(), families, Duration.ofMinutes(15));
        Sessions sessions = new Sessions(families.store(), t.gatehouse.users(), t.clock, Duration.ofMinutes(30),
                Duration.ofHours(12), Duration.ofDays(30));
        IssuedSession session = sessions.start(alice, false, Optional.empty(), ClientInfo.UNKNOWN);
        String token = tokens.issue(alice, t.clock.instant(), session.record().familyId());

        assertThat(tokens.authenticate(token)).isPresent();
        assertThat(tokens.authenticate(token)).isPresent();
        assertThat(store.familyChecks).as("the second check used the cached answer").hasValue(1);

        store.delegate.deleteFamily(session.record().familyId()); // as another node sharing the store would
        assertThat(tokens.authenticate(token)).as("still cached").isPresent();
        t.clock.advance(SessionFamilies.CACHE_FOR);
        assertThat(tokens.authenticate(token)).isEmpty();
        assertThat(store.familyChecks).hasValue(2);
    }

    @Test
    void a_token_lives_no_longer_than_the_records_of_its_sign_in() {
        TestGatehouse longTokens = new TestGatehouse(c -> c.set(TOKEN_MAX_AGE, Duration.ofDays(2)));
        User bob = longTokens.user("bob@example.com", "correct horse battery");
        IssuedSession session = longTokens.gatehouse.sessions().start(bob, false, Optional.empty(), ClientInfo.UNKNOWN);
        String token = longTokens.gatehouse.authTokens().issue(bob, longTokens.clock.instant(), session.record().familyId());

        longTokens.clock.advance(longTokens.gatehouse.config().get(SESSION_ABSOLUTE_TIMEOUT).minusSeconds(1));
        assertThat(longTokens.gatehouse.authTokens().authenticate(token)).isPresent();
        longTokens.clock.advance(Duration.ofSeconds(1));
        assertThat(longTokens.gatehouse.authTokens().authenticate(token)).isEmpty();
    }

    @Test
    void tokens_without_a_sign_in_as_issued_before_it_was_part_of_the_token_no_longer_verify() {
        String old = t.gatehouse.tokens().sign(AuthTokens.PURPOSE, alice.id() + ":" + t.clock.instant().getEpochSecond()
                + ":" + alice.securityStamp());
        assertThat(tokens.authenticate(old)).isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign(AuthTokens.PURPOSE, alice.id() + ":1:"
                + alice.securityStamp() + ":"))).as("an empty family").isEmpty();
        assertThat(tokens.authenticate(t.gatehouse.tokens().sign(AuthTokens.PURPOSE, alice.id() + ":1:"
                + alice.securityStamp() + ":NoSuchFamily"))).as("a family without records").isEmpty();
    }

    /** A live sign-in of alice's, for tokens to belong to. */
    private String signIn() {
        return t.gatehouse.sessions().start(alice, false, Optional.empty(), ClientInfo.UNKNOWN).record().familyId();
    }
}
