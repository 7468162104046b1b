package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Providers configured without code: {@code oidc-providers} and the {@code oidc.<id>.*} settings. */
class OidcProvidersConfigTest {

    private static final String SECRET = "a-gatehouse-secret-of-at-least-32-bytes!";

    private static GatehouseConfig.Builder config() {
        return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(SECRET));
    }

    private static List<String> problems(Map<String, String> env) {
        try {
            config().fromEnvironment(env).build();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was accepted");
    }

    @Test
    void providersFromEnvironmentVariables() {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_OIDC_PROVIDERS", "keycloak,entra,my-idp");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_ISSUER", "https://sso.example.com/realms/staff");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_CLIENT_ID", "diary");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_CLIENT_SECRET", "keycloak-secret");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_DISPLAY_NAME", "Staff login");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_SCOPES", "openid, email, profile, roles");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_ROLE_CLAIM", "groups");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_MAPPED_ROLES", "Writer, Editor");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_USERINFO", "true");
        env.put("GATEHOUSE_OIDC_KEYCLOAK_AUDIENCE", "api://diary");
        env.put("GATEHOUSE_OIDC_ENTRA_ISSUER", "https://login.microsoftonline.com/organizations/v2.0");
        env.put("GATEHOUSE_OIDC_ENTRA_CLIENT_ID", "6731de76-14a6-49ae-97bc-6eba6914391e");
        env.put("GATEHOUSE_OIDC_ENTRA_CLIENT_SECRET", "entra~secret.value");
        env.put("GATEHOUSE_OIDC_MY_IDP_ISSUER", "http://localhost:8080/realms/dev");
        env.put("GATEHOUSE_OIDC_MY_IDP_CLIENT_ID", "dev");
        env.put("GATEHOUSE_OIDC_MY_IDP_CLIENT_SECRET", "dev-secret");
        GatehouseConfig config = config().fromEnvironment(env).build();

        OidcProviders providers = OidcProviders.fromConfig(config);
        assertThat(providers.ids()).containsExactly("keycloak", "entra", "my-idp");

        OidcProvider keycloak = providers.find("keycloak").orElseThrow();
        assertThat(keycloak.issuer()).isEqualTo(URI.create("https://sso.example.com/realms/staff"));
        assertThat(keycloak.discovery())
                .isEqualTo(URI.create("https://sso.example.com/realms/staff/.well-known/openid-configuration"));
        assertThat(keycloak.clientId()).isEqualTo("diary");
        assertThat(keycloak.credentials()).isInstanceOfSatisfying(ClientCredentials.ClientSecret.class,
                c -> assertThat(c.secret().reveal()).isEqualTo("keycloak-secret"));
        assertThat(keycloak.displayName()).isEqualTo("Staff login");
        assertThat(keycloak.scopes()).containsExactly("openid", "email", "profile", "roles");
        assertThat(keycloak.roleClaim()).contains("groups");
        assertThat(keycloak.mappedRoles()).containsExactlyInAnyOrder("Writer", "Editor");
        assertThat(keycloak.userInfo()).isTrue();
        assertThat(keycloak.audience()).contains("api://diary");

        OidcProvider entra = providers.find("entra").orElseThrow();
        assertThat(entra.displayName()).isEqualTo("entra");
        assertThat(entra.scopes()).containsExactly("openid", "email", "profile");
        assertThat(entra.userInfo()).isFalse();
        assertThat(entra.audience()).contains("6731de76-14a6-49ae-97bc-6eba6914391e");
        assertThat(entra.issuerCheck()).as("a multi-tenant authority in settings gets Microsoft's issuer rule")
                .isEqualTo(OidcProvider.IssuerCheck.TENANT_TEMPLATE);

        assertThat(providers.find("my-idp").orElseThrow().issuer()).isEqualTo(URI.create("http://localhost:8080/realms/dev"));
        assertThat(config.toString()).doesNotContain("keycloak-secret").doesNotContain("entra~secret.value");
        assertThat(keycloak.toString()).doesNotContain("keycloak-secret");
    }

    @Test
    void providersFromPropertiesAndCode() throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("gatehouse.oidc-providers", "google");
        properties.setProperty("gatehouse.oidc.google.issuer", "https://accounts.google.com");
        properties.setProperty("oidc.google.client-id", "123-abc.apps.googleusercontent.com");
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                new ECKeyGenerator(Curve.P_256).generate().toPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----";
        GatehouseConfig config = config().fromProperties(properties)
                .set(OidcSettings.PRIVATE_KEY, "google", Secret.of(pem))
                .set(OidcSettings.PRIVATE_KEY_ID, "google", "key-1")
                .build();

        OidcProvider keycloakInCode = OidcPresets.keycloak("keycloak", URI.create("https://sso.example.com"), "staff")
                .clientId("diary").clientSecret("s").build();
        OidcProviders providers = OidcProviders.fromConfig(config).with(keycloakInCode);
        assertThat(providers.ids()).containsExactly("google", "keycloak");
        assertThat(providers.find("google").orElseThrow().credentials())
                .isInstanceOfSatisfying(ClientCredentials.PrivateKeyJwt.class, k -> {
                    assertThat(k.keyId()).isEqualTo("key-1");
                    assertThat(k.toString()).doesNotContain(pem.substring(30, 60));
                });
        assertThatThrownBy(() -> providers.with(keycloakInCode))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("keycloak is configured twice");
    }

    @Test
    void noProvidersByDefault() {
        assertThat(OidcProviders.fromConfig(config().build()).isEmpty()).isTrue();
    }

    @Test
    void aListedProviderNeedsIssuerClientIdAndCredential() {
        List<String> problems = problems(Map.of("GATEHOUSE_OIDC_PROVIDERS", "entra",
                "GATEHOUSE_OIDC_ENTRA_DISPLAY_NAME", "Microsoft"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("GATEHOUSE_OIDC_ENTRA_ISSUER").contains("not set"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("GATEHOUSE_OIDC_ENTRA_CLIENT_ID").contains("not set"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("GATEHOUSE_OIDC_ENTRA_CLIENT_SECRET").contains("not set"));
    }

    @Test
    void settingsForAnUnlistedIdAreATypo() {
        List<String> problems = problems(Map.of("GATEHOUSE_OIDC_PROVIDERS", "keycloak",
                "GATEHOUSE_OIDC_KEYCLOAK_ISSUER", "https://sso.example.com/realms/staff",
                "GATEHOUSE_OIDC_KEYCLOAK_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_KEYCLOAK_CLIENT_SECRET", "s",
                "GATEHOUSE_OIDC_KEYCLAOK_CLIENT_ID", "diary"));
        assertThat(problems).singleElement().asString().contains("keyclaok").contains("GATEHOUSE_OIDC_PROVIDERS")
                .contains("misspelt");
    }

    @Test
    void aPlainHttpIssuerIsRefusedUnlessLoopback() {
        List<String> problems = problems(Map.of("GATEHOUSE_OIDC_PROVIDERS", "corp",
                "GATEHOUSE_OIDC_CORP_ISSUER", "http://sso.corp.example.com/realms/staff",
                "GATEHOUSE_OIDC_CORP_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_CORP_CLIENT_SECRET", "s"));
        assertThat(problems).singleElement().asString().contains("GATEHOUSE_OIDC_CORP_ISSUER").contains("https");
    }

    @Test
    void eitherASecretOrAPrivateKey() {
        assertThat(problems(Map.of("GATEHOUSE_OIDC_PROVIDERS", "corp",
                "GATEHOUSE_OIDC_CORP_ISSUER", "https://sso.example.com",
                "GATEHOUSE_OIDC_CORP_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_CORP_CLIENT_SECRET", "s",
                "GATEHOUSE_OIDC_CORP_PRIVATE_KEY", "pem",
                "GATEHOUSE_OIDC_CORP_PRIVATE_KEY_ID", "k1"))).anySatisfy(p -> assertThat(p).contains("not both"));
        assertThat(problems(Map.of("GATEHOUSE_OIDC_PROVIDERS", "corp",
                "GATEHOUSE_OIDC_CORP_ISSUER", "https://sso.example.com",
                "GATEHOUSE_OIDC_CORP_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_CORP_PRIVATE_KEY", "pem"))).anySatisfy(p -> assertThat(p).contains("go together"));
    }

    @Test
    void anUnreadablePrivateKeyIsNamedWithoutItsValue() {
        GatehouseConfig config = config().fromEnvironment(Map.of("GATEHOUSE_OIDC_PROVIDERS", "corp",
                "GATEHOUSE_OIDC_CORP_ISSUER", "https://sso.example.com",
                "GATEHOUSE_OIDC_CORP_CLIENT_ID", "diary",
                "GATEHOUSE_OIDC_CORP_PRIVATE_KEY", "not-a-pem-key-at-all",
                "GATEHOUSE_OIDC_CORP_PRIVATE_KEY_ID", "k1")).build();
        assertThatThrownBy(() -> OidcProviders.fromConfig(config))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("GATEHOUSE_OIDC_CORP_PRIVATE_KEY")
                .hasMessageNotContaining("not-a-pem-key-at-all");
    }

    @Test
    void findByIdAndOrder() {
        OidcProvider a = OidcPresets.google("google").clientId("g").clientSecret("s").build();
        OidcProvider b = OidcPresets.entraId("entra", "common").clientId("e").clientSecret("s").build();
        OidcProviders providers = OidcProviders.of(b, a);
        assertThat(providers.all()).containsExactly(b, a);
        assertThat(providers.find("google")).contains(a);
        assertThat(providers.find("nope")).isEmpty();
        assertThat(Set.copyOf(providers.ids())).containsExactlyInAnyOrder("google", "entra");
    }
}
