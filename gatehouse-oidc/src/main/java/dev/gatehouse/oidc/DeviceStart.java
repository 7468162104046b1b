package dev.gatehouse.oidc;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A started device authorization (RFC 8628 section 3.2): show {@link #userCode()} and
 * {@link #verificationUri()} to the user, then {@linkplain OidcClient#poll(DeviceStart) poll} every
 * {@link #interval()} until {@link #expiresAt()}. The device code is a secret: keep it server-side;
 * {@link #toString()} hides it.
 *
 * @param deviceCode              the code the client polls with
 * @param userCode                the code the user types at the verification page
 * @param verificationUri         the page where the user enters the code
 * @param verificationUriComplete the page with the code already filled in, if the provider offers one
 * @param interval                how long to wait between polls (5 s when the provider says nothing)
 * @param expiresAt               when the device code expires, by the client's clock
 * @param scopes                  the scopes requested
 */
public record DeviceStart(String deviceCode, String userCode, URI verificationUri, Optional<URI> verificationUriComplete,
        Duration interval, Instant expiresAt, Set<String> scopes) {

    /** Copies the scopes; no value may be null. */
    public DeviceStart {
        Objects.requireNonNull(deviceCode, "deviceCode");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(scopes);
    }

    /** Everything but the device code. */
    @Override
    public String toString() {
        return "DeviceStart[userCode=" + userCode + ", verificationUri=" + verificationUri + ", interval=" + interval
                + ", expiresAt=" + expiresAt + ", scopes=" + scopes + ", deviceCode redacted]";
    }
}
