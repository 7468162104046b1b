package dev.gatehouse.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * The start of an authorization-code flow: send the browser to {@link #location()} and keep
 * {@link #secrets()} for the callback.
 *
 * @param location the provider's authorization URL with every parameter set
 * @param secrets  state, nonce and PKCE verifier of this flow
 */
public record AuthorizationStart(URI location, FlowSecrets secrets) {

    /** Neither part may be null. */
    public AuthorizationStart {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(secrets, "secrets");
    }
}
