package dev.gatehouse.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of settings: a whole number with one unit ({@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 2h}, {@code 5d}), or ISO-8601 ({@code PT15M}, {@code P1DT12H}) for
 * combinations. Units are lower case only, so {@code M} can never be mistaken for months.
 */
final class Durations {

    static final String EXPECTED = "use e.g. 15m, 2h, 5d (units ms, s, m, h, d) or ISO-8601 such as PT1H30M";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses {@code text}; the sign is not checked here (ISO-8601 allows negatives). */
    static Duration parse(String text) throws BadValue {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (text.length() <= 64 && (text.startsWith("P") || text.startsWith("-P"))) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException | ArithmeticException e) {
                // fall through to the common message
            }
        }
        throw new BadValue("is not a duration; " + EXPECTED);
    }

    /**
     * The shortest exact form in the short syntax ({@code 90m} stays {@code 90m}, {@code 120m}
     * becomes {@code 2h}); ISO-8601 for what it cannot express (negative, sub-millisecond).
     */
    static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
