package dev.gatehouse.twofactor;

import dev.gatehouse.config.Choice;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of second factor, named as Flask-Security names its two-factor and unified sign-in
 * methods ({@code authenticator}, {@code email}, {@code sms}); also the values of the
 * {@code two-factor-enabled-methods} and {@code us-enabled-methods} settings.
 */
public enum FactorMethod implements Choice {
    /** A time-based one-time password (RFC 6238) from an authenticator app. */
    AUTHENTICATOR,
    /** A one-time code sent by email. */
    EMAIL,
    /** A one-time code sent by text message through the configured {@link SmsSender}. */
    SMS;

    /** Flask-Security's name of the method: {@code authenticator}, {@code email} or {@code sms}. */
    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method of a Flask-Security name, ignoring case; empty for anything else. */
    public static Optional<FactorMethod> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (FactorMethod method : values()) {
            if (method.wireName().equalsIgnoreCase(name.strip())) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
