package dev.gatehouse.examples.diary;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * What a diary user's authenticator app shows: the RFC 6238 code (SHA-1, 6 digits, 30 s) of the
 * base32 key the setup page hands out, computed by java-otp apart from Gatehouse's own code; and
 * the code of an emailed second-factor message.
 *
 * <p>The diary runs on the real clock and accepts each 30-second step once. A setup uses
 * {@link #now}; a later sign-in uses {@link #next}, the step after the current one, which the
 * default window of one step accepts at once — no test waits for the clock.
 */
final class AuthenticatorApp {

    private static final Pattern MAILED_CODE = Pattern.compile("Your verification code: (\\d{6})\\b");

    private AuthenticatorApp() {
    }

    /** The code of the current step. */
    static String now(String base32Key) {
        return code(base32Key, Instant.now());
    }

    /** The code of the next step: one no earlier sign-in or setup in this test has used. */
    static String next(String base32Key) {
        return code(base32Key, Instant.now().plusSeconds(30));
    }

    static String code(String base32Key, Instant at) {
        try {
            TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6,
                    TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
            return totp.generateOneTimePasswordString(new SecretKeySpec(new Base32().decode(base32Key), "HmacSHA1"), at);
        } catch (InvalidKeyException e) {
            throw new AssertionError(e);
        }
    }

    /** The code in a {@code two_factor_instructions} message as {@link TestDiary#mail} reads it. */
    static String mailedCode(String mail) {
        Matcher m = MAILED_CODE.matcher(mail);
        if (!m.find()) {
            throw new AssertionError("no verification code in " + mail);
        }
        return m.group(1);
    }
}
