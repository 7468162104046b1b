package dev.gatehouse.web;

import java.util.Optional;

/**
 * Checks the value of an extra registration field ({@link RegistrationField}) beyond its type:
 * returns the problem as a message key (or a text), or empty when the value is fine. Called
 * with the trimmed, non-empty value only. Must be thread-safe.
 */
@FunctionalInterface
public interface FieldValidator {

    /** The problem with {@code value}, if any. */
    Optional<String> check(String value);

    /** Accepts every value. */
    static FieldValidator none() {
        return value -> Optional.empty();
    }
}
