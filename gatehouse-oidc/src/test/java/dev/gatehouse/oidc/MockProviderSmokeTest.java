package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;

/** The in-process provider the module's tests use starts, and Nimbus reads its discovery document. */
class MockProviderSmokeTest {

    @Test
    void discoveryOfTheInProcessProvider() throws Exception {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        try {
            Issuer issuer = new Issuer(server.issuerUrl("default").toString());
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(issuer);
            assertThat(metadata.getIssuer()).isEqualTo(issuer);
            assertThat(metadata.getJWKSetURI()).isNotNull();
        } finally {
            server.shutdown();
        }
    }
}
