package dev.gatehouse.oidc;

import dev.gatehouse.error.GatehouseException;
import java.util.Objects;

/**
 * No usable provider token for the request (code {@code SIGN_IN_REQUIRED}): nobody is signed in,
 * the sign-in was not made with a provider, or the provider refused the refresh token (expired or
 * revoked). Send the browser to {@link #location()}, the sign-in page with {@code next} set back
 * to the request.
 */
public final class SignInRequiredException extends GatehouseException {

    private static final long serialVersionUID = 1L;

    private final String location;

    SignInRequiredException(String location, String why) {
        super("SIGN_IN_REQUIRED", why);
        this.location = Objects.requireNonNull(location, "location");
    }

    /** The sign-in page, with {@code next} back to the request. */
    public String location() {
        return location;
    }
}
