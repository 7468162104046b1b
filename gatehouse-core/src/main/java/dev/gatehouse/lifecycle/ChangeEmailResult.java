package dev.gatehouse.lifecycle;

import dev.gatehouse.user.User;
import java.util.Objects;

/** What became of an email change request or confirmation ({@link EmailChangeFlow}). */
public sealed interface ChangeEmailResult permits ChangeEmailResult.InstructionsSent, ChangeEmailResult.Changed,
        ChangeEmailResult.Reverted, RateLimited {

    /**
     * A link confirming {@code newEmail} was emailed to it (with generic responses: or the address
     * belongs to another account, and nothing was sent). The address changes only when the link
     * is followed.
     */
    record InstructionsSent(String newEmail) implements ChangeEmailResult {
        public InstructionsSent {
            Objects.requireNonNull(newEmail, "newEmail");
        }
    }

    /**
     * The new address was confirmed from its mailbox and is now the account's; the old address
     * was notified.
     *
     * @param user     as stored now
     * @param oldEmail the address it replaced
     */
    record Changed(User user, String oldEmail) implements ChangeEmailResult {
        public Changed {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(oldEmail, "oldEmail");
        }
    }

    /**
     * An email change was undone from the link mailed to the old address: the old address is the
     * account's again, every session, remember-me grant and token of the user ended, and (with
     * {@code recoverable}) the password no longer works, so the owner must reset it.
     *
     * @param user           as stored now
     * @param replacedEmail  the address the change had set, which no longer signs in
     * @param passwordCleared whether the password was made unusable (the owner must reset it)
     */
    record Reverted(User user, String replacedEmail, boolean passwordCleared) implements ChangeEmailResult {
        public Reverted {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(replacedEmail, "replacedEmail");
        }
    }
}
