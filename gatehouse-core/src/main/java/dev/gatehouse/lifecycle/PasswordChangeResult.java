package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.util.Objects;

/** What became of a password change ({@link PasswordChangeFlow#change}). */
public sealed interface PasswordChangeResult permits PasswordChangeResult.Changed, RateLimited {

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
}
