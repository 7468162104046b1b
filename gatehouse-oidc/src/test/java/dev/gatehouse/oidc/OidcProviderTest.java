package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.gatehouse.config.InvalidConfigurationException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider model's rules, and the presets' authorities as Microsoft's identity library builds them. */
class OidcProviderTest {

    private static OidcProvider.Builder complete(String issuer) {
        return OidcProvider.builder("idp").issuer(issuer).clientId("diary").clientSecret("s");
    }

    @Test
    void issuersMustBeHttpsExceptOnLoopbackHosts() {
        assertThat(complete("https://sso.example.com/realms/a").build().issuer())
                .isEqualTo(URI.create("https://sso.example.com/realms/a"));
        for (String loopback : List.of("http://localhost:8080/x", "http://127.0.0.1:9000", "http://[::1]:8080/x")) {
            assertThat(complete(loopback).build().issuer()).isEqualTo(URI.create(loopback));
        }
        for (String refused : List.of("http://sso.example.com", "http://10.0.0.1/x", "http://localhost.example.com",
                "ftp://sso.example.com", "https://sso.example.com/x?tenant=a", "https://sso.example.com/#x",
                "https://user@sso.example.com", "/relative")) {
            assertThatThrownBy(() -> complete(refused).build()).as(refused)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("issuer");
        }
        assertThatThrownBy(() -> complete("http://sso.example.com").build())
                .hasMessageContaining("must use https (http is accepted only for localhost, 127.0.0.1 and ::1)");
    }

    @Test
    void idsAreShortLowerCaseWords() {
        assertThat(OidcProvider.builder("my-idp2").id()).isEqualTo("my-idp2");
        for (String bad : List.of("", "Entra", "2fa", "a_b", "a".repeat(33), "a b")) {
            assertThatThrownBy(() -> OidcProvider.builder(bad)).as(bad).isInstanceOf(InvalidConfigurationException.class);
        }
    }

    @Test
    void everyMissingPartIsReportedAtOnce() {
        InvalidConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                InvalidConfigurationException.class, () -> OidcProvider.builder("idp").build());
        assertThat(e.problems()).hasSize(3);
        assertThat(String.join(";", e.problems())).contains("issuer").contains("client id").contains("credentials");
    }

    @Test
    void defaults() {
        OidcProvider p = complete("https://sso.example.com").build();
        assertThat(p.displayName()).isEqualTo("idp");
        assertThat(p.scopes()).containsExactly("openid", "email", "profile");
        assertThat(p.userInfo()).isFalse();
        assertThat(p.roleClaim()).isEmpty();
        assertThat(p.mappedRoles()).isEmpty();
        assertThat(p.links()).isEmpty();
        assertThat(p.audience()).contains("diary");
        assertThat(p.discovery()).isEqualTo(URI.create("https://sso.example.com/.well-known/openid-configuration"));
        assertThat(complete("https://sso.example.com").scopes(List.of("email")).build().scopes())
                .containsExactly("openid", "email");
        assertThat(p.toBuilder().displayName("SSO").build().displayName()).isEqualTo("SSO");
        assertThatThrownBy(() -> complete("https://sso.example.com").scopes(List.of("a b")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void credentialsNeverShowInToString() throws Exception {
        OidcProvider p = complete("https://sso.example.com").clientSecret("very-secret-value").build();
        assertThat(p.toString()).doesNotContain("very-secret-value");
        assertThat(p.credentials().toString()).doesNotContain("very-secret-value");
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        ClientCredentials jwt = ClientCredentials.privateKeyJwt(key);
        assertThat(jwt).isInstanceOfSatisfying(ClientCredentials.PrivateKeyJwt.class,
                k -> assertThat(k.keyId()).isEqualTo("k1"));
        assertThatThrownBy(() -> ClientCredentials.privateKeyJwt(key.toPublicJWK()))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> ClientCredentials.secret(" ")).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void entraIdAuthorities() {
        OidcProvider tenant = OidcPresets.entraId("entra", "6731de76-14a6-49ae-97bc-6eba6914391e")
                .clientId("c").clientSecret("s").build();
        assertThat(tenant.issuer())
                .isEqualTo(URI.create("https://login.microsoftonline.com/6731de76-14a6-49ae-97bc-6eba6914391e/v2.0"));
        assertThat(tenant.discovery()).isEqualTo(URI.create(
                "https://login.microsoftonline.com/6731de76-14a6-49ae-97bc-6eba6914391e/v2.0/.well-known/openid-configuration"));
        assertThat(tenant.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.EXACT);
        assertThat(tenant.displayName()).isEqualTo("Microsoft");
        assertThat(tenant.scopes()).contains("offline_access");

        for (String multi : List.of("common", "organizations")) {
            OidcProvider p = OidcPresets.entraId("entra", multi).clientId("c").clientSecret("s").build();
            assertThat(p.issuer()).isEqualTo(URI.create("https://login.microsoftonline.com/" + multi + "/v2.0"));
            assertThat(p.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.TENANT_TEMPLATE);
            assertThat(p.issuerTemplate()).contains("https://login.microsoftonline.com/{tenantid}/v2.0");
        }

        OidcProvider consumers = OidcPresets.entraId("msa", "consumers").clientId("c").clientSecret("s").build();
        assertThat(consumers.discovery()).isEqualTo(
                URI.create("https://login.microsoftonline.com/consumers/v2.0/.well-known/openid-configuration"));
        assertThat(consumers.issuer()).isEqualTo(
                URI.create("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"));

        OidcProvider domain = OidcPresets.entraId("entra", "contoso.onmicrosoft.com").clientId("c").clientSecret("s")
                .build();
        assertThat(domain.issuer()).isEqualTo(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"));
        assertThat(domain.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.DISCOVERED);

        assertThatThrownBy(() -> OidcPresets.entraId("entra", "not a tenant"))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void entraExternalIdAuthorities() {
        String tid = "6731de76-14a6-49ae-97bc-6eba6914391e";
        OidcProvider p = OidcPresets.entraExternalId("ext", "contoso", tid, Optional.empty())
                .clientId("c").clientSecret("s").build();
        assertThat(p.discovery())
                .isEqualTo(URI.create("https://contoso.ciamlogin.com/" + tid + "/v2.0/.well-known/openid-configuration"));
        assertThat(p.issuer()).isEqualTo(URI.create("https://" + tid + ".ciamlogin.com/" + tid + "/v2.0"));
        assertThat(p.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.EXACT);

        OidcProvider custom = OidcPresets.entraExternalId("ext", "contoso", tid, Optional.of("login.contoso.com"))
                .clientId("c").clientSecret("s").build();
        assertThat(custom.discovery())
                .isEqualTo(URI.create("https://login.contoso.com/" + tid + "/v2.0/.well-known/openid-configuration"));
        assertThat(custom.issuer()).isEqualTo(p.issuer());

        assertThatThrownBy(() -> OidcPresets.entraExternalId("ext", "contoso", "contoso.onmicrosoft.com", Optional.empty()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("GUID");
        assertThatThrownBy(() -> OidcPresets.entraExternalId("ext", "contoso", tid, Optional.of("https://x")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void b2cAuthorityAndUserFlowLinks() {
        OidcProvider p = OidcPresets.b2c("b2c", "contoso", "B2C_1_susi", Optional.of("B2C_1_edit"),
                Optional.of("B2C_1_reset")).clientId("c").clientSecret("s").build();
        assertThat(p.issuer()).isEqualTo(URI.create("https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0"));
        assertThat(p.discovery()).isEqualTo(URI.create(
                "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"));
        assertThat(p.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.DISCOVERED);
        assertThat(p.links()).containsEntry("edit-profile",
                URI.create("https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_edit/oauth2/v2.0/authorize"))
                .containsEntry("reset-password",
                        URI.create("https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_reset/oauth2/v2.0/authorize"));
        assertThat(OidcPresets.b2c("b2c", "contoso", "B2C_1_susi", Optional.empty(), Optional.empty())
                .clientId("c").clientSecret("s").build().links()).isEmpty();
        assertThatThrownBy(() -> OidcPresets.b2c("b2c", "contoso", "../evil", Optional.empty(), Optional.empty()))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void googleAndKeycloak() {
        OidcProvider google = OidcPresets.google("google").clientId("c").clientSecret("s").build();
        assertThat(google.issuer()).isEqualTo(URI.create("https://accounts.google.com"));
        assertThat(google.displayName()).isEqualTo("Google");
        assertThat(google.issuerCheck()).isEqualTo(OidcProvider.IssuerCheck.EXACT);

        OidcProvider keycloak = OidcPresets.keycloak("kc", URI.create("https://sso.example.com/"), "staff")
                .clientId("c").clientSecret("s").build();
        assertThat(keycloak.issuer()).isEqualTo(URI.create("https://sso.example.com/realms/staff"));
        assertThat(OidcPresets.keycloak("kc", URI.create("http://localhost:8180"), "my realm")
                .clientId("c").clientSecret("s").build().issuer())
                .isEqualTo(URI.create("http://localhost:8180/realms/my%20realm"));
        assertThatThrownBy(() -> OidcPresets.keycloak("kc", URI.create("http://sso.example.com"), "staff")
                .clientId("c").clientSecret("s").build()).isInstanceOf(InvalidConfigurationException.class);
    }
}
