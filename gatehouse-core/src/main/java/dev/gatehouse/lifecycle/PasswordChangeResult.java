package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What became of a password change ({@link PasswordChangeFlow#change}). */
public sealed interface PasswordChangeResult permits PasswordChangeResult.Changed, PasswordChangeResult.LockedOut, RateLimited {

    /**
     * The password was changed, the security stamp rotated, and every session of the user ended —
     * including the one that asked. The web layer starts a new session for this client with
     * {@code user} (and, for {@code include_auth_token}, issues a new API token): every earlier
     * session and token stays ended.
     *
     * @param user the user as stored now, with the new security stamp
     */
    record Changed(User user) implements PasswordChangeResult {
        public Changed {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The account is locked after repeated failed password checks, or this wrong current password
     * locked it; nothing changed. The web layer answers as sign-in answers a lock: with generic
     * responses exactly like a wrong password.
     *
     * @param until when the lock ends by itself; empty when only the emailed link ends it
     */
    record LockedOut(Optional<Instant> until) implements PasswordChangeResult {
        public LockedOut {
            Objects.requireNonNull(until, "until");
        }
    }
}
