package dev.gatehouse.oidc;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider's discovery document ({@code /.well-known/openid-configuration}) says, as far as
 * Gatehouse uses it.
 *
 * @param issuer                      the issuer the document declares (for multi-tenant Entra ID the template
 *                                    with {@code %7Btenantid%7D}, its braces percent-encoded)
 * @param authorizationEndpoint       where browsers are sent to sign in
 * @param tokenEndpoint               where codes, refresh tokens and device codes are exchanged
 * @param jwksUri                     the provider's signing keys
 * @param userInfoEndpoint            the userinfo endpoint, if any
 * @param endSessionEndpoint          the RP-initiated logout endpoint, if any
 * @param deviceAuthorizationEndpoint the RFC 8628 device authorization endpoint, if any
 * @param scopesSupported             the scopes the provider lists, possibly empty
 */
public record Metadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
        Optional<URI> userInfoEndpoint, Optional<URI> endSessionEndpoint, Optional<URI> deviceAuthorizationEndpoint,
        Set<String> scopesSupported) {

    /** Copies the scopes; no value may be null. */
    public Metadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(userInfoEndpoint, "userInfoEndpoint");
        Objects.requireNonNull(endSessionEndpoint, "endSessionEndpoint");
        Objects.requireNonNull(deviceAuthorizationEndpoint, "deviceAuthorizationEndpoint");
        scopesSupported = Set.copyOf(scopesSupported);
    }
}
