package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "15m, PT15M",
            "2h, PT2H",
            "5d, PT120H",
            "0s, PT0S",
            "PT15M, PT15M",
            "P1DT12H, PT36H",
            "-PT5M, PT-5M",
    })
    void parses_short_and_iso_forms(String text, String iso) throws BadValue {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "m", "15x", "15M", "1.5h", "15 m", "-5m", "+5m", "2h30m", "PT", "P", "PTxM",
            "1234567890123d", "P99999999999999999999D", "fifteen minutes"})
    void rejects_everything_else(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(BadValue.class)
                .hasMessage("is not a duration; " + Durations.EXPECTED);
    }

    @ParameterizedTest
    @CsvSource({
            "PT0.5S, 500ms",
            "PT1.5S, 1500ms",
            "PT30S, 30s",
            "PT90S, 90s",
            "PT2M, 2m",
            "PT90M, 90m",
            "PT2H, 2h",
            "PT48H, 2d",
            "PT0S, 0s",
            "PT-1M, PT-1M",
            "PT0.000001S, PT0.000001S",
    })
    void formats_in_the_shortest_exact_form(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "59s", "15m", "36h", "5d", "400d"})
    void formatting_round_trips(String text) throws BadValue {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
}
