package dev.gatehouse.web;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * User-facing texts, looked up by Flask-Security's message keys ({@code INVALID_PASSWORD},
 * {@code UNAUTHENTICATED}, ...) from the bundled {@code messages.properties}, with application
 * overrides taking precedence. Immutable and thread-safe.
 */
public final class Messages {

    private static final String BUNDLE = "dev.gatehouse.web.messages";

    private final Map<String, String> overrides;

    /** The bundled texts, with {@code overrides} (key to text) replacing some of them. */
    public Messages(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** The bundled texts. */
    public static Messages defaults() {
        return new Messages(Map.of());
    }

    /** This set of texts with {@code key} replaced. */
    public Messages with(String key, String text) {
        Map<String, String> copy = new HashMap<>(overrides);
        copy.put(key, text);
        return new Messages(copy);
    }

    /** The text for {@code key}; the key itself if there is none, so a missing text is visible but harmless. */
    public String get(String key) {
        String override = overrides.get(key);
        if (override != null) {
            return override;
        }
        try {
            return ResourceBundle.getBundle(BUNDLE, Locale.ROOT).getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }
}
