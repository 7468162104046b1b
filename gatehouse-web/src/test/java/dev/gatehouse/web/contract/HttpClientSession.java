package dev.gatehouse.web.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser-like client for tests: a real HTTP client (the JDK's) with a cookie jar that follows
 * Set-Cookie exactly as sent (so tests see names, prefixes and deletions), no automatic redirects.
 */
public final class HttpClientSession {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final String base;
    final Map<String, String> cookies = new LinkedHashMap<>();

    /** A client of the server on {@code localhost:port}, with an empty cookie jar. */
    public HttpClientSession(int port) {
        this.base = "http://localhost:" + port;
    }

    /** One response, with helpers for the JSON envelope. */
    public record Reply(int status, HttpResponse<String> raw) {
        /** The body parsed as JSON; an assertion error if it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        /** The body as text. */
        public String body() {
            return raw.body();
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Every Set-Cookie line, in order. */
        public List<String> setCookies() {
            return raw.headers().allValues("Set-Cookie");
        }

        /**
         * The last Set-Cookie line for a cookie, or null: the one a browser ends up with when a
         * response first deletes a cookie and then sets it anew.
         */
        public String setCookie(String name) {
            List<String> lines = setCookies(name);
            return lines.isEmpty() ? null : lines.get(lines.size() - 1);
        }

        /** Every Set-Cookie line for a cookie, in order. */
        public List<String> setCookies(String name) {
            return setCookies().stream().filter(c -> c.startsWith(name + "=")).toList();
        }

        /** The value the last Set-Cookie line for a cookie gives it, or null. */
        public String setCookieValue(String name) {
            String line = setCookie(name);
            return line == null ? null : line.split(";", 2)[0].substring(name.length() + 1);
        }

        /** {@code response.errors} of a JSON error envelope, as text. */
        public List<String> errors() {
            List<String> errors = new java.util.ArrayList<>();
            json().path("response").path("errors").forEach(e -> errors.add(e.asText()));
            return errors;
        }

        /** {@code response.field_errors.<field>} of a JSON error envelope, as text. */
        public List<String> fieldErrors(String field) {
            List<String> errors = new java.util.ArrayList<>();
            json().path("response").path("field_errors").path(field).forEach(e -> errors.add(e.asText()));
            return errors;
        }

        /** {@code response.user} of a JSON envelope. */
        public JsonNode user() {
            return json().path("response").path("user");
        }

        @Override
        public String toString() {
            return status + " " + raw.headers().map() + " " + raw.body();
        }
    }

    /** {@code GET path} with these headers (name, value, name, value, ...). */
    public Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    /** {@code GET path} asking for JSON. */
    public Reply getJson(String path, String... headers) {
        return get(path, concat(new String[] {"Accept", "application/json"}, headers));
    }

    /** {@code POST path} with {@code body} as JSON, asking for JSON. */
    public Reply postJson(String path, Map<String, ?> body, String... headers) {
        return sendJson("POST", path, body, headers);
    }

    /** A request of any method with {@code body} as JSON, asking for JSON. */
    public Reply sendJson(String method, String path, Map<String, ?> body, String... headers) {
        UsedSecrets.addFields(body);
        try {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                    concat(new String[] {"Content-Type", "application/json", "Accept", "application/json"}, headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST path} with this body as given, of this content type. */
    public Reply postRaw(String path, String contentType, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                concat(new String[] {"Content-Type", contentType}, headers));
    }

    /** {@code POST path} with {@code fields} URL-encoded, as an HTML form sends them. */
    public Reply postForm(String path, Map<String, String> fields, String... headers) {
        UsedSecrets.addFields(fields);
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return postRaw(path, "application/x-www-form-urlencoded", body, headers);
    }

    /** A request of any method without a body. */
    public Reply request(String method, String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    /** The CSRF token for this client, from {@code GET /login} as an SPA would fetch it. */
    public String csrfToken() {
        return getJson("/login").json().path("response").path("csrf_token").asText();
    }

    /** Signs in over JSON the way an SPA does (GET /login for the CSRF token, then POST). */
    public Reply login(String email, String password) {
        return login(email, password, Map.of());
    }

    /** Signs in over JSON with {@code extra} fields in the body (e.g. {@code remember}) and these headers. */
    public Reply login(String email, String password, Map<String, ?> extra, String... headers) {
        String csrf = csrfToken();
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("email", email);
        body.put("password", password);
        return postJson("/login", body, concat(new String[] {"X-CSRFToken", csrf}, headers));
    }

    /** Signs in and returns {@code response.user.authentication_token}. */
    public String loginForToken(String email, String password) {
        Reply reply = login(email, password, Map.of("include_auth_token", true));
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply);
        }
        return reply.user().path("authentication_token").asText();
    }

    /** Follows a redirect: GET of its {@code Location}. */
    public Reply follow(Reply redirect) {
        if (redirect.status() / 100 != 3) {
            throw new AssertionError("not a redirect: " + redirect);
        }
        return get(redirect.header("Location"));
    }

    /**
     * A page with its CSRF tokens blanked out: two clients' pages differ by their tokens alone when
     * nothing else tells them apart.
     */
    public static String withoutCsrfTokens(String html) {
        return html.replaceAll("name=\"csrf_token\" value=\"[^\"]*\"", "name=\"csrf_token\" value=\"\"");
    }

    /** The current value of a cookie in the jar, or null. */
    public String cookie(String name) {
        return cookies.get(name);
    }

    /** Puts a cookie into the jar, as if the server had set it (a copied cookie, a replay). */
    public void putCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** An {@code Authorization: Basic} header value. */
    public static String basic(String user, String password) {
        UsedSecrets.add(password);
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Headers later in the list replace earlier ones of the same name (so tests can override defaults). */
    private Reply send(HttpRequest.Builder builder, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
            if (UsedSecrets.isSecretHeader(headers[i])) {
                UsedSecrets.add(headers[i + 1]);
            }
        }
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                remember(setCookie);
            }
            // For NoSecretsInLogsTest: what the server handed out must never show up in its log.
            cookies.values().forEach(UsedSecrets::add);
            UsedSecrets.addFromJson(response.body());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        if (setCookie.contains("Max-Age=0") || value.isEmpty()) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    private static String[] concat(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
