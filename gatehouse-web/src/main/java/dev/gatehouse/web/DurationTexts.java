package dev.gatehouse.web;

import dev.gatehouse.mail.DurationWords;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How long a link is valid, in words of the reader's language: "1 hour", "1 Stunde", "1 heure";
 * the unit as {@link DurationWords} chooses it, the words from {@link Messages}.
 */
final class DurationTexts {

    private DurationTexts() {
    }

    static String describe(Duration duration, Messages messages, Locale locale) {
        DurationWords words = DurationWords.of(duration);
        return messages.format(words.key(), locale, Map.of("count", words.count()));
    }
}
