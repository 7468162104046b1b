package dev.gatehouse.web;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The texts of one page in the language chosen for its request: what templates show through
 * {@code msg('KEY')} (the default Pebble pages) or {@code texts.get('KEY')} (any renderer, from
 * the model entry {@code texts}). Immutable and thread-safe.
 */
public final class PageTexts {

    private final Messages messages;
    private final Locale locale;

    PageTexts(Messages messages, Locale locale) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.locale = Objects.requireNonNull(locale, "locale");
    }

    /** The language of the page. */
    public Locale locale() {
        return locale;
    }

    /** The text of {@code key}; the key itself when there is none. */
    public String get(String key) {
        return messages.get(key, locale);
    }

    /** The text of {@code key} with its {@code {name}} parameters filled in. */
    public String format(String key, Map<String, ?> parameters) {
        return messages.format(key, locale, parameters);
    }

    /** The text of {@code keyOrText} if it is a key, else {@code keyOrText} itself: labels and flashes may be either. */
    public String resolve(String keyOrText) {
        return messages.has(keyOrText) ? get(keyOrText) : keyOrText;
    }
}
