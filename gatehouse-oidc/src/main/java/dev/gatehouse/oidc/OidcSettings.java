package dev.gatehouse.oidc;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingFamily;
import dev.gatehouse.config.SettingGroup;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The OpenID Connect provider settings: {@code oidc-providers} lists the ids in use, and each id is configured
 * with the {@code oidc.<id>.*} families, e.g. {@code GATEHOUSE_OIDC_PROVIDERS=keycloak} with
 * {@code GATEHOUSE_OIDC_KEYCLOAK_ISSUER}, {@code GATEHOUSE_OIDC_KEYCLOAK_CLIENT_ID} and
 * {@code GATEHOUSE_OIDC_KEYCLOAK_CLIENT_SECRET}. {@link #check} refuses, when the configuration is built, a
 * listed id without issuer, client id or credential, and settings for an id that is not listed (a typo).
 * Discovered through {@code META-INF/services}; stateless.
 */
public final class OidcSettings implements SettingGroup {

    private static final String PREFIX = "oidc";

    /** The ids of the providers in use, in the order of the sign-in buttons. */
    public static final Setting<List<String>> OIDC_PROVIDERS = Setting.define("oidc-providers",
            ValueType.listOf(ValueType.familyId()), List.of(),
            "The ids of the OpenID Connect providers to offer, e.g. keycloak,entra; each is configured with the "
                    + "oidc.<id>.* settings. Empty: none.");

    /** The issuer URL (for Microsoft: the authority). */
    public static final SettingFamily<String> ISSUER = SettingFamily.define(PREFIX, "issuer", ValueType.line(),
            "The provider's issuer URL, https (http only for localhost, 127.0.0.1, ::1); Microsoft authorities "
                    + "such as https://login.microsoftonline.com/organizations/v2.0 are recognized.");

    /** Where the discovery document is, when not under the issuer. */
    public static final SettingFamily<String> DISCOVERY = SettingFamily.define(PREFIX, "discovery", ValueType.line(),
            "The discovery document's URL when it is not <issuer>/.well-known/openid-configuration "
                    + "(e.g. Entra External ID with a custom domain). Unset: under the issuer.");

    /** The client id. */
    public static final SettingFamily<String> CLIENT_ID = SettingFamily.define(PREFIX, "client-id", ValueType.line(),
            "The client (application) id registered at the provider.");

    /** The client secret. */
    public static final SettingFamily<Secret> CLIENT_SECRET = SettingFamily.define(PREFIX, "client-secret",
            ValueType.secret(1, "use the client secret the provider issued"),
            "The client secret; set it or private-key.");

    /** A PKCS#8 PEM private key for private-key JWT client authentication. */
    public static final SettingFamily<Secret> PRIVATE_KEY = SettingFamily.define(PREFIX, "private-key",
            ValueType.secret(1, "use an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)"),
            "An unencrypted PKCS#8 PEM RSA or EC private key, to authenticate with a private-key JWT instead of "
                    + "a client secret; needs private-key-id.");

    /** The key id of the private key. */
    public static final SettingFamily<String> PRIVATE_KEY_ID = SettingFamily.define(PREFIX, "private-key-id",
            ValueType.line(), "The key id (kid) the provider knows the private key's public key by.");

    /** The sign-in scopes. */
    public static final SettingFamily<List<String>> SCOPES = SettingFamily.define(PREFIX, "scopes",
            ValueType.listOf(ValueType.line()), List.of("openid", "email", "profile"),
            "The scopes asked for at sign-in; openid is always added.");

    /** The name on the sign-in button. */
    public static final SettingFamily<String> DISPLAY_NAME = SettingFamily.define(PREFIX, "display-name",
            ValueType.line(), "The name on the \"Sign in with\" button. Unset: the id.");

    /** Whether to fetch userinfo. */
    public static final SettingFamily<Boolean> USERINFO = SettingFamily.define(PREFIX, "userinfo", ValueType.bool(),
            false, "Whether to add the userinfo endpoint's claims to the ID token's after sign-in.");

    /** The claim mapped onto roles. */
    public static final SettingFamily<String> ROLE_CLAIM = SettingFamily.define(PREFIX, "role-claim",
            ValueType.line(), "The claim whose values grant local roles, e.g. roles or groups. Unset: no role mapping.");

    /** The local roles the role claim controls. */
    public static final SettingFamily<List<String>> MAPPED_ROLES = SettingFamily.define(PREFIX, "mapped-roles",
            ValueType.listOf(ValueType.line()), List.of(),
            "The local roles the role claim controls: granted at sign-in when the claim holds them, revoked when "
                    + "it does not. Other roles are left alone.");

    /** The audience of bearer tokens. */
    public static final SettingFamily<String> AUDIENCE = SettingFamily.define(PREFIX, "audience", ValueType.line(),
            "The audience bearer tokens for this application carry, e.g. api://diary. Unset: the client id.");

    /** Creates the group; {@link java.util.ServiceLoader} does. */
    public OidcSettings() {
    }

    @Override
    public String title() {
        return "OpenID Connect";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return List.of(OIDC_PROVIDERS);
    }

    @Override
    public List<SettingFamily<?>> families() {
        return List.of(ISSUER, DISCOVERY, CLIENT_ID, CLIENT_SECRET, PRIVATE_KEY, PRIVATE_KEY_ID, SCOPES, DISPLAY_NAME,
                USERINFO, ROLE_CLAIM, MAPPED_ROLES, AUDIENCE);
    }

    /**
     * Every listed id has an issuer (a valid one), a client id and exactly one credential; every id with
     * settings is listed.
     */
    @Override
    public List<String> check(GatehouseConfig config) {
        List<String> problems = new ArrayList<>();
        List<String> listed = config.get(OIDC_PROVIDERS);
        Set<String> seen = new java.util.HashSet<>();
        for (String id : listed) {
            if (!seen.add(id)) {
                problems.add(OIDC_PROVIDERS.name() + " (" + OIDC_PROVIDERS.envName() + ") lists " + id + " twice");
                continue;
            }
            problems.addAll(problems(config, id));
        }
        for (String id : config.ids(PREFIX)) {
            if (!listed.contains(id)) {
                problems.add("oidc." + id + ".* is set (e.g. " + ISSUER.envName(id) + ") but " + id + " is not in "
                        + OIDC_PROVIDERS.name() + " (" + OIDC_PROVIDERS.envName() + "); add it there or remove the "
                        + "settings (is the id misspelt?)");
            }
        }
        return problems;
    }

    /** What is wrong with provider {@code id}'s settings. */
    static List<String> problems(GatehouseConfig config, String id) {
        List<String> problems = new ArrayList<>();
        String listedBy = " (" + id + " is listed in " + OIDC_PROVIDERS.envName() + ")";
        config.get(ISSUER, id).ifPresentOrElse(issuer -> {
            String problem;
            try {
                problem = OidcProvider.addressProblem(new URI(issuer));
            } catch (java.net.URISyntaxException e) {
                problem = "is not a URL";
            }
            if (problem != null) {
                problems.add(name(ISSUER, id) + ": \"" + issuer + "\" " + problem);
            }
        }, () -> problems.add(name(ISSUER, id) + " is not set" + listedBy));
        config.get(DISCOVERY, id).ifPresent(discovery -> {
            String problem;
            try {
                problem = OidcProvider.addressProblem(new URI(discovery));
            } catch (java.net.URISyntaxException e) {
                problem = "is not a URL";
            }
            if (problem != null) {
                problems.add(name(DISCOVERY, id) + ": \"" + discovery + "\" " + problem);
            }
        });
        if (config.get(CLIENT_ID, id).isEmpty()) {
            problems.add(name(CLIENT_ID, id) + " is not set" + listedBy);
        }
        boolean secret = config.get(CLIENT_SECRET, id).isPresent();
        boolean key = config.get(PRIVATE_KEY, id).isPresent();
        if (secret && key) {
            problems.add("set either " + name(CLIENT_SECRET, id) + " or " + name(PRIVATE_KEY, id) + ", not both");
        } else if (!secret && !key) {
            problems.add(name(CLIENT_SECRET, id) + " (or " + name(PRIVATE_KEY, id) + ") is not set" + listedBy);
        }
        if (key != config.get(PRIVATE_KEY_ID, id).isPresent()) {
            problems.add(name(PRIVATE_KEY, id) + " and " + name(PRIVATE_KEY_ID, id) + " go together; set both");
        }
        return problems;
    }

    private static String name(SettingFamily<?> family, String id) {
        return family.envName(id) + " (" + family.name(id) + ")";
    }
}
