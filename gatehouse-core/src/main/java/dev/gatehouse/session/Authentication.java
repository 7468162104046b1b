package dev.gatehouse.session;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Proof that a request comes from a user: who, by which mechanism, and when the user last
 * proved it with a credential (for freshness checks).
 *
 * @param user            the authenticated user, active, with a current security stamp
 * @param mechanism       how the request authenticated
 * @param authenticatedAt when the user last signed in or re-authenticated
 * @param session         the session record, for session authentication
 * @param familyId        the sign-in this authentication belongs to (the session's family, or the
 *                        one an API token names); empty for HTTP Basic. Ending it signs the
 *                        request's client out.
 * @param scopes          the OAuth 2.0 scopes the credential grants (a bearer token's {@code scp} or
 *                        {@code scope}); empty for session, API token and HTTP Basic, which are
 *                        bounded by the user's roles alone
 */
public record Authentication(User user, Mechanism mechanism, Instant authenticatedAt, Optional<SessionRecord> session,
        Optional<String> familyId, Set<String> scopes) {

    public Authentication {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(familyId, "familyId");
        // Set.copyOf returns an immutable set as it is: the shared empty set stays shared.
        scopes = Set.copyOf(scopes);
    }

    /** An authentication that grants no scopes. */
    public Authentication(User user, Mechanism mechanism, Instant authenticatedAt, Optional<SessionRecord> session,
            Optional<String> familyId) {
        this(user, mechanism, authenticatedAt, session, familyId, Set.of());
    }

    /** An authentication whose sign-in is the session's family, if it has a session. */
    public Authentication(User user, Mechanism mechanism, Instant authenticatedAt, Optional<SessionRecord> session) {
        this(user, mechanism, authenticatedAt, session, Objects.requireNonNull(session, "session").map(SessionRecord::familyId));
    }

    /**
     * Whether the user proved who they are within {@code window} before {@code now}. A negative
     * window means freshness is never required (Flask-Security's {@code within=-1}).
     */
    public boolean isFreshWithin(Duration window, Instant now) {
        return window.isNegative() || !authenticatedAt.plus(window).isBefore(now);
    }
}
