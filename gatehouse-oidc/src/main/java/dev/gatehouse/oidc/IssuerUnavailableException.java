package dev.gatehouse.oidc;

/** An issuer's discovery document or keys cannot be had now; the message names no token. */
final class IssuerUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    IssuerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
