package dev.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A script client of a running application, over the JDK's HTTP client: JSON requests, and
 * cookies kept by hand because the JDK's cookie manager never sends Gatehouse's default
 * {@code Secure} cookies over plain HTTP (browsers do, to localhost).
 */
public final class AppClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public AppClient(int port) {
        this.base = "http://localhost:" + port;
    }

    /** A GET, as JSON unless the headers (name, value, ...) name another Accept. */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        boolean accept = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            accept |= headers[i].equalsIgnoreCase("Accept");
        }
        if (!accept) {
            request.header("Accept", "application/json");
        }
        return send(request);
    }

    /** A JSON POST with the CSRF token that a JSON GET of /login hands out. */
    public HttpResponse<String> postJson(String path, String json) {
        return postJson(path, json, field(get("/login").body(), "csrf_token"));
    }

    /** A JSON POST with this CSRF token, or none if null. */
    public HttpResponse<String> postJson(String path, String json, String csrfToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        return send(request);
    }

    /** Registers through Gatehouse's JSON API, expecting 200. */
    public void register(String email, String password) {
        HttpResponse<String> response = postJson("/register",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"password_confirm\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Signs in through Gatehouse's JSON API, expecting 200; returns the API token. */
    public String login(String email, String password) {
        HttpResponse<String> response = postJson("/login?include_auth_token",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return field(response.body(), "authentication_token");
    }

    public static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as("no %s in %s", name, json).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return response;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
