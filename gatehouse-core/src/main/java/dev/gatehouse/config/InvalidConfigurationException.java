package dev.gatehouse.config;

import dev.gatehouse.error.GatehouseException;
import java.util.List;

/**
 * The configuration is unusable: a setting is unknown, malformed, out of range, missing (the
 * secret), or contradicts another. Thrown at start-up, while the configuration is assembled, so a
 * misconfigured application never serves a request.
 *
 * <p>Each {@linkplain #problems() problem} names the setting the way it was supplied (for example
 * {@code GATEHOUSE_TOKEN_MAX_AGE} or {@code token-max-age}), the rejected value (never for secrets)
 * and what would be accepted:
 * {@code GATEHOUSE_TOKEN_MAX_AGE: "15x" is not a duration; use e.g. 15m, 2h, 5d}. When one source
 * has several problems, all of them are reported together. Code {@value #CODE}.
 */
public final class InvalidConfigurationException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    /** The {@linkplain #code() code} of every instance. */
    public static final String CODE = "INVALID_CONFIGURATION";

    private final List<String> problems;

    /**
     * @param problems one or more messages, each naming a setting; none may contain a secret
     */
    public InvalidConfigurationException(List<String> problems) {
        this(problems, null);
    }

    InvalidConfigurationException(List<String> problems, Throwable cause) {
        super(CODE, message(problems), cause);
        this.problems = List.copyOf(problems);
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidConfigurationException needs a problem");
        }
        return problems.size() == 1
                ? problems.get(0)
                : problems.size() + " configuration problems: " + String.join("; ", problems);
    }

    /** Every problem found, in the order found; never empty. */
    public List<String> problems() {
        return problems;
    }
}
