package dev.gatehouse.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return Optional.ofNullable(parameters(rawQuery).get(name)).map(values -> values.get(0));
    }

    /**
     * Every parameter of {@code raw} (a query string or an {@code application/x-www-form-urlencoded}
     * body) with all its values, in order, decoded as UTF-8; malformed pairs are left out as in
     * {@link #parameter}. Empty for null. For adapters that hand a body Gatehouse has read on to
     * the application (a Servlet's {@code getParameterMap}).
     */
    public static Map<String, List<String>> parameters(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // A malformed %-escape: as if the pair had not been sent.
            }
        }
        return parameters;
    }
}
