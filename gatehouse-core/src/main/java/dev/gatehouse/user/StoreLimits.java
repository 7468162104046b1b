package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The limits every {@link UserStore} applies to values the model types do not check themselves:
 * instants and client IP addresses. All stores apply the same limits, so a value accepted by the
 * in-memory store is accepted, and read back unchanged, by a database store.
 *
 * <p>Instants are kept to the microsecond (the finest precision PostgreSQL, MariaDB and H2 share)
 * and must lie between {@link #MIN_INSTANT} and {@link #MAX_INSTANT} (MariaDB's {@code DATETIME}
 * ends with year 9999). Stateless and thread-safe.
 */
public final class StoreLimits {

    /** The earliest instant a store keeps: no account event predates the Unix epoch. */
    public static final Instant MIN_INSTANT = Instant.EPOCH;
    /** The latest instant a store keeps. */
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** Longest accepted client address: an IPv6 literal with a zone id fits. */
    public static final int MAX_IP_ADDRESS_LENGTH = 64;

    private StoreLimits() {
    }

    /**
     * Checks that {@code instant} is storable and truncates it to microseconds.
     *
     * @param field names the value in the exception, e.g. {@code confirmed_at}
     * @throws InvalidInputException if it lies outside {@link #MIN_INSTANT}..{@link #MAX_INSTANT}
     */
    public static Instant instant(String field, Instant instant) {
        Objects.requireNonNull(instant, field);
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        if (truncated.isBefore(MIN_INSTANT) || truncated.isAfter(MAX_INSTANT)) {
            throw new InvalidInputException(field, "INVALID_TIMESTAMP",
                    field + " must lie between " + MIN_INSTANT + " and " + MAX_INSTANT);
        }
        return truncated;
    }

    /**
     * Checks a client address recorded by login tracking: 1–{@value #MAX_IP_ADDRESS_LENGTH}
     * characters, no whitespace or control characters. The format is not checked further, because
     * proxies report values such as {@code unknown}.
     *
     * @throws InvalidInputException with field {@code ip}
     */
    public static String ipAddress(String ip) {
        Objects.requireNonNull(ip, "ip");
        if (ip.isEmpty() || ip.length() > MAX_IP_ADDRESS_LENGTH || !Identifiers.isWellFormed(ip)
                || ip.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidInputException("ip", "INVALID_IP_ADDRESS",
                    "a client address has 1-" + MAX_IP_ADDRESS_LENGTH + " characters and no spaces or control characters");
        }
        return ip;
    }
}
