package dev.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Freshness of an authentication and the names of mechanisms, the values access rules are decided on. */
class AuthenticationTest {

    private final TestGatehouse t = new TestGatehouse();
    private final User alice = t.user("alice@example.com", "correct horse battery");
    private final Instant signedIn = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void fresh_up_to_the_end_of_the_window_inclusive_and_not_a_millisecond_later() {
        Authentication auth = new Authentication(alice, Mechanism.SESSION, signedIn, Optional.empty());
        Duration window = Duration.ofMinutes(5);

        assertThat(auth.isFreshWithin(window, signedIn)).isTrue();
        assertThat(auth.isFreshWithin(window, signedIn.plus(window))).isTrue();
        assertThat(auth.isFreshWithin(window, signedIn.plus(window).plusMillis(1))).isFalse();
    }

    @Test
    void a_negative_window_never_asks_for_freshness_and_a_zero_one_always_does_after_the_instant() {
        Authentication auth = new Authentication(alice, Mechanism.TOKEN, Instant.EPOCH, Optional.empty());

        assertThat(auth.isFreshWithin(Duration.ofSeconds(-1), signedIn)).isTrue();
        assertThat(auth.isFreshWithin(Duration.ZERO, signedIn)).isFalse();
    }

    @Test
    void mechanisms_are_named_as_in_flask_security_settings() {
        assertThat(Mechanism.TOKEN.settingName()).isEqualTo("token");
        assertThat(Mechanism.fromSettingNames(List.of("session", "Basic"))).isEqualTo(Set.of(Mechanism.SESSION, Mechanism.BASIC));
    }

    @Test
    void a_module_names_its_own_mechanism_and_the_built_in_names_are_the_constants() {
        assertThat(Mechanism.of(" Token ")).isSameAs(Mechanism.TOKEN);
        assertThat(Mechanism.of("Bearer-JWT")).isEqualTo(Mechanism.of("bearer-jwt")).isNotEqualTo(Mechanism.TOKEN)
                .hasSameHashCodeAs(Mechanism.of("bearer-jwt"));
        assertThat(Mechanism.of("bearer-jwt").settingName()).isEqualTo("bearer-jwt");
        assertThat(Mechanism.of("bearer-jwt")).hasToString("BEARER-JWT");
        for (String bad : new String[] {"", "-jwt", "1st", "bearer jwt", "bearer_jwt", "a".repeat(33)}) {
            assertThatThrownBy(() -> Mechanism.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mechanism name");
        }
    }

    @Test
    void revoking_a_refresh_token_ends_its_family_only() {
        RefreshTokens refresh = t.gatehouse.refreshTokens();
        RefreshTokens.Issued first = refresh.issue(alice, t.clock.instant(), dev.gatehouse.session.SessionRecord.newFamilyId(),
                ClientInfo.of("192.0.2.7", "app/1.0"));
        RefreshTokens.Issued other = refresh.issue(alice, t.clock.instant(), dev.gatehouse.session.SessionRecord.newFamilyId(),
                ClientInfo.of("192.0.2.7", "app/1.0"));

        refresh.revoke(first.refreshToken());

        assertThat(refresh.exchange(first.refreshToken(), ClientInfo.of("192.0.2.7", "app/1.0"))).isEmpty();
        assertThat(refresh.exchange(other.refreshToken(), ClientInfo.of("192.0.2.7", "app/1.0"))).isPresent();
        assertThat(first.toString()).doesNotContain(first.refreshToken()).doesNotContain(first.authToken()).isNotBlank();
    }
}
