package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.util.Objects;

/** What became of following a confirmation link ({@link ConfirmationFlow#confirm}). */
public sealed interface ConfirmResult permits ConfirmResult.Confirmed {

    /**
     * The email address is confirmed.
     *
     * @param signIn whether the web layer signs the user in now ({@code auto-login-after-confirm},
     *               and the account is active)
     */
    record Confirmed(User user, boolean signIn) implements ConfirmResult {
        public Confirmed {
            Objects.requireNonNull(user, "user");
        }
    }
}
