package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ASVS 16.4.1: what a client sent cannot forge or flood a log line. */
class RefusalLogTest {

    @Test
    void control_characters_become_underscores_and_long_values_are_cut() {
        assertThat(RefusalLog.neutralised("/a\r\nINFO forged\u0000\u2028line\u0085")).isEqualTo("/a__INFO forged__line_");
        assertThat(RefusalLog.neutralised("/" + "x".repeat(500))).hasSize(201).endsWith("…");
        assertThat(RefusalLog.neutralised("/plain/path")).isEqualTo("/plain/path");
    }

    @Test
    void path_segments_long_enough_to_be_a_token_are_left_out() {
        String token = "v1.cxjJstKa.1795434960.OQoyLUEzOVBrMFdUVXF5eGkzOG5RSDNDZTh1MklVT1ZX.0DSWiO2_cbOwP-Heof41Rc";
        assertThat(RefusalLog.withoutSecrets("/us-verify-link/" + token)).isEqualTo("/us-verify-link/…");
        assertThat(RefusalLog.withoutSecrets("/confirm/" + token + "/")).isEqualTo("/confirm/…/");
        assertThat(RefusalLog.withoutSecrets("/a/" + "x".repeat(31) + "/b")).isEqualTo("/a/" + "x".repeat(31) + "/b");
        assertThat(RefusalLog.withoutSecrets("/")).isEqualTo("/");
        assertThat(RefusalLog.withoutSecrets("")).isEmpty();
    }
}
