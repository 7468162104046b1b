package dev.gatehouse.token;

import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenSignerMacTest {

    private static final String OLD = "old-secret-old-secret-old-secret-0123456789";
    private static final String NEW = "new-secret-new-secret-new-secret-0123456789";

    private static TokenSigner signer(String secret, List<String> previous) {
        return TokenSigner.create(GatehouseConfig.builder().set(SECRET, Secret.of(secret)).set(SECRET_PREVIOUS, previous.stream().map(Secret::of).toList()).build(), Clock.systemUTC());
    }

    @Test
    void a_mac_is_deterministic_purpose_bound_and_verifies() {
        TokenSigner signer = signer(NEW, List.of());
        String mac = signer.mac("csrf", "family-1");
        assertThat(mac).hasSize(43).isEqualTo(signer.mac("csrf", "family-1"));
        assertThat(signer.verifyMac("csrf", "family-1", mac)).isTrue();
        assertThat(signer.verifyMac("csrf", "family-2", mac)).isFalse();
        assertThat(signer.verifyMac("other", "family-1", mac)).isFalse();
        assertThat(signer.mac("csrf", "ünïcode")).isNotEqualTo(signer.mac("csrf", "unicode"));
    }

    @Test
    void macs_of_a_previous_secret_verify_until_it_is_dropped() {
        String oldMac = signer(OLD, List.of()).mac("csrf", "x");
        assertThat(signer(NEW, List.of(OLD)).verifyMac("csrf", "x", oldMac)).isTrue();
        assertThat(signer(NEW, List.of()).verifyMac("csrf", "x", oldMac)).isFalse();
    }

    @Test
    void garbage_never_verifies_nor_throws() {
        TokenSigner signer = signer(NEW, List.of());
        assertThat(signer.verifyMac("csrf", "x", null)).isFalse();
        assertThat(signer.verifyMac("csrf", "x", "")).isFalse();
        assertThat(signer.verifyMac("csrf", "x", "!".repeat(43))).isFalse();
        assertThat(signer.verifyMac("csrf", "x", "a".repeat(5000))).isFalse();
        assertThat(signer.verifyMac("csrf", null, signer.mac("csrf", "x"))).isFalse();
    }
}
