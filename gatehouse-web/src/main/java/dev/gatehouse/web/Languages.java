package dev.gatehouse.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the language of a response from the request's {@code Accept-Language} header among the
 * supported ones (RFC 4647 lookup: {@code de-AT} falls back to {@code de}), or the configured
 * default. Immutable and thread-safe.
 */
final class Languages {

    /** Longer headers are ignored: no browser sends one, and parsing is not free. */
    private static final int MAX_HEADER_LENGTH = 512;

    private final List<Locale> supported;
    private final Locale fallback;

    Languages(List<String> supportedTags, String defaultTag) {
        this.supported = supportedTags.stream().map(Locale::forLanguageTag).toList();
        this.fallback = Locale.forLanguageTag(defaultTag);
    }

    Locale choose(Optional<String> acceptLanguage) {
        if (acceptLanguage.isEmpty() || acceptLanguage.get().isBlank() || acceptLanguage.get().length() > MAX_HEADER_LENGTH) {
            return fallback;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage.get());
            Locale chosen = Locale.lookup(ranges, supported);
            return chosen == null ? fallback : chosen;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    Locale fallback() {
        return fallback;
    }
}
