package dev.gatehouse.oidc;

import java.util.Objects;
import java.util.Set;

/**
 * What the relying party must remember between sending the browser to the provider and the callback:
 * keep it server-side or sealed (never in plain view), and pass it to {@link OidcClient#finish}.
 * {@link #toString()} hides the values.
 *
 * @param state        the {@code state} sent; the callback must carry the same value
 * @param nonce        the {@code nonce} sent; the ID token must carry the same value
 * @param codeVerifier the PKCE verifier whose S256 challenge was sent
 * @param scopes       the scopes requested
 */
public record FlowSecrets(String state, String nonce, String codeVerifier, Set<String> scopes) {

    /** Copies the scopes; no value may be null. */
    public FlowSecrets {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        scopes = Set.copyOf(scopes);
    }

    /** The scopes only; the secrets are redacted. */
    @Override
    public String toString() {
        return "FlowSecrets[scopes=" + scopes + ", state, nonce and codeVerifier redacted]";
    }
}
