package dev.gatehouse.oidc;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A user the provider vouched for, after the ID token was fully validated. The external identity is
 * ({@link #issuer()}, {@link #subject()}), never the email: an email is a hint, and only with
 * {@link #emailVerified()} may it be trusted as confirmed.
 *
 * @param providerId      the {@link OidcProvider#id()} of the provider
 * @param issuer          the ID token's {@code iss} (tenant-specific for multi-tenant Entra ID)
 * @param subject         the ID token's {@code sub}
 * @param email           the {@code email} claim, if any
 * @param emailVerified   true only when the provider asserted {@code email_verified=true}
 * @param name            the {@code name} claim, if any
 * @param claims          the ID token's claims, with the userinfo claims when fetched (protocol claims from the ID token win)
 * @param roleClaimValues the values of the provider's {@linkplain OidcProvider#roleClaim() role claim}, empty without one
 * @param tokens          the tokens of the sign-in
 */
public record ProviderSignIn(String providerId, String issuer, String subject, Optional<String> email,
        boolean emailVerified, Optional<String> name, Map<String, Object> claims, Set<String> roleClaimValues,
        ProviderTokens tokens) {

    /** Copies the collections; no value may be null. */
    public ProviderSignIn {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        claims = Map.copyOf(claims);
        roleClaimValues = Set.copyOf(roleClaimValues);
        Objects.requireNonNull(tokens, "tokens");
    }
}
