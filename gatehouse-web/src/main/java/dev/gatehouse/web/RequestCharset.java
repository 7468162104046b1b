package dev.gatehouse.web;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;

/**
 * The character set a request's {@code Content-Type} names for its body, read without throwing.
 * Adapters decode bodies with it; {@link GatehouseWeb} refuses a request whose charset is unknown,
 * malformed or empty with 415 before anything reads its body. Stateless and thread-safe.
 */
public final class RequestCharset {

    private RequestCharset() {
    }

    /**
     * The charset of a body with this {@code Content-Type}: the one its {@code charset} parameter
     * names (quoted or not, any case), UTF-8 when there is none; empty when it names one this JVM
     * cannot decode, or is malformed or empty.
     */
    public static Optional<Charset> of(Optional<String> contentType) {
        Optional<String> name = contentType.flatMap(RequestCharset::parameter);
        if (name.isEmpty()) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        try {
            return Optional.of(Charset.forName(name.get()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
    }

    /** The {@code charset} parameter's value without quotes, if the parameter is there (possibly empty). */
    private static Optional<String> parameter(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("charset")) {
                String value = parameter.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
