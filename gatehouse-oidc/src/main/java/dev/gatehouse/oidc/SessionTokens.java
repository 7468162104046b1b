package dev.gatehouse.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.session.SessionData;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.token.ValueSealer;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A provider's tokens kept with the sign-in (session family) they came with, in the
 * {@link SessionDataStore}, sealed (AES-GCM, {@link ValueSealer}) and bound to the family and the
 * provider: a sealed value copied to another sign-in or provider does not open. The store sees
 * only sealed text. Thread-safe.
 */
final class SessionTokens {

    /** The tokens a sign-in holds from one provider, with the identity they belong to. */
    record Held(String providerId, String issuer, String subject, ProviderTokens tokens) {
    }

    private final SessionDataStore store;
    private final ValueSealer sealer;

    SessionTokens(SessionDataStore store, ValueSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    static String name(String providerId) {
        return "oidc:" + providerId;
    }

    private static String context(String familyId, String providerId) {
        return "gatehouse-oidc-tokens:" + familyId + ":" + providerId;
    }

    void put(String familyId, long userId, Held held, Instant keepUntil) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("iss", held.issuer());
        json.put("sub", held.subject());
        json.put("at", held.tokens().accessToken());
        held.tokens().refreshToken().ifPresent(t -> json.put("rt", t));
        held.tokens().idToken().ifPresent(t -> json.put("it", t));
        json.put("exp", held.tokens().expiresAt().getEpochSecond());
        json.put("sc", new ArrayList<>(held.tokens().scopes()));
        String sealed = sealer.seal(JSONObjectUtils.toJSONString(json), context(familyId, held.providerId()));
        store.put(new SessionData(familyId, name(held.providerId()), userId, sealed, keepUntil));
    }

    Optional<Held> find(String familyId, String providerId) {
        return store.find(familyId, name(providerId))
                .flatMap(data -> sealer.open(data.value(), context(familyId, providerId)))
                .flatMap(plain -> parse(providerId, plain));
    }

    private static Optional<Held> parse(String providerId, String plain) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(plain);
            List<String> scopes = JSONObjectUtils.getStringList(json, "sc");
            ProviderTokens tokens = new ProviderTokens(JSONObjectUtils.getString(json, "at"),
                    Optional.ofNullable(JSONObjectUtils.getString(json, "rt")),
                    Optional.ofNullable(JSONObjectUtils.getString(json, "it")),
                    Instant.ofEpochSecond(JSONObjectUtils.getLong(json, "exp")),
                    scopes == null ? Set.of() : new LinkedHashSet<>(scopes));
            return Optional.of(new Held(providerId, JSONObjectUtils.getString(json, "iss"),
                    JSONObjectUtils.getString(json, "sub"), tokens));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void deleteFamily(String familyId) {
        store.deleteFamily(familyId);
    }
}
