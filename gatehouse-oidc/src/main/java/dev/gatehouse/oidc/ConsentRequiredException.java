package dev.gatehouse.oidc;

import dev.gatehouse.error.GatehouseException;
import java.util.Objects;
import java.util.Set;

/**
 * The signed-in user's provider has not granted the scopes a handler asked for (code
 * {@code CONSENT_REQUIRED}): send the browser to {@link #location()}, which asks the provider
 * for them (incremental consent) and comes back to where the user was.
 */
public final class ConsentRequiredException extends GatehouseException {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final Set<String> scopes;

    ConsentRequiredException(String location, Set<String> scopes) {
        super("CONSENT_REQUIRED", "The provider has not granted the scopes " + scopes + "; ask for consent");
        this.location = Objects.requireNonNull(location, "location");
        this.scopes = Set.copyOf(scopes);
    }

    /** This site's path that starts the consent round trip, with {@code next} set back to the request. */
    public String location() {
        return location;
    }

    /** The scopes that were asked for and are not granted yet. */
    public Set<String> scopes() {
        return scopes;
    }
}
