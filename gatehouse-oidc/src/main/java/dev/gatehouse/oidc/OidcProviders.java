package dev.gatehouse.oidc;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import java.net.URI;
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
     * The providers of the settings: one per id of {@code oidc-providers}, in that order, configured by its
     * {@code oidc.<id>.*} settings ({@link OidcSettings}). Add providers made in code with {@link #with}.
     *
     * @throws InvalidConfigurationException naming each setting (and its environment variable) that is
     *                                       missing or wrong
     */
    public static OidcProviders fromConfig(GatehouseConfig config) {
        List<String> problems = new ArrayList<>();
        List<OidcProvider> providers = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(config.get(OidcSettings.OIDC_PROVIDERS))) {
            List<String> found = OidcSettings.problems(config, id);
            if (!found.isEmpty()) {
                problems.addAll(found);
                continue;
            }
            try {
                providers.add(fromConfig(config, id));
            } catch (InvalidConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return of(providers);
    }

    private static OidcProvider fromConfig(GatehouseConfig config, String id) {
        OidcProvider.Builder b = OidcProvider.builder(id)
                .issuer(URI.create(config.get(OidcSettings.ISSUER, id).orElseThrow()))
                .clientId(config.get(OidcSettings.CLIENT_ID, id).orElseThrow());
        config.get(OidcSettings.DISCOVERY, id).map(URI::create).ifPresent(b::discovery);
        Optional<Secret> secret = config.get(OidcSettings.CLIENT_SECRET, id);
        if (secret.isPresent()) {
            b.clientSecret(secret.get());
        } else {
            Secret pem = config.get(OidcSettings.PRIVATE_KEY, id).orElseThrow();
            try {
                b.credentials(ClientCredentials.privateKeyJwt(pem.reveal(),
                        config.get(OidcSettings.PRIVATE_KEY_ID, id).orElseThrow()));
            } catch (InvalidConfigurationException e) {
                throw new InvalidConfigurationException(List.of(OidcSettings.PRIVATE_KEY.envName(id) + " ("
                        + OidcSettings.PRIVATE_KEY.name(id) + "): " + e.getMessage()));
            }
        }
        config.get(OidcSettings.SCOPES, id).ifPresent(b::scopes);
        config.get(OidcSettings.DISPLAY_NAME, id).ifPresent(b::displayName);
        config.get(OidcSettings.USERINFO, id).ifPresent(b::userInfo);
        config.get(OidcSettings.ROLE_CLAIM, id).ifPresent(b::roleClaim);
        config.get(OidcSettings.MAPPED_ROLES, id).ifPresent(b::mappedRoles);
        config.get(OidcSettings.AUDIENCE, id).ifPresent(b::audience);
        return b.build();
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
