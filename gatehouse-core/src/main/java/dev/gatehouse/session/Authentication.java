package dev.gatehouse.session;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 */
public record Authentication(User user, Mechanism mechanism, Instant authenticatedAt, Optional<SessionRecord> session,
        Optional<String> familyId) {

    public Authentication {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(authenticatedAt, "authenticatedAt");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(familyId, "familyId");
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
