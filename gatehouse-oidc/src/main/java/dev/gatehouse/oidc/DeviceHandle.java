package dev.gatehouse.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.ValueSealer;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A started device-code sign-in, handed to the client sealed (AES-GCM under a key derived from
 * {@code secret}, {@link ValueSealer}) as an opaque {@code device_handle} or a cookie, so that any
 * node can poll it and nobody can read the device code or change the handle. What must not be left
 * to the client — the polling rate, single use — is kept in the counter store under
 * {@link #key()}, a digest of the device code shared by every copy of the handle.
 *
 * @param providerId the provider the sign-in runs at; the poll's path must name it
 * @param deviceCode the provider's device code (a secret: never logged, never shown)
 * @param interval   the polling interval the provider asked for at the start
 * @param startedAt  when it started, by Gatehouse's clock
 * @param expiresAt  when the device code expires, by Gatehouse's clock
 */
record DeviceHandle(String providerId, String deviceCode, Set<String> scopes, String userCode, URI verificationUri,
        Optional<URI> verificationUriComplete, Duration interval, Instant startedAt, Instant expiresAt,
        Optional<String> next, boolean remember) {

    /** The associated data of the seal: another sealed value (a flow cookie, say) does not open as a handle. */
    private static final String CONTEXT = "gatehouse-oidc-device";

    DeviceHandle {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(deviceCode, "deviceCode");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        next = next.filter(n -> n.length() <= FlowState.MAX_NEXT);
    }

    /** Names this sign-in in counter keys without revealing the device code. */
    String key() {
        return Sha256.base64Url(providerId + " " + deviceCode, 32);
    }

    String seal(ValueSealer sealer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("p", providerId);
        json.put("d", deviceCode);
        json.put("sc", new ArrayList<>(scopes));
        json.put("uc", userCode);
        json.put("vu", verificationUri.toString());
        verificationUriComplete.ifPresent(u -> json.put("vc", u.toString()));
        json.put("i", interval.toSeconds());
        json.put("t", startedAt.getEpochSecond());
        json.put("e", expiresAt.getEpochSecond());
        next.ifPresent(n -> json.put("nx", n));
        json.put("r", remember);
        return sealer.seal(JSONObjectUtils.toJSONString(json), CONTEXT);
    }

    /** The handle {@code sealed} holds; empty when it does not open (altered, foreign, another secret) or is malformed. */
    static Optional<DeviceHandle> open(ValueSealer sealer, String sealed) {
        Optional<String> plain = sealer.open(sealed, CONTEXT);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSONObjectUtils.parse(plain.get());
            List<String> scopes = JSONObjectUtils.getStringList(json, "sc");
            String complete = JSONObjectUtils.getString(json, "vc");
            return Optional.of(new DeviceHandle(JSONObjectUtils.getString(json, "p"), JSONObjectUtils.getString(json, "d"),
                    scopes == null ? Set.of() : new LinkedHashSet<>(scopes), JSONObjectUtils.getString(json, "uc"),
                    URI.create(JSONObjectUtils.getString(json, "vu")),
                    Optional.ofNullable(complete).map(URI::create), Duration.ofSeconds(JSONObjectUtils.getLong(json, "i")),
                    Instant.ofEpochSecond(JSONObjectUtils.getLong(json, "t")),
                    Instant.ofEpochSecond(JSONObjectUtils.getLong(json, "e")),
                    Optional.ofNullable(JSONObjectUtils.getString(json, "nx")), JSONObjectUtils.getBoolean(json, "r")));
        } catch (ParseException | RuntimeException e) {
            // Sealed by us, so only a bug or an old format lands here: refused like a forged handle.
            return Optional.empty();
        }
    }

    /** The device code and the next location stay out of logs. */
    @Override
    public String toString() {
        return "DeviceHandle[provider=" + providerId + ", userCode=" + userCode + ", expiresAt=" + expiresAt + "]";
    }
}
