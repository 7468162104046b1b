package dev.gatehouse.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-side state of a session, remember-me grant or refresh token.
 *
 * <p>The client holds a random secret; the store keys the record by the secret's digest
 * ({@link #id()}), so a leaked store never yields usable cookies. Records of one sign-in share a
 * {@link #familyId()}: logging out ends the session together with the remember-me grant it came
 * with, and reuse of a rotated refresh token ends its whole family.
 *
 * @param id              digest of the client's secret; the store key
 * @param kind            what the record stands for
 * @param userId          the user it authenticates
 * @param securityStamp   the user's security stamp when issued; a rotated stamp invalidates it
 * @param familyId        groups the records of one sign-in
 * @param generation      position in a refresh-token family (0 for the first)
 * @param createdAt       when it was issued
 * @param lastUsedAt      last use, for the idle timeout (updated at a coarse granularity)
 * @param authenticatedAt when the user last proved who they are (freshness)
 * @param expiresAt       absolute end of life
 * @param consumed        for refresh tokens: already exchanged (a second use is a reuse attack)
 * @param ip              the client address it was issued to, if known
 * @param userAgent       the client's User-Agent when issued, if known (shown in session lists)
 */
public record SessionRecord(
        String id,
        SessionKind kind,
        long userId,
        String securityStamp,
        String familyId,
        int generation,
        Instant createdAt,
        Instant lastUsedAt,
        Instant authenticatedAt,
        Instant expiresAt,
        boolean consumed,
        Optional<String> ip,
        Optional<String> userAgent) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(securityStamp, "securityStamp");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        ip = ip.map(value -> truncate(value, 64));
        userAgent = userAgent.map(value -> truncate(value, 255));
    }

    /** This record with a later {@code lastUsedAt}. */
    public SessionRecord usedAt(Instant at) {
        return new SessionRecord(id, kind, userId, securityStamp, familyId, generation, createdAt, at,
                authenticatedAt, expiresAt, consumed, ip, userAgent);
    }

    /** Whether the record's absolute lifetime is over at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    @Override
    public String toString() {
        // The id is a digest, not the secret, but there is no reason to print it either.
        return "SessionRecord[" + kind + ", user=" + userId + ", family=" + familyId.substring(0, Math.min(6, familyId.length()))
                + "…, created=" + createdAt + ", expires=" + expiresAt + "]";
    }
}
