package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.testing.FuzzInput;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Fuzzes the web layer's parsers of request parts one by one: the body as JSON or form fields
 * ({@code RequestFields}), {@code Content-Type} and {@code Accept} ({@code ContentNegotiation}),
 * {@code X-Forwarded-For} ({@code ClientAddresses}) and {@code Authorization: Basic}
 * ({@code BasicCredentials}). Whatever the input: no exception; the client address is the peer's
 * or a plausible address the trusted proxies passed on; Basic authenticates only with the real
 * email and password. Input lines: Content-Type, Accept, X-Forwarded-For, Authorization (where
 * {@code {BASIC}} is the genuine header), then the body.
 */
class RequestParsingFuzzTest {

    private static final String EMAIL = "fuzz@example.com";
    private static final String PASSWORD = "correct horse battery";
    private static final TestGatehouse T = new TestGatehouse(c -> c.set(RATE_LIMITS_ENABLED, false));
    private static final BasicCredentials BASIC = new BasicCredentials(T.gatehouse);
    private static final String GENUINE_BASIC = "Basic "
            + Base64.getEncoder().encodeToString((EMAIL + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    static {
        T.user(EMAIL, PASSWORD);
    }

    @FuzzTest
    @DictionaryEntries({"application/json", "application/x-www-form-urlencoded", "; charset=", "utf-8", "+json",
        "text/html", "*/*", ";q=", "0.9", "NaN", "\"email\"", "\"password\"", "\"remember\"", "csrf_token=", "%",
        "Basic ", "::1", "198.51.100.7", ", "})
    void requestPartsParseWithoutSurprises(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        InProcessExchange.Request request = new InProcessExchange.Request();
        request.method = "POST";
        request.header("Content-Type", input.line())
                .header("Accept", input.line())
                .header("X-Forwarded-For", input.line());
        String authorization = FuzzInput.substitute(input.line(), Map.of("{BASIC}", GENUINE_BASIC));
        request.body = input.rest();

        RequestFields fields = RequestFields.parse(request);
        for (String name : new String[] {"email", "password", "remember", "next", "csrf_token", ""}) {
            fields.text(name);
            fields.flag(name);
            fields.has(name);
        }
        if (fields.isMalformed()) {
            assertThat(ContentNegotiation.isJson(request.header("Content-Type").orElse(""))).isTrue();
        }
        ContentNegotiation.wantsJson(request);

        for (int proxies = 0; proxies <= 2; proxies++) {
            String client = ClientAddresses.resolve(request, proxies);
            if (!client.equals(request.remoteAddress)) {
                assertThat(proxies).isPositive();
                assertThat(Arrays.stream(request.header("X-Forwarded-For").orElseThrow().split(",")).map(String::strip))
                        .contains(client);
                assertThat(client).hasSizeLessThanOrEqualTo(45).matches("[A-Za-z0-9.:]+");
            }
        }

        BASIC.authenticate(authorization).ifPresent(auth -> {
            // Other spellings of the same credentials (no padding, "basic ") may pass; nothing else.
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            assertThat(decoded.toLowerCase(Locale.ROOT)).isEqualTo((EMAIL + ":" + PASSWORD).toLowerCase(Locale.ROOT));
            assertThat(decoded).endsWith(":" + PASSWORD);
        });
    }
}
