package dev.gatehouse.session;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.auth.RefreshTokens;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A sign-in's {@link SessionData} ends with the sign-in: every way Gatehouse ends a family or all
 * of a user's sessions deletes it, and {@code purgeExpired} removes what outlived its own end.
 */
class SessionDataLifecycleTest {

    private final TestGatehouse t = new TestGatehouse(c -> c
            .set(CHANGEABLE, true)
            .set(SESSION_ABSOLUTE_TIMEOUT, Duration.ofHours(12))
            .set(REMEMBER_COOKIE_DURATION, Duration.ofDays(30)));
    private final Sessions sessions = t.gatehouse.sessions();
    private final SessionDataStore data = t.gatehouse.sessionData();
    private final User alice = t.user("alice@example.com", "correct horse battery");
    private final User bob = t.user("bob@example.com", "correct horse battery");
    private final ClientInfo client = ClientInfo.of("192.0.2.1", "JUnit");

    private SessionData attach(IssuedSession session, String name) {
        SessionData value = new SessionData(session.record().familyId(), name, session.record().userId(), "s1.sealed",
                t.clock.instant().plus(Duration.ofHours(1)));
        data.put(value);
        return value;
    }

    @Test
    void logout_deletes_the_sign_ins_data_and_leaves_other_sign_ins_alone() {
        IssuedSession ended = sessions.start(alice, true, Optional.empty(), client);
        IssuedSession other = sessions.start(alice, false, Optional.empty(), client);
        SessionData tokens = attach(ended, "oidc:tokens");
        attach(ended, "oidc:provider");
        SessionData kept = attach(other, "oidc:tokens");

        sessions.end(ended.record());

        assertThat(data.find(tokens.familyId(), "oidc:tokens")).isEmpty();
        assertThat(data.find(tokens.familyId(), "oidc:provider")).isEmpty();
        assertThat(data.find(kept.familyId(), "oidc:tokens")).contains(kept);
    }

    @Test
    void ending_one_sign_in_from_the_session_list_deletes_its_data() {
        IssuedSession session = sessions.start(alice, false, Optional.empty(), client);
        SessionData tokens = attach(session, "oidc:tokens");

        assertThat(sessions.endSignIn(bob.id(), session.record().familyId())).as("not bob's to end").isZero();
        assertThat(data.find(tokens.familyId(), tokens.name())).contains(tokens);

        sessions.endSignIn(alice.id(), session.record().familyId());
        assertThat(data.find(tokens.familyId(), tokens.name())).isEmpty();
    }

    @Test
    void sign_out_everywhere_deletes_every_sign_ins_data_of_the_user_only() {
        SessionData first = attach(sessions.start(alice, false, Optional.empty(), client), "oidc:tokens");
        SessionData second = attach(sessions.start(alice, true, Optional.empty(), client), "oidc:tokens");
        SessionData bobs = attach(sessions.start(bob, false, Optional.empty(), client), "oidc:tokens");

        sessions.endAll(alice.id());

        assertThat(data.find(first.familyId(), first.name())).isEmpty();
        assertThat(data.find(second.familyId(), second.name())).isEmpty();
        assertThat(data.find(bobs.familyId(), bobs.name())).contains(bobs);
    }

    @Test
    void a_password_change_ends_the_sessions_and_their_data() {
        SessionData tokens = attach(sessions.start(alice, false, Optional.empty(), client), "oidc:tokens");

        t.gatehouse.passwordChange().change(alice, "correct horse battery", "another fine passphrase", Optional.empty(),
                client);

        assertThat(sessions.store().listForUser(alice.id())).isEmpty();
        assertThat(data.find(tokens.familyId(), tokens.name())).isEmpty();
    }

    @Test
    void a_reused_refresh_token_ends_the_sign_in_with_its_data() {
        IssuedSession session = sessions.start(alice, false, Optional.empty(), client);
        SessionData tokens = attach(session, "oidc:tokens");
        RefreshTokens refresh = t.gatehouse.refreshTokens();
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), session.record().familyId(), client);
        assertThat(refresh.exchange(first.refreshToken(), client)).isPresent();
        t.clock.advance(Duration.ofMinutes(5));

        assertThat(refresh.exchange(first.refreshToken(), client)).as("reuse").isEmpty();

        assertThat(data.find(tokens.familyId(), tokens.name())).isEmpty();
    }

    @Test
    void remember_me_restores_keep_the_family_and_its_data() {
        IssuedSession session = sessions.start(alice, true, Optional.empty(), client);
        SessionData tokens = attach(session, "oidc:tokens");

        IssuedSession restored = sessions.restore(session.rememberSecret().orElseThrow(), client).orElseThrow();

        assertThat(restored.record().familyId()).isEqualTo(tokens.familyId());
        assertThat(data.find(tokens.familyId(), tokens.name())).contains(tokens);
    }

    @Test
    void purging_deletes_data_past_its_own_end() {
        IssuedSession session = sessions.start(alice, false, Optional.empty(), client);
        SessionData soon = attach(session, "short");
        SessionData later = new SessionData(session.record().familyId(), "long", alice.id(), "v",
                t.clock.instant().plus(Duration.ofHours(3)));
        data.put(later);
        assertThat(t.gatehouse.purgeExpired().sessionData()).isZero();

        t.clock.advance(Duration.ofHours(1));

        assertThat(t.gatehouse.purgeExpired().sessionData()).isEqualTo(1);
        assertThat(data.find(soon.familyId(), soon.name())).isEmpty();
        assertThat(data.find(later.familyId(), later.name())).contains(later);
    }
}
