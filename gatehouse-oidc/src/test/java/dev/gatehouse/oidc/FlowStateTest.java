package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flow cookie's contents: sealed, bound to their purpose, unreadable and unchangeable by the browser. */
class FlowStateTest {

    private final ValueSealer sealer = ValueSealer.create(GatehouseConfig.builder()
            .set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)).build());
    private final FlowState flow = new FlowState("keycloak", FlowState.Purpose.LINK,
            new FlowSecrets("state-value", "nonce-value", "verifier-value", Set.of("openid", "email")),
            Optional.of("/diary?page=2"), true, Optional.of(42L), Instant.parse("2026-12-05T21:00:00Z"));

    @Test
    void a_sealed_flow_opens_as_it_was_and_shows_no_secret() {
        String sealed = flow.seal(sealer);
        assertThat(sealed).doesNotContain("state-value").doesNotContain("verifier-value").doesNotContain("diary");
        FlowState opened = FlowState.open(sealer, sealed).orElseThrow();
        assertThat(opened).isEqualTo(flow);
        assertThat(opened.toString()).doesNotContain("state-value").doesNotContain("nonce-value");
    }

    @Test
    void an_altered_cookie_a_value_sealed_for_something_else_or_under_another_secret_does_not_open() {
        String sealed = flow.seal(sealer);
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThat(FlowState.open(sealer, altered)).isEmpty();
        assertThat(FlowState.open(sealer, sealer.seal("{\"p\":\"keycloak\"}", "gatehouse-oidc-tokens:x:keycloak"))).isEmpty();
        ValueSealer other = ValueSealer.create(GatehouseConfig.builder()
                .set(Settings.SECRET, Secret.of("another-secret-another-secret-another-secret-01")).build());
        assertThat(FlowState.open(other, sealed)).isEmpty();
        assertThat(FlowState.open(sealer, "not sealed")).isEmpty();
    }

    @Test
    void a_next_too_long_to_keep_is_dropped() {
        FlowState longNext = new FlowState("keycloak", FlowState.Purpose.SIGN_IN, flow.secrets(),
                Optional.of("/" + "a".repeat(FlowState.MAX_NEXT)), false, Optional.empty(), flow.startedAt());
        assertThat(longNext.next()).isEmpty();
    }
}
