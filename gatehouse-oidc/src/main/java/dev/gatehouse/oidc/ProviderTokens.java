package dev.gatehouse.oidc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens a provider issued. Keep them server-side and encrypted at rest; {@link #toString()} hides them.
 *
 * @param accessToken  the access token for the provider's APIs (or the APIs of the scopes)
 * @param refreshToken the refresh token, if the provider issued one (Entra ID needs {@code offline_access})
 * @param idToken      the ID token as received (a JWT), if the response held one; after a refresh usually empty
 * @param expiresAt    when the access token expires, by the client's clock (an hour after issue when the provider
 *                     does not say)
 * @param scopes       the scopes granted (as the provider reported them, else as requested)
 */
public record ProviderTokens(String accessToken, Optional<String> refreshToken, Optional<String> idToken,
        Instant expiresAt, Set<String> scopes) {

    /** Copies the scopes; no value may be null. */
    public ProviderTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(scopes);
    }

    /** Whether every scope of {@code wanted} was granted. */
    public boolean grants(Set<String> wanted) {
        return scopes.containsAll(wanted);
    }

    /** Expiry and scopes only; the tokens are redacted. */
    @Override
    public String toString() {
        return "ProviderTokens[expiresAt=" + expiresAt + ", scopes=" + scopes
                + ", refreshToken=" + (refreshToken.isPresent() ? "present" : "absent") + ", tokens redacted]";
    }
}
