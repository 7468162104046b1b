package dev.gatehouse.config;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a setting: how its text form is parsed, how a typed value is checked, how a value is
 * written back (docs, {@code toString}), and how the type is described in the documentation.
 * A module defining its own settings ({@link SettingGroup}) picks one of the public factories, so
 * that its settings parse, validate and document exactly like Gatehouse's own; the set of types
 * is closed on purpose.
 *
 * <p>Problems are reported as {@link BadValue} phrases that follow the value, e.g.
 * {@code is not a boolean; use true or false}.
 *
 * @param <T> the Java type of values
 */
public abstract class ValueType<T> {

    ValueType() {
    }

    /** Converts stripped text, then {@linkplain #normalize checks} the result. */
    abstract T parse(String text) throws BadValue;

    /** Checks a typed value (from a builder method or {@link #parse}) and returns its canonical form. */
    T normalize(T value) throws BadValue {
        return value;
    }

    /** The text form; for secrets a placeholder. */
    abstract String format(T value);

    /** What the documentation says about accepted values, e.g. {@code duration, 1s–365d}. */
    abstract String describe();

    /** Whether values are secret: never printed, not even in error messages. */
    boolean redacted() {
        return false;
    }

    // ------------------------------------------------------------------ factories

    private static final ValueType<String> URL_PATH = text("URL path",
            Pattern.compile("/(?![/\\\\])[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*"),
            "a path on this site; use e.g. /login (one leading /, no spaces)", false);

    /** A path on this site, such as {@code /login}: one leading slash, no scheme or host. */
    public static ValueType<String> urlPath() {
        return URL_PATH;
    }

    private static final ValueType<String> FAMILY_ID = text("setting id (lower-case letters, digits and -)",
            Pattern.compile("[a-z][a-z0-9-]{0,31}"),
            "an id; use 1-32 lower-case letters, digits and -, starting with a letter", false);

    /**
     * An id of {@link SettingFamily} members, such as {@code keycloak}: what a module's list of the
     * ids in use (e.g. {@code oidc-providers=keycloak,entra}) is made of, as {@code listOf(familyId())}.
     */
    public static ValueType<String> familyId() {
        return FAMILY_ID;
    }

    private static final ValueType<String> LINE = text("text (one line)", Pattern.compile("[^\\p{Cntrl}]{1,256}"),
            "one line of text; use 1-256 characters, no line breaks or control characters", false);

    /**
     * One line of free text, such as a client id, a display name or an OAuth scope: 1–256 characters
     * without line breaks or other control characters.
     */
    public static ValueType<String> line() {
        return LINE;
    }

    /** {@code true} or {@code false}. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            Boolean parse(String text) throws BadValue {
                // Only the two words: "yes", "1" or "on" would be guesses about intent.
                if (text.equalsIgnoreCase("true")) {
                    return true;
                }
                if (text.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new BadValue("is not a boolean; use true or false");
            }

            @Override
            String format(Boolean value) {
                return value.toString();
            }

            @Override
            String describe() {
                return "boolean";
            }
        };
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ValueType<Integer> integer(int min, int max) {
        Pattern digits = Pattern.compile("-?\\d{1,10}");
        String expected = "use a whole number from " + min + " to " + max;
        return new ValueType<>() {
            @Override
            Integer parse(String text) throws BadValue {
                if (!digits.matcher(text).matches()) {
                    throw new BadValue("is not a whole number; " + expected);
                }
                long n = Long.parseLong(text);
                if (n < min || n > max) {
                    throw new BadValue("is out of range; " + expected);
                }
                return (int) n;
            }

            @Override
            Integer normalize(Integer value) throws BadValue {
                if (value < min || value > max) {
                    throw new BadValue("is out of range; " + expected);
                }
                return value;
            }

            @Override
            String format(Integer value) {
                return value.toString();
            }

            @Override
            String describe() {
                return "integer, " + min + "–" + max;
            }
        };
    }

    /** A duration from {@code min} to {@code max}, written {@code 15m}, {@code 2h}, {@code 5d} or ISO-8601. */
    public static ValueType<Duration> duration(Duration min, Duration max) {
        return new ValueType<>() {
            @Override
            Duration parse(String text) throws BadValue {
                return normalize(Durations.parse(text));
            }

            @Override
            Duration normalize(Duration value) throws BadValue {
                if (value.isNegative()) {
                    throw new BadValue("is negative; use a positive duration between "
                            + Durations.format(min) + " and " + Durations.format(max));
                }
                if (value.compareTo(min) < 0) {
                    throw new BadValue("is too short; use at least " + Durations.format(min));
                }
                if (value.compareTo(max) > 0) {
                    throw new BadValue("is too long; use at most " + Durations.format(max));
                }
                return value;
            }

            @Override
            String format(Duration value) {
                return Durations.format(value);
            }

            @Override
            String describe() {
                return "duration, " + Durations.format(min) + "–" + Durations.format(max);
            }
        };
    }

    /**
     * Text matching {@code pattern} (whole value), at most 2048 characters.
     *
     * @param expected what to write instead, following "is not ", e.g. {@code a URL path; use ...}
     */
    static ValueType<String> text(String description, Pattern pattern, String expected, boolean redacted) {
        return new ValueType<>() {
            @Override
            String parse(String text) throws BadValue {
                return normalize(text);
            }

            @Override
            String normalize(String value) throws BadValue {
                if (value.length() > 2048 || !pattern.matcher(value).matches()) {
                    throw new BadValue("is not " + expected);
                }
                return value;
            }

            @Override
            String format(String value) {
                return redacted ? "<redacted>" : value;
            }

            @Override
            String describe() {
                return description;
            }

            @Override
            boolean redacted() {
                return redacted;
            }
        };
    }

    /**
     * One of the constants of {@code choices}, written as its {@linkplain Choice#wireName() wire name}
     * and matched case-insensitively.
     */
    public static <E extends Enum<E> & Choice> ValueType<E> choice(Class<E> choices) {
        List<E> all = List.of(choices.getEnumConstants());
        String names = String.join(", ", all.stream().map(Choice::wireName).toList());
        return new ValueType<>() {
            @Override
            E parse(String text) throws BadValue {
                for (E c : all) {
                    if (c.wireName().equalsIgnoreCase(text.strip())) {
                        return c;
                    }
                }
                throw new BadValue("is not one of: " + names);
            }

            @Override
            E normalize(E value) {
                return Objects.requireNonNull(value);
            }

            @Override
            String format(E value) {
                return value.wireName();
            }

            @Override
            String describe() {
                return "one of " + names;
            }
        };
    }

    /** An email address, e.g. {@code no-reply@example.com}. */
    public static ValueType<String> email() {
        return new ValueType<>() {
            @Override
            String parse(String text) throws BadValue {
                return normalize(text);
            }

            @Override
            String normalize(String value) throws BadValue {
                try {
                    return Identifiers.checkEmail(value);
                } catch (InvalidInputException e) {
                    throw new BadValue("is not an email address; use e.g. no-reply@example.com");
                }
            }

            @Override
            String format(String value) {
                return value;
            }

            @Override
            String describe() {
                return "email address";
            }
        };
    }

    /**
     * Rate-limit rules as {@link RateLimit#parseList(String)} reads them ({@code 30/1m/ip, 5/5m/key});
     * empty text is no rule.
     */
    static ValueType<List<RateLimit>> rateLimits() {
        return new ValueType<>() {
            @Override
            List<RateLimit> parse(String text) throws BadValue {
                try {
                    return RateLimit.parseList(text);
                } catch (IllegalArgumentException e) {
                    throw new BadValue(e.getMessage());
                }
            }

            @Override
            List<RateLimit> normalize(List<RateLimit> value) {
                return List.copyOf(value);
            }

            @Override
            String format(List<RateLimit> value) {
                List<String> parts = new ArrayList<>();
                for (RateLimit rule : value) {
                    parts.add(rule.toString());
                }
                return String.join(", ", parts);
            }

            @Override
            String describe() {
                return "rate limit rules, e.g. 5/5m/key; empty: off";
            }
        };
    }

    /**
     * The absolute base URL of the application as users reach it, for links in emails: https, or
     * http for a local host only; no query, fragment or credentials; a trailing slash is dropped.
     */
    public static ValueType<String> externalUrl() {
        Pattern url = Pattern.compile("(https?)://(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9.\\-]{1,253})(:\\d{1,5})?(/[A-Za-z0-9\\-._~%!$&'()*+,;=:@/]*)?");
        String expected = "an absolute URL; use e.g. https://app.example.com (no query or fragment)";
        return new ValueType<>() {
            @Override
            String parse(String text) throws BadValue {
                return normalize(text);
            }

            @Override
            String normalize(String value) throws BadValue {
                Matcher m = url.matcher(value);
                if (value.length() > 2048 || !m.matches()) {
                    throw new BadValue("is not " + expected);
                }
                String host = m.group(2).toLowerCase(Locale.ROOT);
                boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
                if (m.group(1).equals("http") && !local) {
                    throw new BadValue("uses plain http, which would send emailed tokens in the clear; use https:// "
                            + "(http is allowed for localhost only)");
                }
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }

            @Override
            String format(String value) {
                return value;
            }

            @Override
            String describe() {
                return "absolute https URL";
            }
        };
    }

    /**
     * A secret of at least {@code minBytes} UTF-8 bytes. Commas are refused so that any secret
     * can later move into a comma-separated list of previous secrets.
     *
     * @param howToGenerate the advice that ends the message about a too short value
     */
    public static ValueType<Secret> secret(int minBytes, String howToGenerate) {
        return new ValueType<>() {
            @Override
            Secret parse(String text) throws BadValue {
                return normalize(new Secret(text));
            }

            @Override
            Secret normalize(Secret value) throws BadValue {
                int length = value.reveal().getBytes(StandardCharsets.UTF_8).length;
                if (length < minBytes) {
                    throw new BadValue(length == 0
                            ? "is empty; " + howToGenerate
                            : "has " + length + " bytes; it needs at least " + minBytes + " (" + howToGenerate + ")");
                }
                if (value.reveal().indexOf(',') >= 0) {
                    throw new BadValue("contains a comma, which secrets cannot (lists of secrets are comma-separated)");
                }
                if (!value.reveal().equals(value.reveal().strip())) {
                    throw new BadValue("starts or ends with whitespace, which is easily lost; remove it");
                }
                return value;
            }

            @Override
            String format(Secret value) {
                return value.toString();
            }

            @Override
            String describe() {
                return minBytes > 1 ? "secret, at least " + minBytes + " bytes" : "secret";
            }

            @Override
            boolean redacted() {
                return true;
            }
        };
    }

    /** A comma-separated list; items are stripped, empty text is the empty list. */
    public static <E> ValueType<List<E>> listOf(ValueType<E> element) {
        return new ValueType<>() {
            @Override
            List<E> parse(String text) throws BadValue {
                if (text.isEmpty()) {
                    return List.of();
                }
                List<E> items = new ArrayList<>();
                for (String item : text.split(",", -1)) {
                    String stripped = item.strip();
                    if (stripped.isEmpty()) {
                        throw new BadValue("has an empty item; separate items with single commas");
                    }
                    try {
                        items.add(element.parse(stripped));
                    } catch (BadValue e) {
                        throw itemProblem(element, stripped, e);
                    }
                }
                return List.copyOf(items);
            }

            @Override
            List<E> normalize(List<E> value) throws BadValue {
                List<E> items = new ArrayList<>();
                for (E item : value) {
                    try {
                        items.add(element.normalize(item));
                    } catch (BadValue e) {
                        throw itemProblem(element, String.valueOf(item), e);
                    }
                }
                return List.copyOf(items);
            }

            @Override
            String format(List<E> value) {
                List<String> parts = new ArrayList<>();
                for (E item : value) {
                    parts.add(element.format(item));
                }
                return String.join(", ", parts);
            }

            @Override
            String describe() {
                String each = element.describe();
                return "comma-separated list, each " + (each.startsWith("one of") ? each : "a " + each);
            }

            @Override
            boolean redacted() {
                return element.redacted();
            }
        };
    }

    private static BadValue itemProblem(ValueType<?> element, String item, BadValue cause) {
        return new BadValue("has an item " + (element.redacted() ? "" : "\"" + quote(item) + "\" ")
                + "that " + cause.getMessage());
    }

    /**
     * A value safe to show inside double quotes in a one-line message: control characters escaped,
     * at most 60 characters.
     */
    static String quote(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(60).forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        if (value.codePointCount(0, value.length()) > 60) {
            b.append('…');
        }
        return b.toString();
    }
}
