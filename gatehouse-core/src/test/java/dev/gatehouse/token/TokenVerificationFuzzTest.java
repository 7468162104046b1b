package dev.gatehouse.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.testing.FuzzInput;
import dev.gatehouse.testing.TestGatehouse;
import java.time.Duration;
import java.util.Map;

/**
 * Fuzzes the checks of every signed or secret value a client sends back: signed tokens (API
 * tokens, one-time links, the flash cookie), MACs (CSRF tokens) and one-time secrets (session,
 * remember-me and refresh-token values). For any text: no exception, and nothing but the genuine
 * value passes — a mutation of a real token, however small, is refused. The input's first line
 * is the presented value; {@code {TOKEN}}, {@code {MAC}} and {@code {SECRET}} stand for genuine
 * ones, so the fuzzer starts from real values. Replayed in every test run; fuzzed in the
 * {@code fuzz} profile (docs/security.md, "Fuzzing").
 */
class TokenVerificationFuzzTest {

    private static final TestGatehouse T = new TestGatehouse();
    private static final TokenSigner SIGNER = T.gatehouse.tokens();
    private static final String TOKEN = SIGNER.sign("reset", "42:1764000000:stamp-ü");
    private static final String MAC = SIGNER.mac("csrf", "session:family");
    private static final OneTimeSecret SECRET = OneTimeSecret.generate();
    private static final Map<String, String> GENUINE = Map.of("{TOKEN}", TOKEN, "{MAC}", MAC, "{SECRET}", SECRET.value());

    @FuzzTest
    void onlyGenuineValuesPass(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        String presented = FuzzInput.substitute(input.line(), GENUINE);

        TokenCheck check = SIGNER.verify("reset", presented, Duration.ofHours(1));
        if (!(check instanceof TokenCheck.Invalid)) {
            assertThat(presented).isEqualTo(TOKEN);
            assertThat(check.validPayload()).contains("42:1764000000:stamp-ü");
        }
        // The same genuine token is no token for another purpose.
        assertThat(SIGNER.verify("auth-token", presented, Duration.ofHours(1))).isInstanceOf(TokenCheck.Invalid.class);

        if (SIGNER.verifyMac("csrf", "session:family", presented)) {
            assertThat(presented).isEqualTo(MAC);
        }
        if (OneTimeSecret.matches(presented, SECRET.digest())) {
            assertThat(presented).isEqualTo(SECRET.value());
        }
        assertThat(OneTimeSecret.digestOf(presented)).hasSize(OneTimeSecret.DIGEST_LENGTH);
    }
}
