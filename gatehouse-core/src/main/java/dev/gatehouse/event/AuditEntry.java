package dev.gatehouse.event;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.user.StoreLimits;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One recorded {@link AccountEvent}, as an {@link AuditLog} keeps it.
 *
 * <p>{@link #from(long, AccountEvent)} turns an event into an entry with the limits every audit log
 * applies, so all of them store the same thing: a client address that is not a storable address
 * is dropped, the user agent is cut to {@value #MAX_USER_AGENT_LENGTH} characters, detail values to
 * {@value #MAX_DETAIL_LENGTH}, and control characters become spaces.
 *
 * @param id        ascending in recording order, assigned by the log
 * @param at        when the event happened, to the microsecond
 * @param userId    the user concerned; empty for events about no known user, and in database logs
 *                  also once the user was deleted
 * @param type      the event's {@link AccountEvent#type()}
 * @param ip        the client address, if known
 * @param userAgent the client's User-Agent, if known
 * @param details   the event's {@link AccountEvent#details()}, sorted by name
 */
public record AuditEntry(long id, Instant at, Optional<Long> userId, String type, Optional<String> ip,
                         Optional<String> userAgent, Map<String, String> details) {

    public static final int MAX_USER_AGENT_LENGTH = 512;
    public static final int MAX_DETAIL_LENGTH = 300;
    /** Longest encoded detail text a log stores. */
    public static final int MAX_DETAILS_ENCODED = 4000;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(userAgent, "userAgent");
        details = Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /** The entry a log records for {@code event}, with the given id and the limits above. */
    public static AuditEntry from(long id, AccountEvent event) {
        if (!NAME.matcher(event.type()).matches()) {
            throw new IllegalArgumentException("an event type is snake_case: " + event.type());
        }
        Optional<String> ip = event.client().ip().flatMap(AuditEntry::storableIp);
        Optional<String> userAgent = event.client().userAgent().map(ua -> clean(ua, MAX_USER_AGENT_LENGTH))
                .filter(ua -> !ua.isBlank());
        Map<String, String> details = new TreeMap<>();
        event.details().forEach((name, value) -> {
            if (NAME.matcher(name).matches()) {
                details.put(name, clean(value, MAX_DETAIL_LENGTH));
            }
        });
        // A handful of short values cannot outgrow the column; the check keeps that promise.
        while (encodeDetails(details).length() > MAX_DETAILS_ENCODED) {
            details.remove(((TreeMap<String, String>) details).lastKey());
        }
        return new AuditEntry(id, StoreLimits.instant("at", event.at()), event.userId(), event.type(), ip, userAgent,
                details);
    }

    /** The details as {@code name=value&...}, URL-encoded: how database logs store them. */
    public static String encodeDetails(Map<String, String> details) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(details).forEach((name, value) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** The inverse of {@link #encodeDetails(Map)}. */
    public static Map<String, String> decodeDetails(String encoded) {
        Map<String, String> details = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return details;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                details.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return details;
    }

    private static Optional<String> storableIp(String ip) {
        try {
            return Optional.of(StoreLimits.ipAddress(ip));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** Control characters and lone surrogates become spaces; cut to {@code max} characters without splitting a surrogate pair. */
    private static String clean(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max));
        text.codePoints().forEachOrdered(c -> {
            if (b.length() + Character.charCount(c) <= max) {
                // A lone surrogate cannot be stored as UTF-8; a control character could forge log lines.
                b.appendCodePoint(Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
                        ? ' ' : c);
            }
        });
        return b.toString();
    }
}
