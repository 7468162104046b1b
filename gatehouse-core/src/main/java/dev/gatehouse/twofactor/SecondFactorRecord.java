package dev.gatehouse.twofactor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link SecondFactorStore} keeps for one user: the second factor they set up, the
 * (sealed) authenticator secret, the phone number codes go to, the digests of unused recovery
 * codes, the methods enabled for unified sign-in, and the last TOTP time step accepted.
 *
 * @param userId              the owner
 * @param primaryMethod       the method asked for after the first factor; empty: two-factor is off
 * @param sealedTotpSecret    the TOTP key sealed with {@link dev.gatehouse.token.ValueSealer}, never the
 *                            key itself
 * @param phoneNumber         where SMS codes go (E.164, e.g. {@code +4915112345678})
 * @param recoveryCodeDigests digests of the unused recovery codes, never the codes
 * @param signInMethods       methods the user enabled for unified sign-in ({@code /us-signin})
 * @param lastTotpStep        the highest RFC 6238 time step accepted so far, 0 if none: the replay guard
 */
public record SecondFactorRecord(long userId, Optional<FactorMethod> primaryMethod, Optional<String> sealedTotpSecret,
        Optional<String> phoneNumber, List<String> recoveryCodeDigests, Set<FactorMethod> signInMethods,
        long lastTotpStep) {

    public SecondFactorRecord {
        Objects.requireNonNull(primaryMethod, "primaryMethod");
        Objects.requireNonNull(sealedTotpSecret, "sealedTotpSecret");
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        recoveryCodeDigests = List.copyOf(recoveryCodeDigests);
        signInMethods = Set.copyOf(signInMethods);
    }

    /** A record of {@code userId} with nothing set up. */
    public static SecondFactorRecord empty(long userId) {
        return new SecondFactorRecord(userId, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Set.of(), 0);
    }

    /** Whether this record has no method and no recovery codes: nothing worth keeping. */
    public boolean isEmpty() {
        return primaryMethod.isEmpty() && signInMethods.isEmpty() && recoveryCodeDigests.isEmpty()
                && sealedTotpSecret.isEmpty() && phoneNumber.isEmpty();
    }

    /** Hides the phone number and counts digests, so a record in a log or exception reveals nothing. */
    @Override
    public String toString() {
        return "SecondFactorRecord[userId=" + userId + ", primaryMethod=" + primaryMethod.map(FactorMethod::wireName).orElse("none")
                + ", totpSecret=" + (sealedTotpSecret.isPresent() ? "set" : "none") + ", phone=" + (phoneNumber.isPresent() ? "set" : "none")
                + ", recoveryCodes=" + recoveryCodeDigests.size() + ", signInMethods=" + signInMethods + ", lastTotpStep="
                + lastTotpStep + "]";
    }
}
