package dev.gatehouse.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a request body, whether it came as a form ({@code application/x-www-form-urlencoded})
 * or as a JSON object — every Gatehouse endpoint accepts both. Query parameters are not fields.
 */
final class RequestFields {

    private static final int MAX_FORM_FIELDS = 256;

    private final Map<String, String> form;
    private final ObjectNode json;
    private final boolean malformed;

    private RequestFields(Map<String, String> form, ObjectNode json, boolean malformed) {
        this.form = form;
        this.json = json;
        this.malformed = malformed;
    }

    static RequestFields parse(WebRequest request) {
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return new RequestFields(Map.of(), null, false);
        }
        String contentType = request.header("Content-Type").orElse("");
        String body = request.body();
        if (ContentNegotiation.isJson(contentType)) {
            if (body.isBlank()) {
                return new RequestFields(Map.of(), null, false);
            }
            Optional<ObjectNode> object = Json.readObject(body);
            return object.map(o -> new RequestFields(Map.of(), o, false))
                    .orElseGet(() -> new RequestFields(Map.of(), null, true));
        }
        return new RequestFields(parseForm(body), null, false);
    }

    private static Map<String, String> parseForm(String body) {
        if (body.isEmpty()) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&", MAX_FORM_FIELDS + 1)) {
            if (pair.isEmpty() || fields.size() >= MAX_FORM_FIELDS) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // A malformed %-escape: drop the field, as if it had not been sent.
            }
        }
        return fields;
    }

    /** Whether the body claimed to be JSON but is not a JSON object. */
    boolean isMalformed() {
        return malformed;
    }

    boolean isJson() {
        return json != null;
    }

    /** A text field; JSON numbers and booleans are given as text too. */
    Optional<String> text(String name) {
        if (json != null) {
            JsonNode node = json.get(name);
            return node == null || node.isNull() || node.isContainerNode() ? Optional.empty() : Optional.of(node.asText());
        }
        return Optional.ofNullable(form.get(name));
    }

    /**
     * A field that may hold several values: a JSON array of texts (or one text), or a form field
     * (one value; forms post one choice at a time).
     */
    List<String> texts(String name) {
        if (json != null && json.get(name) instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(node -> {
                if (node.isValueNode() && !node.isNull()) {
                    values.add(node.asText());
                }
            });
            return values;
        }
        return text(name).filter(value -> !value.isBlank()).map(List::of).orElse(List.of());
    }

    /** A checkbox-like field: JSON {@code true}, or a form value {@code on}, {@code true}, {@code 1}, {@code y}, {@code yes}. */
    Optional<Boolean> flag(String name) {
        if (json != null) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            return Optional.of(node.isBoolean() ? node.booleanValue() : isTrue(node.asText()));
        }
        String value = form.get(name);
        return value == null ? Optional.empty() : Optional.of(isTrue(value));
    }

    /** Whether the field is present at all. */
    boolean has(String name) {
        return json != null ? json.has(name) : form.containsKey(name);
    }

    private static boolean isTrue(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "1", "y", "yes" -> true;
            default -> false;
        };
    }
}
