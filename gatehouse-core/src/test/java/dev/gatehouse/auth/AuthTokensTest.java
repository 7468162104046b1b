package dev.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthTokensTest {

    private final TestGatehouse t = new TestGatehouse(c -> c.tokenMaxAge(Duration.ofMinutes(15)));
    private final AuthTokens tokens = t.gatehouse.authTokens();
    private final User alice = t.user("alice@example.com", "correct horse battery", "Writer");

    @Test
    void an_issued_token_authenticates_its_user_with_the_sign_in_time() {
        Instant signedInAt = t.clock.instant().minusSeconds(30);
        String token = tokens.issue(alice, signedInAt);

        Authentication auth = tokens.authenticate(token).orElseThrow();
        assertThat(auth.user().id()).isEqualTo(alice.id());
        assertThat(auth.user().hasRole("Writer")).isTrue();
        assertThat(auth.mechanism()).isEqualTo(Mechanism.TOKEN);
        assertThat(auth.authenticatedAt()).isEqualTo(signedInAt);
        assertThat(auth.session()).isEmpty();
    }

    @Test
    void a_token_expires_after_token_max_age() {
        String token = tokens.issue(alice, t.clock.instant());
        t.clock.advance(Duration.ofMinutes(14));
        assertThat(tokens.authenticate(token)).isPresent();
        t.clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void rotating_the_security_stamp_revokes_every_token() {
        String token = tokens.issue(alice, t.clock.instant());
        t.gatehouse.users().rotateSecurityStamp(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void an_inactive_or_deleted_user_never_authenticates() {
        String token = tokens.issue(alice, t.clock.instant());
        t.gatehouse.users().deactivate(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
        t.gatehouse.users().activate(alice.id());
        assertThat(tokens.authenticate(token)).isPresent();
        t.gatehouse.users().deleteUser(alice.id());
        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void tampered_foreign_and_garbage_tokens_are_refused() {
        String token = tokens.issue(alice, t.clock.instant());
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
}
