package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.user.StoreLimits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionDataTest {

    private static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    private static final String FAMILY = SessionRecord.newFamilyId();

    @Test
    void accepts_the_documented_limits_and_cuts_instants_to_microseconds() {
        SessionData data = new SessionData(FAMILY, "a.b_c:d-0".repeat(6) + "abcdefghij", 1, "~".repeat(SessionData.MAX_VALUE_LENGTH),
                END.plusNanos(1_999));

        assertThat(data.name()).hasSize(SessionData.MAX_NAME_LENGTH);
        assertThat(data.expiresAt()).isEqualTo(END.plusNanos(1_000));
        assertThat(new SessionData(FAMILY, "n", 1, "", StoreLimits.MAX_INSTANT).value()).isEmpty();
    }

    @Test
    void refuses_values_that_are_too_large_or_not_printable_ascii_without_quoting_them() {
        assertThatThrownBy(() -> new SessionData(FAMILY, "n", 1, "x".repeat(SessionData.MAX_VALUE_LENGTH + 1), END))
                .isInstanceOf(InvalidInputException.class)
                .hasFieldOrPropertyWithValue("field", "value")
                .hasFieldOrPropertyWithValue("code", "SESSION_DATA_TOO_LARGE");
        for (String bad : new String[] {"secret\n", "secrété", "secret\0", "\u007f"}) {
            assertThatThrownBy(() -> new SessionData(FAMILY, "n", 1, bad, END))
                    .isInstanceOf(InvalidInputException.class)
                    .hasFieldOrPropertyWithValue("code", "SESSION_DATA_NOT_ASCII")
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void refuses_malformed_family_ids_names_and_instants() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionData("bad family", "n", 1, "v", END));
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionData("", "n", 1, "v", END));
        for (String name : new String[] {"", "Tokens", "to kens", "x".repeat(65), "tökens", "a/b"}) {
            assertThatIllegalArgumentException().as(name).isThrownBy(() -> new SessionData(FAMILY, name, 1, "v", END));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionData(FAMILY, "n", 1, "v", Instant.MAX));
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionData(FAMILY, "n", 1, "v", Instant.EPOCH.minusNanos(1_000)));
    }

    @Test
    void expires_at_its_end() {
        SessionData data = new SessionData(FAMILY, "n", 1, "v", END);
        assertThat(data.isExpiredAt(END.minusNanos(1))).isFalse();
        assertThat(data.isExpiredAt(END)).isTrue();
    }

    @Test
    void never_prints_its_value() {
        assertThat(new SessionData(FAMILY, "n", 1, "s1.topsecret", END).toString()).doesNotContain("topsecret");
    }
}
