package dev.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagesTest {

    private final Languages languages = new Languages(List.of("en", "de", "fr"), "en");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "de-DE,de;q=0.9,en;q=0.8 | de",
        "fr-CA                   | fr",
        "en-GB,en;q=0.5          | en",
        "ja,de;q=0.3             | de",
        "ja                      | en",
        "en;q=0.1,fr;q=0.9       | fr",
        "*                       | en",
        "not a ;;; header        | en",
        "''                      | en"})
    void picks_the_best_supported_language_or_the_default(String header, String expected) {
        assertThat(languages.choose(Optional.of(header))).isEqualTo(Locale.forLanguageTag(expected));
    }

    @ParameterizedTest
    @CsvSource({"de", "fr"})
    void without_a_header_the_configured_default_is_used(String fallback) {
        assertThat(new Languages(List.of("en", "de", "fr"), fallback).choose(Optional.empty()))
                .isEqualTo(Locale.forLanguageTag(fallback));
    }

    @org.junit.jupiter.api.Test
    void an_absurdly_long_header_is_ignored() {
        assertThat(languages.choose(Optional.of("de," + "x-y;q=0.1,".repeat(100)))).isEqualTo(Locale.ENGLISH);
    }
}
