package dev.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of a rate limit: at most {@code count} attempts per {@code window}, counted per client
 * address or per key (the email address an anonymous request names, or the signed-in user).
 * Written like django-allauth's rate limits: {@code 30/1m/ip}, {@code 5/5m/key}; a setting holds a
 * comma-separated list of rules, all of which must pass.
 *
 * @param count  attempts allowed in one window, 1 to 1,000,000
 * @param window 1 s to 1 d
 * @param scope  what is counted
 */
public record RateLimit(int count, Duration window, Scope scope) {

    private static final Pattern RULE = Pattern.compile("(\\d{1,7})/(\\d{1,6})(s|m|h|d)/(ip|key)");
    private static final String EXPECTED = "use e.g. 30/1m/ip or 5/5m/key: a count, a window (s, m, h or d) and ip or key";

    /** What a rule counts attempts per. */
    public enum Scope {
        /** The client address ({@code ClientInfo.ip}); the rule is skipped when it is unknown. */
        IP,
        /**
         * The account the attempt is about: the user when known (signed in, or named by email or
         * username at sign-in), else the email address or username given.
         */
        KEY
    }

    public RateLimit {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(scope, "scope");
        if (count < 1 || count > 1_000_000) {
            throw new IllegalArgumentException("a rate limit allows 1 to 1000000 attempts, not " + count);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("a rate limit window lasts 1s to 1d");
        }
    }

    /**
     * Parses a comma-separated list of rules; empty text is no rule (the limit is off).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<RateLimit> parseList(String text) {
        Objects.requireNonNull(text, "text");
        List<RateLimit> rules = new ArrayList<>();
        if (text.isBlank()) {
            return rules;
        }
        for (String part : text.split(",", -1)) {
            Matcher m = RULE.matcher(part.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("has a rule \"" + part.strip() + "\" that is not a rate limit; " + EXPECTED);
            }
            long n = Long.parseLong(m.group(2));
            Duration window = switch (m.group(3)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            rules.add(new RateLimit(Integer.parseInt(m.group(1)), window,
                    m.group(4).equals("ip") ? Scope.IP : Scope.KEY));
        }
        return List.copyOf(rules);
    }

    /** {@code 30/1m/ip}: the form {@link #parseList(String)} reads. */
    @Override
    public String toString() {
        long s = window.getSeconds();
        String w = s % 86_400 == 0 ? s / 86_400 + "d" : s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
        return count + "/" + w + "/" + scope.name().toLowerCase(Locale.ROOT);
    }
}
