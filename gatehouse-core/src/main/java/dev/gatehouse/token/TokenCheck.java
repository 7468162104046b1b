package dev.gatehouse.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link TokenSigner#verify}: {@link Valid}, {@link Expired} or {@link Invalid}.
 *
 * <p>Only {@link Valid} authenticates anything. {@link Expired} means the signature is genuine but
 * the token is too old; its payload is authentic but stale, fit for "your link expired, we sent a
 * new one" and nothing more. {@link Invalid} covers every other failure; its {@link Reason} is for
 * logs and metrics, and callers should answer all reasons alike so that attackers learn nothing.
 */
public sealed interface TokenCheck {

    /** The payload of a {@link Valid} token; empty for any other outcome. */
    default Optional<String> validPayload() {
        return this instanceof Valid valid ? Optional.of(valid.payload()) : Optional.empty();
    }

    /**
     * A genuine token for the purpose, within its maximum age.
     *
     * @param payload  what was signed
     * @param issuedAt when it was signed, to the second
     */
    record Valid(String payload, Instant issuedAt) implements TokenCheck {
        public Valid {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(issuedAt, "issuedAt");
        }

        /** Without the payload, which may identify a user. */
        @Override
        public String toString() {
            return "Valid[issuedAt=" + issuedAt + "]";
        }
    }

    /**
     * A genuine token for the purpose that is older than the maximum age. Reported only after the
     * signature checked out: a forged token is always {@link Invalid}.
     *
     * @param payload   what was signed; authentic, but must not authenticate anyone
     * @param issuedAt  when it was signed, to the second
     * @param expiredAt when it stopped being valid ({@code issuedAt} plus the maximum age)
     */
    record Expired(String payload, Instant issuedAt, Instant expiredAt) implements TokenCheck {
        public Expired {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiredAt, "expiredAt");
        }

        /** Without the payload, which may identify a user. */
        @Override
        public String toString() {
            return "Expired[issuedAt=" + issuedAt + ", expiredAt=" + expiredAt + "]";
        }
    }

    /**
     * Not a genuine, current token for the purpose.
     *
     * @param reason why, for logs only
     */
    record Invalid(Reason reason) implements TokenCheck {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a token is {@link Invalid}. For logs and metrics, never for responses. */
    enum Reason {
        /** Not a token of a format this version reads: empty, too long, wrong shape or characters. */
        MALFORMED,
        /** Signed with a secret that is neither the current nor a previous one (e.g. rotated out). */
        UNKNOWN_KEY,
        /** The signature does not match: tampered, truncated, or made for another purpose. */
        BAD_SIGNATURE,
        /** Genuine, but issued later than now allowing for clock skew: a clock problem or a stolen key. */
        ISSUED_IN_FUTURE
    }
}
