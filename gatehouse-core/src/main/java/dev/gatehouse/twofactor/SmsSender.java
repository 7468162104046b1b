package dev.gatehouse.twofactor;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Settings;
import java.nio.file.Path;

/**
 * Sends text messages: the SPI behind the {@code sms} second factor
 * ({@code Gatehouse.builder().smsSender(...)}). Gatehouse ships {@link #NONE} (the default: no SMS)
 * and a development sender that writes each message as a file into {@code mail-folder}
 * ({@code sms-service=files}); an application plugs in its provider (Twilio, ...).
 *
 * <p>Implementations are thread-safe and must not log the text, which holds a one-time code.
 */
@FunctionalInterface
public interface SmsSender {

    /** Refuses every message: the {@code sms} method is unavailable. */
    SmsSender NONE = new SmsSender() {
        @Override
        public void send(String phoneNumber, String text) {
            throw new UnsupportedOperationException("no SmsSender is configured (sms-service=none)");
        }

        @Override
        public boolean available() {
            return false;
        }
    };

    /**
     * Sends {@code text} to {@code phoneNumber}.
     *
     * @param phoneNumber E.164, e.g. {@code +4915112345678}
     * @throws RuntimeException if it could not be handed to the provider
     */
    void send(String phoneNumber, String text);

    /** Whether this sender can send at all; false only for {@link #NONE}-like senders. */
    default boolean available() {
        return true;
    }

    /**
     * The sender {@code sms-service} names: {@link #NONE}, or for {@code files} one writing each
     * message as a text file into {@code mail-folder} (development only: the files hold the codes).
     */
    static SmsSender fromConfig(GatehouseConfig config) {
        return switch (config.get(TwoFactorSettings.SMS_SERVICE)) {
            case NONE -> NONE;
            case FILES -> new FileSmsSender(Path.of(config.get(Settings.MAIL_FOLDER)));
        };
    }
}
