package dev.gatehouse.passkeys;

import dev.gatehouse.error.GatehouseException;
import java.util.Optional;

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

    /** The owner of the registered passkey the refused assertion presented; 0 when none was found. */
    private final long owner;

    PasskeyException(String code, String message) {
        this(code, message, null, 0);
    }

    PasskeyException(String code, String message, Throwable cause) {
        this(code, message, cause, 0);
    }

    private PasskeyException(String code, String message, Throwable cause, long owner) {
        super(code, message, cause);
        this.owner = owner;
    }

    /** The same refusal, for an assertion that presented a passkey of user {@code owner}. */
    PasskeyException presentedBy(long owner) {
        return new PasskeyException(code(), getMessage(), getCause(), owner);
    }

    /**
     * The id of the user whose registered passkey a refused assertion presented — its failures
     * count towards that account's limits — or empty when the credential is unknown or none was read.
     */
    public Optional<Long> owner() {
        return owner == 0 ? Optional.empty() : Optional.of(owner);
    }
}
