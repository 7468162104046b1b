package dev.gatehouse.config;

/**
 * Why a value does not fit its setting, phrased to follow the value:
 * {@code "is not a duration; use e.g. 15m, 2h, 5d"}. The caller prefixes the setting's name and
 * the quoted value (or "the value" for secrets), so a type never needs to know either.
 */
final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue(String problem) {
        // No stack trace: this is an expected outcome of parsing, turned into a message.
        super(problem, null, false, false);
    }
}
