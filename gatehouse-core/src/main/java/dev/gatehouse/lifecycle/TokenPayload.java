package dev.gatehouse.lifecycle;

import java.util.List;
import java.util.Optional;

/** Splits the payload of a flow's signed token into its newline-separated fields. */
final class TokenPayload {

    private TokenPayload() {
    }

    /** The fields, if there are exactly {@code count}. */
    static Optional<List<String>> fields(String payload, int count) {
        List<String> fields = List.of(payload.split("\n", -1));
        return fields.size() == count ? Optional.of(fields) : Optional.empty();
    }

    /** A positive user id, if {@code text} is one. */
    static Optional<Long> userId(String text) {
        try {
            long id = Long.parseLong(text);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String join(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (Object field : fields) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(field);
        }
        return b.toString();
    }
}
