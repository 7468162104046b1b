package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.testing.FuzzInput;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the four credentials a client presents to be let in — API token, session cookie,
 * remember-me cookie, refresh token — through the same calls the web layer makes. Whatever the
 * text: no exception, and no authentication unless it is exactly the genuine credential. The
 * first input line is presented to all four; {@code {TOKEN}}, {@code {SESSION}},
 * {@code {REMEMBER}} and {@code {REFRESH}} stand for genuine values issued at start-up (and
 * again after a genuine one was used up), so mutations start from real credentials.
 */
class CredentialFuzzTest {

    private static final TestGatehouse T = new TestGatehouse(c -> c.set(RATE_LIMITS_ENABLED, false));
    private static final User USER = T.user("fuzz@example.com", "correct horse battery");
    private static final ClientInfo CLIENT = ClientInfo.of("192.0.2.1", "fuzzer");
    // Tokens and refresh tokens belong to a sign-in; each credential gets a sign-in of its own, so
    // that ending the remember-me sign-in below leaves the others working.
    private static final String TOKEN = T.gatehouse.authTokens().issue(USER, T.clock.instant(), signIn(false));
    private static final IssuedSession SESSION = T.gatehouse.sessions().start(USER, true, Optional.empty(), CLIENT);
    private static String remember = SESSION.rememberSecret().orElseThrow();
    private static String refresh = T.gatehouse.refreshTokens().issue(USER, T.clock.instant(), signIn(false), CLIENT)
            .refreshToken();

    private static String signIn(boolean remember) {
        return T.gatehouse.sessions().start(USER, remember, Optional.empty(), CLIENT).record().familyId();
    }

    @FuzzTest
    void onlyGenuineCredentialsAuthenticate(byte[] data) {
        String presented = FuzzInput.substitute(FuzzInput.of(data).line(), Map.of(
                "{TOKEN}", TOKEN, "{SESSION}", SESSION.secret(), "{REMEMBER}", remember, "{REFRESH}", refresh));

        T.gatehouse.authTokens().authenticate(presented).ifPresent(auth -> {
            assertThat(presented).isEqualTo(TOKEN);
            assertThat(auth.user().id()).isEqualTo(USER.id());
        });
        T.gatehouse.sessions().resume(presented).ifPresent(auth -> assertThat(presented).isEqualTo(SESSION.secret()));

        Optional<IssuedSession> restored = T.gatehouse.sessions().restore(presented, CLIENT);
        if (restored.isPresent()) {
            assertThat(presented).isEqualTo(remember);
            T.gatehouse.sessions().end(restored.get().record());
            // A grant may be rotated on use: keep the current one for the next inputs.
            remember = restored.get().rememberSecret().orElse(remember);
        }

        Optional<RefreshTokens.Issued> exchanged = T.gatehouse.refreshTokens().exchange(presented, CLIENT);
        if (exchanged.isPresent()) {
            assertThat(presented).isEqualTo(refresh);
            refresh = exchanged.get().refreshToken();
        }
    }
}
