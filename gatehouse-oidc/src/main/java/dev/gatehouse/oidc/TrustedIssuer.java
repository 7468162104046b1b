package dev.gatehouse.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Set;

/**
 * One issuer a {@link BearerTokenMechanism} trusts: its JWT processor, built on the first token from
 * its discovery document ({@code jwks_uri}) and kept; a failed discovery is retried, at most every
 * {@link #RETRY_AFTER}, so a provider outage does not turn every request into a fetch. Thread-safe.
 */
final class TrustedIssuer {

    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    private static final int TIMEOUT_MILLIS = 5_000;

    private final String issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private final Duration skew;
    private volatile ConfigurableJWTProcessor<SecurityContext> processor;
    private long failedAt;
    private boolean failed;

    TrustedIssuer(String issuer, Set<String> audiences, Clock clock, Duration skew) {
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.clock = clock;
        this.skew = skew;
    }

    /** The token's verified claims. */
    JWTClaimsSet process(SignedJWT jwt) throws BadJOSEException, JOSEException, IssuerUnavailableException {
        return processor().process(jwt, null);
    }

    private ConfigurableJWTProcessor<SecurityContext> processor() throws IssuerUnavailableException {
        ConfigurableJWTProcessor<SecurityContext> ready = processor;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (processor == null) {
                long now = System.nanoTime();
                if (failed && now - failedAt < RETRY_AFTER.toNanos()) {
                    throw new IssuerUnavailableException("discovery failed less than " + RETRY_AFTER.toSeconds() + " s ago");
                }
                try {
                    processor = build();
                } catch (IssuerUnavailableException e) {
                    failed = true;
                    failedAt = now;
                    throw e;
                }
            }
            return processor;
        }
    }

    private ConfigurableJWTProcessor<SecurityContext> build() throws IssuerUnavailableException {
        OIDCProviderMetadata metadata;
        try {
            // Nimbus checks that the document names this very issuer.
            metadata = OIDCProviderMetadata.resolve(new Issuer(issuer), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
        } catch (GeneralException | IOException e) {
            throw new IssuerUnavailableException("discovery: " + e.getMessage());
        }
        URI jwksUri = metadata.getJWKSetURI();
        if (jwksUri == null) {
            throw new IssuerUnavailableException("the discovery document has no jwks_uri");
        }
        try {
            Issuers.requireSecure(jwksUri);
        } catch (IllegalArgumentException e) {
            throw new IssuerUnavailableException("jwks_uri: " + e.getMessage());
        }
        JWKSource<SecurityContext> keys;
        try {
            // Cached (5 minutes), refreshed ahead of expiry and when a token names an unknown key id
            // (rate-limited), retried once on a network error: Nimbus's defaults for key rotation.
            keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IssuerUnavailableException("jwks_uri is not a URL");
        }
        DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
        // RFC 9068's at+jwt as well as plain JWT (Entra ID, Keycloak); never a JOSE object of another type.
        built.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
        built.setJWSKeySelector(new JWSVerificationKeySelector<>(BearerTokenMechanism.ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iss", "exp"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) skew.toSeconds());
        built.setJWTClaimsSetVerifier(claims);
        return built;
    }
}
