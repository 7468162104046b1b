package dev.gatehouse.examples.diary;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One diary entry, as stored.
 *
 * @param id        assigned by the database
 * @param content   at most {@value Entries#MAX_LENGTH} characters
 * @param timestamp when it was written
 * @param userId    its author, a Gatehouse user id
 */
public record Entry(long id, String content, Instant timestamp, long userId) {

    /** The JSON form of the API, as the Flask-Security tutorial's: {@code id, content, timestamp, user_id}. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("content", content);
        json.put("timestamp", timestamp.toString());
        json.put("user_id", userId);
        return json;
    }
}
