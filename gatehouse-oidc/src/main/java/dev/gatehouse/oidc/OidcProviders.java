package dev.gatehouse.oidc;

import dev.gatehouse.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenID Connect providers an application trusts, by id, in the order configured: those of the
 * settings ({@code oidc-providers} and {@code oidc.<id>.*}) and those added in code. Immutable and thread-safe.
 */
public final class OidcProviders {

    private static final OidcProviders NONE = new OidcProviders(Map.of());

    private final Map<String, OidcProvider> byId;

    private OidcProviders(Map<String, OidcProvider> byId) {
        this.byId = byId;
    }

    /** No provider. */
    public static OidcProviders none() {
        return NONE;
    }

    /**
     * These providers.
     *
     * @throws InvalidConfigurationException when two share an id
     */
    public static OidcProviders of(Collection<OidcProvider> providers) {
        return NONE.with(providers);
    }

    /** These providers; see {@link #of(Collection)}. */
    public static OidcProviders of(OidcProvider... providers) {
        return of(List.of(providers));
    }

    /**
     * These providers and {@code more}.
     *
     * @throws InvalidConfigurationException when an id is taken twice
     */
    public OidcProviders with(Collection<OidcProvider> more) {
        Map<String, OidcProvider> copy = new LinkedHashMap<>(byId);
        List<String> problems = new ArrayList<>();
        for (OidcProvider provider : more) {
            Objects.requireNonNull(provider, "provider");
            if (copy.putIfAbsent(provider.id(), provider) != null) {
                problems.add("OpenID Connect provider id " + provider.id() + " is configured twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new OidcProviders(Collections.unmodifiableMap(copy));
    }

    /** These providers and {@code provider}; see {@link #with(Collection)}. */
    public OidcProviders with(OidcProvider provider) {
        return with(List.of(provider));
    }

    /** The provider with this id. */
    public Optional<OidcProvider> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every provider, in configuration order. */
    public List<OidcProvider> all() {
        return List.copyOf(byId.values());
    }

    /** The ids, in configuration order. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    /** Whether there is no provider. */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The providers' ids. */
    @Override
    public String toString() {
        return "OidcProviders" + byId.keySet();
    }
}
