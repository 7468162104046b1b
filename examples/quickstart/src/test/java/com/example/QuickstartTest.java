package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Starts the quickstart on a real port and uses it as a script client would, over Gatehouse's JSON API. */
class QuickstartTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct horse battery staple 42";

    private Javalin app;
    private String base;

    @BeforeEach
    void start() {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        app = Quickstart.start(Map.of(
                "DATABASE_URL", "jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "GATEHOUSE_SECRET", Base64.getEncoder().encodeToString(secret)), 0);
        base = "http://localhost:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void registeredUserSignsInWithSessionAndToken() {
        Client anonymous = new Client();
        assertEquals(401, anonymous.get("/", Map.of()).statusCode());
        assertEquals(401, anonymous.get("/api/me", Map.of()).statusCode());

        Client registering = new Client();
        HttpResponse<String> registered = registering.postJson("/register",
                "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\",\"password_confirm\":\"" + PASSWORD + "\"}");
        assertEquals(200, registered.statusCode(), registered.body());

        Client browser = new Client();
        HttpResponse<String> login = browser.postJson("/login?include_auth_token",
                "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, login.statusCode(), login.body());

        HttpResponse<String> home = browser.get("/", Map.of());
        assertEquals(200, home.statusCode());
        assertEquals("Hello, " + EMAIL, home.body());
        assertEquals(403, browser.get("/admin", Map.of()).statusCode());

        String token = field(login.body(), "authentication_token");
        HttpResponse<String> me = anonymous.get("/api/me", Map.of("Authentication-Token", token));
        assertEquals(200, me.statusCode());
        assertTrue(me.body().contains("\"email\":\"" + EMAIL + "\""), me.body());
    }

    @Test
    void wrongPasswordIsRefused() {
        Client client = new Client();
        client.postJson("/register", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD
                + "\",\"password_confirm\":\"" + PASSWORD + "\"}");
        Client other = new Client();
        assertEquals(400, other.postJson("/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"not it at all\"}").statusCode());
        assertEquals(401, other.get("/", Map.of()).statusCode());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), () -> "no " + name + " in " + json);
        return m.group(1);
    }

    /**
     * Keeps cookies itself: the JDK's cookie manager never sends the default {@code Secure}
     * cookies over plain HTTP, which browsers do for localhost.
     */
    private final class Client {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> get(String path, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
            headers.forEach(request::header);
            return send(request);
        }

        /** A JSON POST with the CSRF token that a JSON GET of /login hands out. */
        HttpResponse<String> postJson(String path, String json) {
            String csrf = field(get("/login", Map.of()).body(), "csrf_token");
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Accept", "application/json").header("Content-Type", "application/json")
                    .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
            }
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
}
