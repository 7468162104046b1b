package dev.gatehouse.passkeys;

import dev.gatehouse.user.Passkey;
import java.util.Objects;

/**
 * A verified passkey assertion: whose passkey signed, after its counter and backup state were
 * stored.
 *
 * @param userId  the owner, the only user this assertion may sign in
 * @param passkey      the passkey as it is stored now
 * @param userVerified whether the authenticator verified the user (PIN, biometrics: the UV flag), so
 *                     that the assertion may count as two factors ({@code wan-allow-as-multi-factor})
 */
public record PasskeyAssertion(long userId, Passkey passkey, boolean userVerified) {

    /** Checks the fields. */
    public PasskeyAssertion {
        Objects.requireNonNull(passkey, "passkey");
    }
}
