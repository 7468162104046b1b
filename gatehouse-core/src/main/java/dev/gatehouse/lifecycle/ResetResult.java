package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.util.Objects;

/** What became of a password reset ({@link RecoveryFlow#resetPassword}). */
public sealed interface ResetResult permits ResetResult.Done {

    /**
     * The password was reset; every session and token of the user ended.
     *
     * <p>A reset proves only control of the mailbox, never a second factor. So when
     * {@code requiresSecondFactor}, the web layer must not start a session even if {@code signIn}:
     * it asks for the second factor first (or sends the user to sign in). Until two-factor
     * authentication exists ({@link dev.gatehouse.auth.SecondFactors}), it is always false.
     *
     * @param signIn               whether to sign the user in now ({@code auto-login-after-reset})
     * @param requiresSecondFactor whether the user has a second factor that must be passed first
     */
    record Done(User user, boolean signIn, boolean requiresSecondFactor) implements ResetResult {
        public Done {
            Objects.requireNonNull(user, "user");
        }
    }
}
