package dev.gatehouse.oidc;

import dev.gatehouse.config.InvalidConfigurationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builders for well-known providers, with the authority built the way Microsoft's {@code identity} library
 * builds it. Each returns an {@link OidcProvider.Builder} that still needs the client id and credentials.
 *
 * <pre>{@code
 * OidcProvider entra = OidcPresets.entraId("entra", "organizations")
 *         .clientId(clientId).clientSecret(secret).build();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class OidcPresets {

    static final String MICROSOFT_LOGIN = "login.microsoftonline.com";
    /** Microsoft's issuer template for multi-tenant applications, documented for {@code common} and {@code organizations}. */
    static final String ENTRA_ISSUER_TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0";
    /** The tenant of personal Microsoft accounts; the {@code consumers} authority issues tokens with its issuer. */
    static final String CONSUMERS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern USER_FLOW = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private OidcPresets() {
    }

    /**
     * Microsoft Entra ID (work and school accounts; with {@code common} or {@code consumers} also personal
     * Microsoft accounts): authority {@code https://login.microsoftonline.com/<tenant>/v2.0}.
     *
     * <p>For {@code common} and {@code organizations} the ID token's issuer names the user's own tenant; it is
     * checked as Microsoft documents, against {@code https://login.microsoftonline.com/{tenantid}/v2.0} with the
     * token's {@code tid}. For a tenant domain (e.g. {@code contoso.onmicrosoft.com}) the issuer is the one the
     * tenant's discovery document declares; for a tenant id it is checked exactly.
     *
     * @param tenant a tenant id (GUID), a tenant domain, {@code common}, {@code organizations} or {@code consumers}
     */
    public static OidcProvider.Builder entraId(String id, String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        String t = tenant.toLowerCase(Locale.ROOT);
        if (!GUID.matcher(t).matches() && !DOMAIN.matcher(t).matches()
                && !List.of("common", "organizations", "consumers").contains(t)) {
            throw invalid("Entra ID tenant \"" + tenant
                    + "\" is not a tenant id, a tenant domain, common, organizations or consumers");
        }
        // build() recognizes the authority and applies Microsoft's issuer rule for this kind of tenant
        return OidcProvider.builder(id).displayName("Microsoft")
                .issuer(URI.create("https://" + MICROSOFT_LOGIN + "/" + t + "/v2.0"))
                .scopes(List.of("openid", "profile", "email", "offline_access"));
    }

    /**
     * Microsoft Entra External ID (customer tenants): discovery at
     * {@code https://<tenantSubdomain>.ciamlogin.com/<tenantId>/v2.0}, or at {@code https://<customDomain>/<tenantId>/v2.0}
     * with a custom URL domain; the ID token's issuer is {@code https://<tenantId>.ciamlogin.com/<tenantId>/v2.0}.
     *
     * @param tenantSubdomain the tenant's subdomain, e.g. {@code contoso} for {@code contoso.onmicrosoft.com}
     * @param tenantId        the tenant id (GUID)
     * @param customDomain    a custom URL domain, e.g. {@code login.contoso.com}
     */
    public static OidcProvider.Builder entraExternalId(String id, String tenantSubdomain, String tenantId,
            Optional<String> customDomain) {
        String sub = label(tenantSubdomain, "Entra External ID tenant subdomain");
        String tid = tenantId(tenantId);
        String host = customDomain.map(d -> domain(d, "Entra External ID custom domain")).orElse(sub + ".ciamlogin.com");
        return OidcProvider.builder(id).displayName("Microsoft")
                .issuer(URI.create("https://" + tid + ".ciamlogin.com/" + tid + "/v2.0"))
                .discovery(URI.create("https://" + host + "/" + tid + "/v2.0/.well-known/openid-configuration"))
                .scopes(List.of("openid", "profile", "email", "offline_access"));
    }

    /**
     * Azure AD B2C with user flows: authority {@code https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<flow>/v2.0}.
     * The ID token's issuer is the one the sign-in flow's discovery document declares (B2C names the tenant
     * by id there). The edit-profile and reset-password flows become the {@linkplain OidcProvider#links() links}
     * {@code edit-profile} and {@code reset-password}: their authorization endpoints.
     *
     * @param tenantName     the tenant name, e.g. {@code contoso} for {@code contoso.onmicrosoft.com}
     * @param signInUserFlow the sign-up-or-sign-in user flow, e.g. {@code B2C_1_susi}
     */
    public static OidcProvider.Builder b2c(String id, String tenantName, String signInUserFlow,
            Optional<String> editProfileFlow, Optional<String> resetPasswordFlow) {
        String tenant = label(tenantName, "B2C tenant name");
        String base = "https://" + tenant + ".b2clogin.com/" + tenant + ".onmicrosoft.com/";
        OidcProvider.Builder b = OidcProvider.builder(id).displayName("Microsoft")
                .issuer(URI.create(base + userFlow(signInUserFlow) + "/v2.0"))
                .scopes(List.of("openid", "offline_access"))
                .issuerFromDiscovery();
        editProfileFlow.ifPresent(f -> b.link("edit-profile", URI.create(base + userFlow(f) + "/oauth2/v2.0/authorize")));
        resetPasswordFlow.ifPresent(
                f -> b.link("reset-password", URI.create(base + userFlow(f) + "/oauth2/v2.0/authorize")));
        return b;
    }

    /** Google: issuer {@code https://accounts.google.com}. */
    public static OidcProvider.Builder google(String id) {
        return OidcProvider.builder(id).displayName("Google").issuer(URI.create("https://accounts.google.com"));
    }

    /** Keycloak (version 17 and later): issuer {@code <baseUrl>/realms/<realm>}. */
    public static OidcProvider.Builder keycloak(String id, URI baseUrl, String realm) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (realm == null || realm.isBlank()) {
            throw invalid("Keycloak realm is missing");
        }
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return OidcProvider.builder(id).displayName("Keycloak")
                .issuer(URI.create(base + "/realms/" + URLEncoder.encode(realm, StandardCharsets.UTF_8).replace("+", "%20")));
    }

    /**
     * Applies Microsoft's issuer rules to a builder whose issuer is a Microsoft authority, so that an authority
     * given in settings behaves like the preset.
     */
    static void recognizeMicrosoftAuthority(OidcProvider.Builder b, URI issuer) {
        String host = issuer.getHost() == null ? "" : issuer.getHost().toLowerCase(Locale.ROOT);
        String path = issuer.getPath() == null ? "" : issuer.getPath();
        if (host.endsWith(".b2clogin.com")) {
            b.issuerFromDiscovery();
            return;
        }
        if (!host.equals(MICROSOFT_LOGIN) || !"https".equalsIgnoreCase(issuer.getScheme())) {
            return;
        }
        String[] segments = path.replaceAll("^/+|/+$", "").split("/");
        if (segments.length != 2 || !segments[1].equals("v2.0")) {
            return;
        }
        String tenant = segments[0].toLowerCase(Locale.ROOT);
        switch (tenant) {
            case "common", "organizations" -> b.issuerTemplate(ENTRA_ISSUER_TEMPLATE);
            case "consumers" -> {
                b.discoveryIfUnset(OidcProvider.wellKnown(issuer));
                b.issuer(URI.create("https://" + MICROSOFT_LOGIN + "/" + CONSUMERS_TENANT + "/v2.0"));
            }
            default -> {
                if (!GUID.matcher(tenant).matches()) {
                    b.issuerFromDiscovery();
                }
            }
        }
    }

    private static String label(String value, String what) {
        Objects.requireNonNull(value, what);
        String v = value.toLowerCase(Locale.ROOT);
        if (!DNS_LABEL.matcher(v).matches()) {
            throw invalid(what + " \"" + value + "\" is not a DNS label (letters, digits and '-')");
        }
        return v;
    }

    private static String domain(String value, String what) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(v).matches()) {
            throw invalid(what + " \"" + value + "\" is not a domain name");
        }
        return v;
    }

    private static String tenantId(String value) {
        Objects.requireNonNull(value, "tenantId");
        if (!GUID.matcher(value).matches()) {
            throw invalid("Entra tenant id \"" + value + "\" is not a GUID");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String userFlow(String flow) {
        Objects.requireNonNull(flow, "user flow");
        if (!USER_FLOW.matcher(flow).matches()) {
            throw invalid("B2C user flow \"" + flow + "\" is not a user flow name (letters, digits, '_' and '-')");
        }
        return flow;
    }

    private static InvalidConfigurationException invalid(String problem) {
        return new InvalidConfigurationException(List.of(problem));
    }
}
