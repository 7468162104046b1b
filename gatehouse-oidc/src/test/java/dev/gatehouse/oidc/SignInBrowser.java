package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One browser against a Gatehouse server on {@code localhost}: its own cookies, redirects followed by hand
 * through the provider's authorize endpoint (which signs in at once) to the callback. Shared by the
 * web-level sign-in tests; not thread-safe.
 */
class SignInBrowser {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The password {@link #signInWithPassword} uses. */
    static final String PASSWORD = "correct horse battery";

    final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
    private final int port;
    private final String providerId;
    String csrf;
    /** The sealed flow cookie the last start set, as {@code name=value}. */
    String flowCookie;

    SignInBrowser(int port, String providerId) {
        this.port = port;
        this.providerId = providerId;
    }

    Reply get(String pathOrUrl, String... headers) throws IOException, InterruptedException {
        return send("GET", pathOrUrl, null, headers);
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        Reply reply = get(path, "Accept", "application/json");
        JsonNode json = reply.json();
        if (json.path("response").has("csrf_token")) {
            csrf = json.path("response").path("csrf_token").asText();
        }
        return json;
    }

    Reply post(String path, Map<String, String> form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send("POST", path, body.toString(), "Content-Type", "application/x-www-form-urlencoded");
    }

    Reply send(String method, String pathOrUrl, String body, String... headers) throws IOException, InterruptedException {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : URI.create("http://localhost:" + port + pathOrUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    /** The login page's button (with its CSRF token): the redirect to the provider, the flow cookie kept. */
    Reply start(Map<String, String> fields) throws IOException, InterruptedException {
        getJson("/login/oauthstart");
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("csrf_token", csrf);
        Reply start = post("/login/oauthstart/" + providerId, form);
        assertThat(start.status()).as(start.body()).isEqualTo(302);
        flowCookie = start.setCookies().stream().filter(c -> c.startsWith("gatehouse_oidc=")).findFirst().orElseThrow();
        assertThat(flowCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/login/oauthresponse")
                .contains("Max-Age=600");
        flowCookie = flowCookie.substring(0, flowCookie.indexOf(';'));
        return start;
    }

    /** The start, then the provider; returns the callback URL. */
    String startAndAuthorize(Map<String, String> fields) throws IOException, InterruptedException {
        return authorize(start(fields).location());
    }

    /** The provider signs in at once and sends the browser back: the callback URL. */
    String authorize(String location) throws IOException, InterruptedException {
        Reply atProvider = get(location);
        assertThat(atProvider.status()).as(atProvider.body()).isEqualTo(302);
        assertThat(atProvider.location()).startsWith("http://localhost:" + port + "/login/oauthresponse/" + providerId + "?");
        return atProvider.location();
    }

    Reply followProvider(String location) throws IOException, InterruptedException {
        return get(authorize(location));
    }

    Reply signInWithProvider(Map<String, String> fields) throws IOException, InterruptedException {
        return get(startAndAuthorize(fields));
    }

    /** The callback with exactly this cookie, as a replaying attacker who kept it would send it. */
    Reply rawCallback(String callback, String cookie, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(callback)).header("Cookie", cookie).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    void signInWithPassword(String email) throws IOException, InterruptedException {
        getJson("/login");
        Reply reply = send("POST", "/login", JSON.writeValueAsString(Map.of("email", email, "password", PASSWORD)),
                "Content-Type", "application/json", "X-CSRFToken", csrf);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        csrf = reply.json().path("response").path("csrf_token").asText();
    }

    /** Whether this browser holds a session cookie. */
    boolean hasSessionCookie() {
        return cookies.getCookieStore().getCookies().stream().anyMatch(c -> c.getName().endsWith("gatehouse_session"));
    }

    /** The decoded query parameters of {@code uri}. */
    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
