package dev.gatehouse.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One sign-in that can still authenticate, as a user sees it on a "where you are signed in" page:
 * the live records of one family (a session, the remember-me grant that came with it, or a
 * refresh-token chain) taken together, since ending one without the others would let the client
 * back in. Immutable.
 *
 * @param familyId   the family the records share; internal, never shown to clients as such
 * @param kinds      what the family still holds
 * @param createdAt  when the sign-in happened (its oldest live record)
 * @param lastUsedAt its most recent use
 * @param ip         the client address of its most recently used record, if known
 * @param userAgent  the User-Agent of its most recently used record, if known
 */
public record SignIn(String familyId, Set<SessionKind> kinds, Instant createdAt, Instant lastUsedAt,
        Optional<String> ip, Optional<String> userAgent) {

    public SignIn {
        Objects.requireNonNull(familyId, "familyId");
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /** The kind that describes the sign-in best: a browser session, else a remember-me grant, else a refresh token. */
    public SessionKind kind() {
        return kinds.contains(SessionKind.SESSION) ? SessionKind.SESSION
                : kinds.contains(SessionKind.REMEMBER_ME) ? SessionKind.REMEMBER_ME : SessionKind.REFRESH_TOKEN;
    }
}
