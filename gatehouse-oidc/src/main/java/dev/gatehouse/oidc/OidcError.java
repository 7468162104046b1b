package dev.gatehouse.oidc;

/** Why an OpenID Connect exchange failed: the stable {@linkplain OidcException#error() code} of an {@link OidcException}. */
public enum OidcError {
    /** The callback's {@code state} is missing or not the one this flow issued (replayed or foreign callback). */
    INVALID_STATE,
    /** The provider answered the authorization request with an error, e.g. {@code access_denied}. */
    PROVIDER_ERROR,
    /** The provider's answer could not be understood: no code, a malformed callback, an unparsable response. */
    INVALID_RESPONSE,
    /** The ID token failed validation: signature, issuer, audience, authorized party, expiry, issue time or nonce. */
    INVALID_ID_TOKEN,
    /** The token endpoint refused the code exchange (e.g. a wrong PKCE verifier) or could not be reached. */
    TOKEN_EXCHANGE_FAILED,
    /** The refresh token is expired or revoked, or the provider needs the user again: sign in anew. */
    REAUTHENTICATE,
    /** The discovery document could not be fetched, parsed, or names another issuer. */
    DISCOVERY_FAILED,
    /** The userinfo endpoint failed or answered for another subject. */
    USERINFO_FAILED,
    /** The provider does not offer what was asked of it, e.g. no device authorization endpoint. */
    UNSUPPORTED,
    /** The device authorization request was refused. */
    DEVICE_FLOW_FAILED
}
