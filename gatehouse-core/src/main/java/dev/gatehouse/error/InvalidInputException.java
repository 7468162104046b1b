package dev.gatehouse.error;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A value supplied by a caller was rejected, for example a malformed email address or a password
 * that breaks the password policy. {@link #field()} names the offending input, so a web adapter can
 * answer 400 with a field error.
 *
 * <p>The refusal is described for machines by its {@linkplain #code() code} and
 * {@linkplain #arguments() named arguments} — the address that is taken, the length a password
 * needs, how long a link was valid — as Flask-Security's {@code get_message(key, **kwargs)}: a web
 * layer looks the code up in the reader's language and fills the text's {@code {name}}
 * placeholders from the arguments. {@link #getMessage()} is English for logs and developers;
 * nothing should parse it. Arguments never hold a secret (password, token, code).
 */
public class InvalidInputException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String field;
    // Values are strings, numbers and Durations: serialisable, so the field need not be transient.
    private final Map<String, Object> arguments;

    /** A refusal whose text needs no arguments. */
    public InvalidInputException(String field, String code, String message) {
        this(field, code, message, Map.of());
    }

    /**
     * A refusal whose text names {@code arguments}.
     *
     * @param arguments names ({@code [a-z][a-z0-9_]*}) to values: a {@link String}, a {@link Number}
     *                  or a {@link Duration}; kept in the order given
     * @throws IllegalArgumentException for a badly named or typed argument
     */
    public InvalidInputException(String field, String code, String message, Map<String, ?> arguments) {
        super(code, message);
        this.field = Objects.requireNonNull(field, "field");
        Map<String, Object> copy = new LinkedHashMap<>();
        arguments.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("an argument name is [a-z][a-z0-9_]{0,63}, not " + name);
            }
            if (!(value instanceof String || value instanceof Number || value instanceof Duration)) {
                throw new IllegalArgumentException("argument " + name + " is a String, Number or Duration, not "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            copy.put(name, value);
        });
        this.arguments = Collections.unmodifiableMap(copy);
    }

    /** The name of the rejected input, e.g. {@code email} or {@code password}. */
    public String field() {
        return field;
    }

    /**
     * What the text of {@link #code()} may name, e.g. {@code email} for
     * {@code EMAIL_ALREADY_ASSOCIATED}, {@code within} (a {@link Duration}) for
     * {@code PASSWORD_RESET_EXPIRED}; empty for most codes. Never a secret.
     */
    public Map<String, Object> arguments() {
        return arguments;
    }
}
