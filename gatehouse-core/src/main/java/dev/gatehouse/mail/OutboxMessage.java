package dev.gatehouse.mail;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the {@link OutboxStore}, as stored: the notification (secret model entries
 * sealed) and its delivery state.
 *
 * @param id           assigned by the store, ascending
 * @param notification what to send; secret model entries are sealed
 * @param status       where it stands
 * @param attempts     how many times a worker claimed it
 * @param createdAt    when it was queued
 * @param dueAt        when it may next be claimed; while claimed, when the claim's lease ends
 * @param claimToken   the current claim, while a worker holds it
 * @param sentAt       when the server accepted it
 * @param lastError    why the last attempt failed, if it did
 */
public record OutboxMessage(long id, Notification notification, OutboxStatus status, int attempts, Instant createdAt,
                            Instant dueAt, Optional<String> claimToken, Optional<Instant> sentAt,
                            Optional<String> lastError) {

    /** Longest {@link #lastError} a store keeps. */
    public static final int MAX_ERROR_LENGTH = 500;

    public OutboxMessage {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(claimToken, "claimToken");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(lastError, "lastError");
    }

    /** The model as {@code name=value&...}, URL-encoded, in the given order: how stores keep it. */
    public static String encodeModel(Map<String, String> model) {
        StringBuilder b = new StringBuilder();
        model.forEach((name, value) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** The inverse of {@link #encodeModel(Map)}. */
    public static Map<String, String> decodeModel(String encoded) {
        Map<String, String> model = new LinkedHashMap<>();
        if (encoded.isEmpty()) {
            return model;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            model.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return model;
    }

    /** A locale from its stored language tag. */
    public static Locale locale(String languageTag) {
        return Locale.forLanguageTag(languageTag);
    }

    /**
     * An error text fit for storing and logging: control characters become spaces, at most
     * {@value #MAX_ERROR_LENGTH} characters.
     */
    public static String errorText(String error) {
        String oneLine = error == null ? "unknown error" : error.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() > MAX_ERROR_LENGTH ? oneLine.substring(0, MAX_ERROR_LENGTH) : oneLine;
    }

    /** Delivery state and the notification's template and recipient; no model values. */
    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", template=" + notification.template() + ", to=" + notification.to()
                + ", status=" + status + ", attempts=" + attempts + ", dueAt=" + dueAt + "]";
    }
}
