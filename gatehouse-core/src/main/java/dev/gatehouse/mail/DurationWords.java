package dev.gatehouse.mail;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * How Gatehouse words a duration — how long a link is valid, how long an address stays frozen —
 * as whole days, else whole hours, else minutes (at least one): the message key
 * ({@code DURATION_HOUR}, {@code DURATION_DAYS}, ...) whose text names {@code {count}}. Email
 * composers and the web layer look the key up in the reader's language; {@link #english()} is for
 * log and exception texts.
 *
 * @param key   {@code DURATION_MINUTE(S)}, {@code DURATION_HOUR(S)} or {@code DURATION_DAY(S)}
 * @param count how many of the unit
 */
public record DurationWords(String key, long count) {

    public DurationWords {
        Objects.requireNonNull(key, "key");
    }

    /** The words for {@code duration}, rounded down to whole minutes. */
    public static DurationWords of(Duration duration) {
        long minutes = Math.max(1, duration.toMinutes());
        if (minutes % 1440 == 0) {
            return unit(minutes / 1440, "DAY");
        }
        if (minutes % 60 == 0) {
            return unit(minutes / 60, "HOUR");
        }
        return unit(minutes, "MINUTE");
    }

    private static DurationWords unit(long count, String unit) {
        return new DurationWords("DURATION_" + unit + (count == 1 ? "" : "S"), count);
    }

    /** The text of {@link #key()} with {@code {count}} filled in, e.g. {@code 1 hour}. */
    public String format(String text) {
        return text.replace("{count}", Long.toString(count));
    }

    /** In English from Gatehouse's email texts, e.g. {@code 2 hours}: for logs and exception messages. */
    public String english() {
        return format(ResourceBundle.getBundle(BuiltInMailComposer.BUNDLE, Locale.ROOT,
                DurationWords.class.getClassLoader(), BuiltInMailComposer.NO_FALLBACK).getString(key));
    }
}
