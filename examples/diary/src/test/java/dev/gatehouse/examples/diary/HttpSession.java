package dev.gatehouse.examples.diary;

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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP client for the diary's contract tests: the JDK's client, a cookie jar, no
 * automatic redirects, and helpers for the diary's forms and JSON API.
 */
final class HttpSession {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    final String base;
    final Map<String, String> cookies = new LinkedHashMap<>();

    HttpSession(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    record Reply(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        /** The CSRF token of the first form on the page. */
        String csrf() {
            Matcher m = CSRF.matcher(raw.body());
            if (!m.find()) {
                throw new AssertionError("no csrf_token field in " + raw.body());
            }
            return m.group(1);
        }

        @Override
        public String toString() {
            return status + " " + raw.headers().map() + " " + raw.body();
        }
    }

    Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    Reply getJson(String path, String... headers) {
        return get(path, concat(new String[] {"Accept", "application/json"}, headers));
    }

    Reply postForm(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return postRaw(path, "application/x-www-form-urlencoded", body, headers);
    }

    Reply postJson(String path, Object body, String... headers) {
        try {
            return postRaw(path, "application/json", JSON.writeValueAsString(body),
                    concat(new String[] {"Accept", "application/json"}, headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply postRaw(String path, String contentType, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                concat(new String[] {"Content-Type", contentType}, headers));
    }

    /** A request without a body in any method ({@code HEAD}, {@code PUT}, {@code DELETE}, ...). */
    Reply send(String method, String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    /** Signs in through the HTML form, as a browser does; returns the redirect. */
    Reply login(String email, String password) {
        String csrf = get("/login").csrf();
        return postForm("/login", Map.of("email", email, "password", password, "csrf_token", csrf));
    }

    /** Registers through the HTML form; returns the redirect. */
    Reply register(String email, String password, String displayName) {
        String csrf = get("/register").csrf();
        return postForm("/register", Map.of("email", email, "password", password, "password_confirm", password,
                "display_name", displayName, "csrf_token", csrf));
    }

    /** Writes an entry through the dashboard's form; returns the redirect. */
    Reply write(String content) {
        return postForm("/entries", Map.of("content", content, "csrf_token", get("/").csrf()));
    }

    /** An API token from a JSON sign-in. */
    String token(String email, String password) {
        HttpSession api = new HttpSession(base);
        String csrf = api.getJson("/login").json().path("response").path("csrf_token").asText();
        Reply login = api.postJson("/login?include_auth_token", Map.of("email", email, "password", password), "X-CSRF-Token", csrf);
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login);
        }
        return login.json().path("response").path("user").path("authentication_token").asText();
    }

    private Reply send(HttpRequest.Builder builder, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
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
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
