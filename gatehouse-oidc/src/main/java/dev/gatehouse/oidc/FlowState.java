package dev.gatehouse.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.token.ValueSealer;
import java.text.ParseException;
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
 * What the callback of one authorization needs, kept between the start and the callback in a
 * sealed cookie (AES-GCM under a key derived from {@code secret}: any node can finish the flow,
 * nobody can read or change it): the flow's secrets, the provider, where to go afterwards, and
 * why the flow runs. Never deserialized as Java objects: a JSON object of strings and numbers.
 *
 * @param providerId the provider the flow was started with; the callback's path must name it
 * @param purpose    sign in, link an identity to the signed-in user, extend the granted scopes, or re-authenticate
 * @param userId     the signed-in user who started a link, consent or verify flow; empty for sign-in
 * @param startedAt  when the flow started, by Gatehouse's clock
 */
record FlowState(String providerId, Purpose purpose, FlowSecrets secrets, Optional<String> next, boolean remember,
        Optional<Long> userId, Instant startedAt) {

    /** Why the flow runs. */
    enum Purpose {
        SIGN_IN, LINK, CONSENT, VERIFY
    }

    /** The associated data a flow's seal is bound to: a sealed value of another kind does not open as one. */
    private static final String CONTEXT = "gatehouse-oidc-flow";
    /** Longest {@code next} kept; a longer one is dropped, as an unsafe one is. */
    static final int MAX_NEXT = 1024;

    FlowState {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(secrets, "secrets");
        next = next.filter(n -> n.length() <= MAX_NEXT);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    String seal(ValueSealer sealer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("p", providerId);
        json.put("u", purpose.name());
        json.put("s", secrets.state());
        json.put("n", secrets.nonce());
        json.put("v", secrets.codeVerifier());
        json.put("sc", new ArrayList<>(secrets.scopes()));
        next.ifPresent(n -> json.put("nx", n));
        json.put("r", remember);
        userId.ifPresent(id -> json.put("id", id));
        json.put("t", startedAt.getEpochSecond());
        return sealer.seal(JSONObjectUtils.toJSONString(json), CONTEXT);
    }

    /** The flow a cookie holds; empty when it does not open (altered, foreign, another secret) or is malformed. */
    static Optional<FlowState> open(ValueSealer sealer, String sealed) {
        Optional<String> plain = sealer.open(sealed, CONTEXT);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSONObjectUtils.parse(plain.get());
            Set<String> scopes = new LinkedHashSet<>();
            List<String> listed = JSONObjectUtils.getStringList(json, "sc");
            if (listed != null) {
                scopes.addAll(listed);
            }
            FlowSecrets secrets = new FlowSecrets(JSONObjectUtils.getString(json, "s"), JSONObjectUtils.getString(json, "n"),
                    JSONObjectUtils.getString(json, "v"), scopes);
            Object userId = json.get("id");
            return Optional.of(new FlowState(JSONObjectUtils.getString(json, "p"),
                    Purpose.valueOf(JSONObjectUtils.getString(json, "u")), secrets,
                    Optional.ofNullable(JSONObjectUtils.getString(json, "nx")), JSONObjectUtils.getBoolean(json, "r"),
                    userId instanceof Number n ? Optional.of(n.longValue()) : Optional.empty(),
                    Instant.ofEpochSecond(JSONObjectUtils.getLong(json, "t"))));
        } catch (ParseException | RuntimeException e) {
            // Sealed by us, so only a bug or an old format lands here: refused like a foreign cookie.
            return Optional.empty();
        }
    }

    /** The secrets and the next location stay out of logs. */
    @Override
    public String toString() {
        return "FlowState[provider=" + providerId + ", purpose=" + purpose + ", startedAt=" + startedAt + "]";
    }
}
