package dev.gatehouse.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jackson, configured once, and Flask-Security's response envelope. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response", e);
        }
    }

    /** {@code {"meta":{"code":code},"response":response}}. */
    static String envelope(int code, Map<String, ?> response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", Map.of("code", code));
        body.put("response", response);
        return write(body);
    }

    /** An error envelope: {@code errors} lists every message, {@code field_errors} maps fields to theirs. */
    static String errors(int code, List<String> errors, Map<String, List<String>> fieldErrors, Map<String, ?> extra) {
        Map<String, Object> response = new LinkedHashMap<>(extra);
        response.put("errors", errors);
        if (!fieldErrors.isEmpty()) {
            response.put("field_errors", fieldErrors);
        }
        return envelope(code, response);
    }

    /** The body as a JSON object, or empty if it is not one. */
    static Optional<ObjectNode> readObject(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
