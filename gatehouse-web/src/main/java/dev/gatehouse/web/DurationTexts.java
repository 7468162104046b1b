package dev.gatehouse.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a link is valid, in words of the reader's language: "1 hour", "1 Stunde", "1 heure".
 * Whole days, else whole hours, else minutes, as the flows describe validity in emails.
 */
final class DurationTexts {

    /** What the flows put into an email's {@code within} entry: English, e.g. {@code 15 minutes}. */
    private static final Pattern ENGLISH = Pattern.compile("(\\d{1,9}) (minute|hour|day)s?");

    private DurationTexts() {
    }

    static String describe(Duration duration, Messages messages, Locale locale) {
        long minutes = Math.max(1, duration.toMinutes());
        if (minutes % 1440 == 0) {
            return unit(minutes / 1440, "DAY", messages, locale);
        }
        if (minutes % 60 == 0) {
            return unit(minutes / 60, "HOUR", messages, locale);
        }
        return unit(minutes, "MINUTE", messages, locale);
    }

    /** The duration an English {@code within} text names, if it is one. */
    static Optional<Duration> parse(String english) {
        Matcher m = ENGLISH.matcher(english.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long count = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "day" -> Duration.ofDays(count);
            case "hour" -> Duration.ofHours(count);
            default -> Duration.ofMinutes(count);
        });
    }

    private static String unit(long count, String unit, Messages messages, Locale locale) {
        return messages.format("DURATION_" + unit + (count == 1 ? "" : "S"), locale, Map.of("count", count));
    }
}
