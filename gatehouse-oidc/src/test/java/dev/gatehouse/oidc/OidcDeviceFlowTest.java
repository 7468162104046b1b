package dev.gatehouse.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant (RFC 8628) against mock-oauth2-server, which has no device grant of its own:
 * {@link TestProvider} adds it through the server's additional routes (a discovery document with a
 * {@code device_authorization_endpoint}, that endpoint, and the device-code grant at the token endpoint, whose
 * tokens the server's own token provider signs).
 */
class OidcDeviceFlowTest {

    TestProvider idp;
    OidcClient client;

    @BeforeEach
    void start() {
        idp = new TestProvider();
        client = OidcClient.create(OidcProvider.builder("device").issuer(idp.issuer("device")).clientId("diary")
                .clientSecret("s").roleClaim("roles").build(), HttpOptions.defaults(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    @Test
    void startShowsTheUserCodeAndWhereToEnterIt() {
        DeviceStart start = client.startDevice(Set.of("api://diary/read"));
        assertThat(start.userCode()).isEqualTo("WDJB-MJHT");
        assertThat(start.verificationUri()).isEqualTo(URI.create(idp.issuer("device") + "/activate"));
        assertThat(start.verificationUriComplete()).contains(URI.create(idp.issuer("device") + "/activate?user_code=WDJB-MJHT"));
        assertThat(start.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(start.expiresAt()).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
        assertThat(start.scopes()).contains("openid", "api://diary/read");
        assertThat(start.toString()).doesNotContain(start.deviceCode()).contains("WDJB-MJHT");
    }

    @Test
    void pollingFollowsPendingSlowDownAndThenSignsIn() {
        DeviceStart start = client.startDevice(Set.of());
        idp.deviceClaims = Map.of("email", "ops@example.com", "email_verified", true, "roles", java.util.List.of("Admin"));
        synchronized (idp.deviceAnswers) {
            idp.deviceAnswers.add("authorization_pending");
            idp.deviceAnswers.add("slow_down");
            idp.deviceAnswers.add("ok");
        }

        assertThat(client.poll(start)).isInstanceOf(DevicePoll.Pending.class);
        DevicePoll slower = client.poll(start);
        assertThat(slower).isEqualTo(new DevicePoll.SlowDown(Duration.ofSeconds(10)));
        DevicePoll done = client.poll(start.deviceCode(), start.scopes(), ((DevicePoll.SlowDown) slower).newInterval());

        assertThat(done).isInstanceOfSatisfying(DevicePoll.Done.class, d -> {
            ProviderSignIn signIn = d.signIn();
            assertThat(signIn.subject()).isEqualTo("device-user");
            assertThat(signIn.issuer()).isEqualTo(idp.issuer("device").toString());
            assertThat(signIn.email()).contains("ops@example.com");
            assertThat(signIn.emailVerified()).isTrue();
            assertThat(signIn.roleClaimValues()).containsExactly("Admin");
            assertThat(signIn.tokens().refreshToken()).isPresent();
        });
        assertThat(idp.deviceTokenRequests).isEqualTo(3);
    }

    @Test
    void aRefusalStopsTheFlow() {
        DeviceStart start = client.startDevice(Set.of());
        idp.deviceAnswers.add("access_denied");
        assertThat(client.poll(start)).isInstanceOf(DevicePoll.Denied.class);
    }

    @Test
    void anExpiredDeviceCodeStopsTheFlow() {
        DeviceStart start = client.startDevice(Set.of());
        idp.deviceAnswers.add("expired_token");
        assertThat(client.poll(start)).isInstanceOf(DevicePoll.Expired.class);
    }

    @Test
    void pastItsExpiryTheCodeIsNotEvenPolled() {
        DeviceStart start = client.startDevice(Set.of());
        OidcClient later = OidcClient.create(client.provider(), HttpOptions.defaults(),
                Clock.fixed(start.expiresAt().plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.poll(start)).isInstanceOf(DevicePoll.Expired.class);
        assertThat(idp.deviceTokenRequests).isZero();
    }

    @Test
    void anotherErrorIsAnException() {
        DeviceStart start = client.startDevice(Set.of());
        idp.deviceAnswers.add("invalid_client");
        assertThatThrownBy(() -> client.poll(start)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.error()).isEqualTo(OidcError.TOKEN_EXCHANGE_FAILED);
            assertThat(e.providerError()).contains("invalid_client");
            assertThat(e.getMessage()).doesNotContain(start.deviceCode());
        });
    }

    @Test
    void aDeviceIdTokenFromAnotherIssuerIsRejected() {
        DeviceStart start = client.startDevice(Set.of());
        idp.deviceClaims = Map.of("iss", idp.issuer("default").toString());
        idp.deviceAnswers.add("ok");
        assertThatThrownBy(() -> client.poll(start)).isInstanceOfSatisfying(OidcException.class,
                e -> assertThat(e.error()).isEqualTo(OidcError.INVALID_ID_TOKEN));
    }

    @Test
    void aProviderWithoutDeviceEndpointSaysSo() {
        OidcClient plain = OidcClient.create(OidcProvider.builder("plain").issuer(idp.issuer("default"))
                .clientId("diary").clientSecret("s").build());
        assertThatThrownBy(() -> plain.startDevice(Set.of())).isInstanceOfSatisfying(OidcException.class,
                e -> assertThat(e.error()).isEqualTo(OidcError.UNSUPPORTED));
        assertThat(plain.metadata().deviceAuthorizationEndpoint()).isEqualTo(Optional.empty());
    }
}
