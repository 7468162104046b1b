package dev.gatehouse.oidc;

import dev.gatehouse.error.GatehouseException;
import java.util.Objects;
import java.util.Optional;

/**
 * An OpenID Connect exchange with a provider failed. {@link #error()} says why as an {@link OidcError};
 * {@link #code()} is that error's name (e.g. {@code INVALID_ID_TOKEN}), like every Gatehouse exception's
 * code. Messages never contain tokens, codes, secrets or verifiers; they may name claims, issuers and the
 * provider's OAuth error code.
 */
public final class OidcException extends GatehouseException {
    private static final long serialVersionUID = 1L;

    private final OidcError error;
    private final String providerError;

    /** A failure without an OAuth error code from the provider. */
    public OidcException(OidcError error, String message) {
        this(error, message, null, null);
    }

    /**
     * @param providerError the provider's OAuth {@code error} value (e.g. {@code invalid_grant}), or null
     * @param cause         the underlying failure, or null; its message must not hold secrets either
     */
    public OidcException(OidcError error, String message, String providerError, Throwable cause) {
        super(Objects.requireNonNull(error, "error").name(), message, cause);
        this.error = error;
        this.providerError = providerError;
    }

    /** Why the exchange failed. */
    public OidcError error() {
        return error;
    }

    /** The OAuth {@code error} code the provider sent (e.g. {@code access_denied}), if it sent one. */
    public Optional<String> providerError() {
        return Optional.ofNullable(providerError);
    }
}
