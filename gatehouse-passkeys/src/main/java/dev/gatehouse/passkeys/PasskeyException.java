package dev.gatehouse.passkeys;

import dev.gatehouse.error.GatehouseException;

/**
 * A passkey ceremony refused. The code says why, for logs and tests; the message never carries
 * the credential, challenge or state. Web clients see one generic message per ceremony, so a
 * refusal tells an attacker nothing about accounts.
 *
 * <p>Codes: {@code PASSKEY_STATE_INVALID} (expired, tampered, replayed, or another ceremony's or
 * user's state), {@code PASSKEY_CREDENTIAL_INVALID} (unparsable or failed WebAuthn verification:
 * signature, challenge, origin, rp id, flags), {@code PASSKEY_UNKNOWN_CREDENTIAL} (not registered,
 * or not usable here), {@code PASSKEY_WRONG_USER} (the credential belongs to someone else, or the
 * user handle does not match its owner), {@code PASSKEY_COUNTER_REGRESSION} (a possible clone).
 */
public final class PasskeyException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    PasskeyException(String code, String message) {
        super(code, message);
    }

    PasskeyException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
