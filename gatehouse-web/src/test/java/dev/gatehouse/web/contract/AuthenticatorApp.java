package dev.gatehouse.web.contract;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * What a user's authenticator app does in the tests: the RFC 6238 code (SHA-1, 6 digits, 30 s) of
 * a base32 key at an instant, computed by java-otp independently of Gatehouse's own code. Also a
 * phone: an {@link dev.gatehouse.twofactor.SmsSender} that keeps every text.
 */
final class AuthenticatorApp {

    private AuthenticatorApp() {
    }

    /** The code an authenticator app shows for {@code base32Key} at {@code at}. */
    static String code(String base32Key, Instant at) {
        byte[] key = new Base32().decode(base32Key);
        try {
            TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6,
                    TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
            return totp.generateOneTimePasswordString(new SecretKeySpec(key, "HmacSHA1"), at);
        } catch (InvalidKeyException e) {
            throw new AssertionError(e);
        }
    }

    /** One text message sent. */
    record Sms(String to, String text) {

        /** The six-digit code in it. */
        String code() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in: " + text);
            }
            UsedSecrets.add(m.group(1));
            return m.group(1);
        }
    }

    /** An SMS sender that keeps what it was given to send. */
    static final class Phone implements dev.gatehouse.twofactor.SmsSender {

        final List<Sms> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(String phoneNumber, String text) {
            sent.add(new Sms(phoneNumber, text));
        }

        /** The last text to {@code number}. */
        Sms last(String number) {
            for (int i = sent.size() - 1; i >= 0; i--) {
                if (sent.get(i).to().equals(number)) {
                    return sent.get(i);
                }
            }
            throw new AssertionError("no text to " + number + " in " + sent);
        }
    }
}
