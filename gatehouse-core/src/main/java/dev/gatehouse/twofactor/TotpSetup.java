package dev.gatehouse.twofactor;

import java.util.Objects;

/**
 * A new authenticator secret, for a setup page: show {@code base32Key} and a QR code of
 * {@code otpauthUri}, keep {@code sealedSecret} (in a sealed state, never in plain view of
 * the page) and hand it to {@link TwoFactor#verify} and {@link TwoFactor#enable} once the user
 * proves a code.
 *
 * @param base32Key    the 160-bit key in RFC 4648 base32 without padding, for typing into an app
 * @param otpauthUri   {@code otpauth://totp/issuer:email?secret=...&issuer=...} (Key Uri Format)
 * @param sealedSecret the key sealed with Gatehouse's secret, as stored once enabled
 */
public record TotpSetup(String base32Key, String otpauthUri, String sealedSecret) {

    public TotpSetup {
        Objects.requireNonNull(base32Key, "base32Key");
        Objects.requireNonNull(otpauthUri, "otpauthUri");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
    }

    /** Hides the key, so a setup in a log reveals nothing. */
    @Override
    public String toString() {
        return "TotpSetup[key hidden]";
    }
}
