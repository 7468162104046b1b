package dev.gatehouse.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads one parameter from a raw query string, always as UTF-8 and without throwing: adapters
 * use it because frameworks decode queries with the body's charset, which a client may name
 * wrongly. A pair with a malformed {@code %} escape counts as absent. Stateless and thread-safe.
 */
public final class QueryString {

    private QueryString() {
    }

    /**
     * The first value of {@code name} in {@code rawQuery} (the part after {@code ?}, still
     * percent-encoded); {@code ""} for a name given without {@code =}; empty when absent or when
     * {@code rawQuery} is null.
     */
    public static Optional<String> parameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                // A malformed %-escape: as if the pair had not been sent, as frameworks do.
            }
        }
        return Optional.empty();
    }
}
