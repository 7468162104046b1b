package dev.gatehouse.oidc;

import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OpenID Connect provider the application trusts: its issuer, the client registered there and how
 * its claims are used. Immutable and thread-safe; build it with {@link #builder(String)} or a preset of
 * {@link OidcPresets}, or configure it with settings ({@link OidcProviders#fromConfig}).
 *
 * <pre>{@code
 * OidcProvider keycloak = OidcProvider.builder("keycloak")
 *         .issuer(URI.create("https://sso.example.com/realms/staff"))
 *         .clientId("diary").clientSecret(Secret.of(System.getenv("KEYCLOAK_SECRET")))
 *         .roleClaim("groups").mappedRoles(Set.of("Writer", "Editor"))
 *         .build();
 * }</pre>
 *
 * <p>The issuer must be {@code https}; {@code http} is accepted for loopback hosts only ({@code localhost},
 * {@code 127.0.0.1}, {@code ::1}), for development. The ID token's issuer is checked exactly, except for
 * Microsoft authorities whose tokens carry another issuer than the authority's address (multi-tenant
 * {@code common}/{@code organizations}: Microsoft's {@code {tenantid}} template; tenant domains and B2C: the
 * issuer the authority's discovery document declares), see {@link OidcPresets}.
 */
public final class OidcProvider {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    static final Set<String> DEFAULT_SCOPES = Set.of("openid", "email", "profile");

    /** How the {@code iss} of ID tokens is checked. */
    enum IssuerCheck {
        /** Equal to {@link #issuer()}. */
        EXACT,
        /** Equal to {@link #issuerTemplate} with {@code {tenantid}} replaced by the token's {@code tid}. */
        TENANT_TEMPLATE,
        /** Equal to the issuer the discovery document (same host) declares. */
        DISCOVERED
    }

    private final String id;
    private final String displayName;
    private final URI issuer;
    private final URI discovery;
    private final IssuerCheck issuerCheck;
    private final String issuerTemplate;
    private final String clientId;
    private final ClientCredentials credentials;
    private final Set<String> scopes;
    private final boolean userInfo;
    private final String roleClaim;
    private final Set<String> mappedRoles;
    private final Map<String, URI> links;
    private final String audience;

    private OidcProvider(Builder b) {
        this.id = b.id;
        this.displayName = b.displayName == null ? b.id : b.displayName;
        this.issuer = b.issuer;
        this.discovery = b.discovery != null ? b.discovery : wellKnown(b.issuer);
        this.issuerCheck = b.issuerCheck;
        this.issuerTemplate = b.issuerTemplate;
        this.clientId = b.clientId;
        this.credentials = b.credentials;
        LinkedHashSet<String> s = new LinkedHashSet<>();
        s.add("openid");
        s.addAll(b.scopes == null ? List.of("email", "profile") : b.scopes);
        this.scopes = java.util.Collections.unmodifiableSet(s);
        this.userInfo = b.userInfo;
        this.roleClaim = b.roleClaim;
        this.mappedRoles = Set.copyOf(b.mappedRoles);
        this.links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.links));
        this.audience = b.audience;
    }

    /**
     * A builder for the provider known to Gatehouse as {@code id}, which appears in paths such as
     * {@code /login/oauthresponse/<id>} and in setting names.
     *
     * @param id lower-case letters, digits and dashes, starting with a letter, at most 32 characters
     */
    public static Builder builder(String id) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new InvalidConfigurationException(List.of("OpenID Connect provider id \"" + id
                    + "\" is not valid; use lower-case letters, digits and '-', starting with a letter, at most 32 characters"));
        }
        return new Builder(id);
    }

    /** A builder holding this provider's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.displayName = displayName;
        b.issuer = issuer;
        b.discovery = discovery;
        b.issuerCheck = issuerCheck;
        b.issuerTemplate = issuerTemplate;
        b.clientId = clientId;
        b.credentials = credentials;
        b.scopes = new ArrayList<>(scopes);
        b.userInfo = userInfo;
        b.roleClaim = roleClaim;
        b.mappedRoles = new LinkedHashSet<>(mappedRoles);
        b.links = new LinkedHashMap<>(links);
        b.audience = audience;
        return b;
    }

    /** The provider's id, e.g. {@code entra}. */
    public String id() {
        return id;
    }

    /** The name on the "Sign in with …" button; the id unless set. */
    public String displayName() {
        return displayName;
    }

    /** The issuer (Microsoft: the authority) whose discovery document describes the provider. */
    public URI issuer() {
        return issuer;
    }

    /** The address of the discovery document: the issuer's {@code /.well-known/openid-configuration} unless set. */
    public URI discovery() {
        return discovery;
    }

    /** The client id registered at the provider. */
    public String clientId() {
        return clientId;
    }

    /** How the client authenticates at the token endpoint. */
    public ClientCredentials credentials() {
        return credentials;
    }

    /** The scopes asked for at sign-in, in order; always includes {@code openid}. Default: openid email profile. */
    public Set<String> scopes() {
        return scopes;
    }

    /** Whether the userinfo endpoint's claims are fetched after the token exchange. Default false. */
    public boolean userInfo() {
        return userInfo;
    }

    /** The claim whose values map onto local roles, e.g. {@code roles} or {@code groups}. */
    public Optional<String> roleClaim() {
        return Optional.ofNullable(roleClaim);
    }

    /**
     * The local roles the {@linkplain #roleClaim() role claim} controls: at each sign-in such a role is granted
     * when the claim holds it and revoked when it does not; other roles are left alone.
     */
    public Set<String> mappedRoles() {
        return mappedRoles;
    }

    /** Extra named links for pages, e.g. B2C's {@code edit-profile} and {@code reset-password} user flows. */
    public Map<String, URI> links() {
        return links;
    }

    /** The audience bearer tokens for this application must carry; the client id unless set. */
    public Optional<String> audience() {
        return Optional.of(audience != null ? audience : clientId);
    }

    IssuerCheck issuerCheck() {
        return issuerCheck;
    }

    Optional<String> issuerTemplate() {
        return Optional.ofNullable(issuerTemplate);
    }

    /** The id, display name and issuer; never the credentials. */
    @Override
    public String toString() {
        return "OidcProvider[id=" + id + ", displayName=" + displayName + ", issuer=" + issuer + ", clientId=" + clientId
                + "]";
    }

    static URI wellKnown(URI issuer) {
        String s = issuer.toString();
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s + "/.well-known/openid-configuration");
    }

    private static URI withoutQuery(URI uri) {
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('?')));
    }

    /** Null when {@code uri} may be a provider address, else why not. */
    static String addressProblem(URI uri) {
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return "is not an absolute https URL";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must have no query or fragment";
        }
        if (uri.getRawUserInfo() != null) {
            return "must have no user info";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http")) {
            return LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT)) ? null
                    : "must use https (http is accepted only for localhost, 127.0.0.1 and ::1)";
        }
        return "must use https";
    }

    /** Collects a provider's values; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String displayName;
        private URI issuer;
        private URI discovery;
        private IssuerCheck issuerCheck = IssuerCheck.EXACT;
        private boolean issuerCheckSet;
        private String issuerTemplate;
        private String clientId;
        private ClientCredentials credentials;
        private List<String> scopes;
        private boolean userInfo;
        private String roleClaim;
        private Set<String> mappedRoles = new LinkedHashSet<>();
        private Map<String, URI> links = new LinkedHashMap<>();
        private String audience;

        private Builder(String id) {
            this.id = id;
        }

        /** The provider's id. */
        public String id() {
            return id;
        }

        /** The name shown to users, e.g. {@code Microsoft}. */
        public Builder displayName(String displayName) {
            this.displayName = requireText(displayName, "displayName");
            return this;
        }

        /** The issuer URL (https; http for loopback hosts only). */
        public Builder issuer(URI issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** The issuer URL as a string. */
        public Builder issuer(String issuer) {
            return issuer(URI.create(Objects.requireNonNull(issuer, "issuer")));
        }

        /** Where the discovery document is, when not at the issuer's {@code /.well-known/openid-configuration}. */
        public Builder discovery(URI discovery) {
            this.discovery = Objects.requireNonNull(discovery, "discovery");
            return this;
        }

        /** The client id registered at the provider. */
        public Builder clientId(String clientId) {
            this.clientId = requireText(clientId, "clientId");
            return this;
        }

        /** How the client authenticates at the token endpoint. */
        public Builder credentials(ClientCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** A client secret. */
        public Builder clientSecret(Secret secret) {
            return credentials(ClientCredentials.secret(secret));
        }

        /** A client secret given as a string. */
        public Builder clientSecret(String secret) {
            return credentials(ClientCredentials.secret(secret));
        }

        /** The scopes to ask for at sign-in; {@code openid} is added when missing. */
        public Builder scopes(Collection<String> scopes) {
            List<String> copy = new ArrayList<>();
            for (String scope : scopes) {
                if (scope == null || scope.isBlank() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
                    throw new InvalidConfigurationException(List.of("OpenID Connect provider " + id
                            + ": scope \"" + scope + "\" is not a valid OAuth scope"));
                }
                copy.add(scope);
            }
            this.scopes = copy;
            return this;
        }

        /** Whether to fetch the userinfo endpoint's claims after the token exchange. */
        public Builder userInfo(boolean userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /** The claim holding role names, e.g. {@code roles} (Entra ID app roles) or {@code groups}. */
        public Builder roleClaim(String roleClaim) {
            this.roleClaim = requireText(roleClaim, "roleClaim");
            return this;
        }

        /** The local roles the role claim grants and revokes. */
        public Builder mappedRoles(Collection<String> roles) {
            this.mappedRoles = new LinkedHashSet<>(roles);
            return this;
        }

        /** A named link for pages, e.g. {@code edit-profile}; https (http for loopback hosts only). */
        public Builder link(String name, URI uri) {
            links.put(requireText(name, "name"), Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /** The audience bearer tokens must carry, when not the client id (e.g. {@code api://diary}). */
        public Builder audience(String audience) {
            this.audience = requireText(audience, "audience");
            return this;
        }

        /** ID tokens' issuer is this template with {@code {tenantid}} replaced by their {@code tid} claim. */
        Builder issuerTemplate(String template) {
            this.issuerCheck = IssuerCheck.TENANT_TEMPLATE;
            this.issuerTemplate = template;
            this.issuerCheckSet = true;
            return this;
        }

        /** ID tokens' issuer is the one the discovery document declares, on the discovery document's host. */
        Builder issuerFromDiscovery() {
            this.issuerCheck = IssuerCheck.DISCOVERED;
            this.issuerTemplate = null;
            this.issuerCheckSet = true;
            return this;
        }

        /**
         * Checks the values and builds the provider.
         *
         * @throws InvalidConfigurationException naming every problem: no issuer, an issuer neither https nor
         *                                       loopback http, no client id, no credentials
         */
        public OidcProvider build() {
            List<String> problems = new ArrayList<>();
            String prefix = "OpenID Connect provider " + id + ": ";
            if (issuer == null) {
                problems.add(prefix + "the issuer is missing");
            } else {
                String problem = addressProblem(issuer);
                if (problem != null) {
                    problems.add(prefix + "issuer " + issuer + " " + problem);
                } else if (!issuerCheckSet) {
                    OidcPresets.recognizeMicrosoftAuthority(this, issuer);
                }
            }
            if (discovery != null && addressProblem(discovery) != null) {
                problems.add(prefix + "discovery URL " + discovery + " " + addressProblem(discovery));
            }
            links.forEach((name, uri) -> {
                String problem = uri.getRawFragment() != null ? "must have no fragment"
                        : addressProblem(uri.getRawQuery() == null ? uri : withoutQuery(uri));
                if (problem != null) {
                    problems.add(prefix + "link " + name + " " + uri + " " + problem);
                }
            });
            if (clientId == null) {
                problems.add(prefix + "the client id is missing");
            }
            if (credentials == null) {
                problems.add(prefix + "the client credentials (a client secret or a private-key JWT key) are missing");
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigurationException(problems);
            }
            return new OidcProvider(this);
        }

        void discoveryIfUnset(URI uri) {
            if (discovery == null) {
                discovery = uri;
            }
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
