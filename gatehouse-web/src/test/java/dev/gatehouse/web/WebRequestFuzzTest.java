package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.testing.FuzzInput;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.NewUser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fuzzes the whole request path of the web layer without a server: one request, built from the
 * input, goes through {@link GatehouseWeb#enforce} as if to an application route that needs a
 * signed-in user, and — if its method and path name one — through Gatehouse's own endpoint
 * ({@code /login}, {@code /logout}, {@code /verify}, {@code /refresh-token}, {@code /change}, …),
 * with every account feature on. Whatever the request: no exception escapes (it would be a 500),
 * no status is 5xx, a redirect never leaves the site, and the application route lets it in only
 * if it carries a genuine credential unchanged.
 *
 * <p>Input lines: method, path (with {@code ?query}), Content-Type, Accept, Authorization,
 * Authentication-Token, Cookie, X-CSRF-Token, X-Forwarded-For, then the body. Placeholders stand
 * for genuine values: {@code {TOKEN}} (API token), {@code {SESSION}}, {@code {REMEMBER}},
 * {@code {REFRESH}}, {@code {BASIC}} (an {@code Authorization} header), {@code {CSRF}} (the
 * session's CSRF token), {@code {FLASH}} (a flash cookie).
 */
class WebRequestFuzzTest {

    private static final String EMAIL = "fuzz@example.com";
    private static final String PASSWORD = "correct horse battery";
    private static final TestGatehouse T = new TestGatehouse(c -> c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false)
            .set(MAIL_BACKEND, MailBackend.NONE).set(EXTERNAL_URL, "https://site.example").set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true).set(CHANGEABLE, true)
            .set(CHANGE_EMAIL, true).set(USERNAME_ENABLE, true).set(USERNAME_RECOVERY, true).set(UNIFIED_SIGNIN, true).set(TRACKABLE, true));
    private static final GatehouseWeb WEB = new GatehouseWeb(T.gatehouse);

    static {
        T.gatehouse.users().createUser(NewUser.builder(EMAIL).passwordHash(T.gatehouse.passwords().hash(PASSWORD))
                .confirmedAt(T.clock.instant()).build());
    }

    private static final AccessRule APPLICATION_ROUTE = AccessRule.authenticated();
    private static final Map<String, String> GENUINE = genuine();

    /** Signs in through {@code /login} as a client would, and keeps what it was given. */
    private static Map<String, String> genuine() {
        InProcessExchange.Response page = new InProcessExchange.Response();
        String csrf = WEB.csrfToken(new InProcessExchange.Request(), page);
        InProcessExchange.Request login = new InProcessExchange.Request();
        login.method = "POST";
        login.path = "/login";
        login.query = "include_auth_token&include_refresh_token";
        login.header("Content-Type", "application/json").header("X-CSRF-Token", csrf);
        login.cookies.putAll(page.cookiesSet());
        login.body = "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\",\"remember\":true}";
        InProcessExchange.Response answer = new InProcessExchange.Response();
        WEB.routes().stream().filter(r -> r.method().equals("POST") && r.path().equals("/login")).findFirst().orElseThrow()
                .handler().handle(login, answer);
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        JsonNode user = Json.readObject(answer.body).orElseThrow().path("response").path("user");
        Map<String, String> cookies = answer.cookiesSet();

        InProcessExchange.Request signedIn = new InProcessExchange.Request();
        signedIn.cookies.put("gatehouse_session", cookies.get("gatehouse_session"));
        return Map.of(
                "{TOKEN}", user.path("authentication_token").asText(),
                "{SESSION}", cookies.get("gatehouse_session"),
                "{REMEMBER}", cookies.get("gatehouse_remember"),
                "{REFRESH}", user.path("refresh_token").asText(),
                "{BASIC}", "Basic " + Base64.getEncoder().encodeToString((EMAIL + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                "{CSRF}", WEB.csrfToken(signedIn, new InProcessExchange.Response()),
                "{FLASH}", T.gatehouse.tokens().sign(Flashes.PURPOSE, "[{\"c\":\"info\",\"m\":\"LOGOUT\"}]"));
    }

    @FuzzTest
    @DictionaryEntries({"POST", "GET", "/login", "/logout", "/verify", "/change", "/register", "/reset", "/confirm",
        "/refresh-token", "/change-email", "/us-signin", "/tf-validate", "?next=", "include_auth_token", "auth_token",
        "application/json", "; charset=", "application/x-www-form-urlencoded", "gatehouse_session=",
        "gatehouse_remember=", "gatehouse_flash=", "gatehouse_csrf=", "\"email\"", "\"password\"", "\"csrf_token\"",
        "\"refresh_token\"", "Basic ", "{TOKEN}", "{SESSION}", "{REMEMBER}", "{REFRESH}", "{CSRF}"})
    void noRequestBreaksInOrSignsInWithoutCredentials(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        InProcessExchange.Request request = new InProcessExchange.Request();
        request.method = input.line().strip().toUpperCase(java.util.Locale.ROOT);
        if (request.method.isEmpty()) {
            request.method = "GET";
        }
        String target = FuzzInput.substitute(input.line(), GENUINE);
        int question = target.indexOf('?');
        request.path = question < 0 ? target : target.substring(0, question);
        request.query = question < 0 ? null : target.substring(question + 1);
        request.header("Content-Type", input.line())
                .header("Accept", input.line())
                .header("Authorization", FuzzInput.substitute(input.line(), GENUINE))
                .header("Authentication-Token", FuzzInput.substitute(input.line(), GENUINE))
                .cookieHeader(FuzzInput.substitute(input.line(), GENUINE))
                .header("X-CSRF-Token", FuzzInput.substitute(input.line(), GENUINE))
                .header("X-Forwarded-For", input.line());
        request.body = FuzzInput.substitute(input.rest(), GENUINE);

        InProcessExchange.Response response = new InProcessExchange.Response();
        // OPTIONS (CORS preflight) passes every rule by design, without authenticating anyone.
        if (WEB.enforce(request.copy(), response, APPLICATION_ROUTE) && !request.method.equals("OPTIONS")) {
            assertThat(carriesGenuineCredential(request))
                    .as("an application route let in a request without a genuine credential").isTrue();
        } else {
            checkSound(response);
        }
        if (WEB.authentication(request.copy(), new InProcessExchange.Response()).isPresent()) {
            assertThat(carriesGenuineCredential(request)).as("authenticated without a genuine credential").isTrue();
        }

        for (WebRoute route : WEB.routes()) {
            if (route.method().equals(request.method) && route.path().equals(request.path)) {
                InProcessExchange.Response answer = new InProcessExchange.Response();
                route.handler().handle(request.copy(), answer);
                checkSound(answer);
            }
        }
    }

    private static void checkSound(InProcessExchange.Response response) {
        assertThat(response.status).as("status").isBetween(200, 499);
        if (response.status >= 300 && response.status < 400) {
            assertThat(response.header("Location")).hasValueSatisfying(location -> assertThat(location)
                    .startsWith("/").doesNotStartWith("//").doesNotStartWith("/\\"));
        }
    }

    private static boolean carriesGenuineCredential(InProcessExchange.Request request) {
        List<String> credentials = List.of(GENUINE.get("{TOKEN}"), GENUINE.get("{SESSION}"), GENUINE.get("{REMEMBER}"));
        return Stream.of(request.headers.get("authentication-token"), request.cookies.get("gatehouse_session"),
                        request.cookies.get("gatehouse_remember"), request.queryParam("auth_token").orElse(null))
                .filter(Objects::nonNull)
                .anyMatch(credentials::contains)
                // A token in a JSON body, or Basic with the real password (in any spelling).
                || request.body.contains(GENUINE.get("{TOKEN}"))
                || request.headers.getOrDefault("authorization", "").regionMatches(true, 0, "Basic ", 0, 6)
                        && basicPassword(request.headers.get("authorization")).endsWith(":" + PASSWORD);
    }

    private static String basicPassword(String authorization) {
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
