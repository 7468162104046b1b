package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.password.PasswordHashFormat;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The fields {@link UserStore#patchUser(long, UserPatch)} changes, and only those: the account
 * lifecycle flows (confirmation, password reset and change, email and username change) write
 * exactly what they decided, in one atomic step, without reading and re-writing the whole user —
 * which could undo a concurrent sign-in count or role change.
 *
 * <pre>{@code
 * store.patchUser(user.id(), UserPatch.builder().passwordHash(hash).rotateSecurityStamp().build());
 * }</pre>
 *
 * <p>Values are validated when the patch is built, with the same rules as {@link NewUser}: a
 * plaintext password, a malformed email or username, or an instant outside the storable range is
 * refused with an {@link InvalidInputException}. Immutable and thread-safe; {@link #toString()}
 * names the changed fields without their values.
 */
public final class UserPatch {

    private final String email;
    private final boolean changesUsername;
    private final String username;
    private final String passwordHash;
    private final String securityStamp;
    private final boolean changesConfirmedAt;
    private final Instant confirmedAt;

    private UserPatch(Builder b) {
        this.email = b.email == null ? null : Identifiers.checkEmail(b.email);
        this.changesUsername = b.changesUsername;
        this.username = b.username == null ? null : Identifiers.checkUsername(b.username);
        if (b.passwordHash != null && !PasswordHashFormat.isRecognized(b.passwordHash)) {
            throw new InvalidInputException("password", "PLAINTEXT_PASSWORD_REFUSED",
                    "the password must be given as a hash produced by PasswordHasher, not as plaintext");
        }
        this.passwordHash = b.passwordHash;
        this.securityStamp = b.securityStamp == null ? null : SecurityStamps.check(b.securityStamp);
        this.changesConfirmedAt = b.changesConfirmedAt;
        this.confirmedAt = b.confirmedAt == null ? null : StoreLimits.instant("confirmed_at", b.confirmedAt);
    }

    /** An empty patch to add changes to. */
    public static Builder builder() {
        return new Builder();
    }

    /** The new email address, if it changes. */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /** Whether the username changes (to {@link #username()}, or to none when that is empty). */
    public boolean changesUsername() {
        return changesUsername;
    }

    /** The new username when {@link #changesUsername()}; empty also means "remove it". */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The new password hash, if it changes. */
    public Optional<String> passwordHash() {
        return Optional.ofNullable(passwordHash);
    }

    /** The new security stamp, if it changes. */
    public Optional<String> securityStamp() {
        return Optional.ofNullable(securityStamp);
    }

    /** Whether the confirmation time changes (to {@link #confirmedAt()}, or to unconfirmed when empty). */
    public boolean changesConfirmedAt() {
        return changesConfirmedAt;
    }

    /** The new confirmation time when {@link #changesConfirmedAt()}; truncated to microseconds. */
    public Optional<Instant> confirmedAt() {
        return Optional.ofNullable(confirmedAt);
    }

    /** Whether the patch changes nothing. */
    public boolean isEmpty() {
        return email == null && !changesUsername && passwordHash == null && securityStamp == null && !changesConfirmedAt;
    }

    /** {@code user} with this patch applied: for stores that keep whole {@link User} snapshots. */
    public User applyTo(User user) {
        User.Builder b = user.toBuilder();
        if (email != null) {
            b.email(email);
        }
        if (changesUsername) {
            b.username(username);
        }
        if (passwordHash != null) {
            b.passwordHash(passwordHash);
        }
        if (securityStamp != null) {
            b.securityStamp(securityStamp);
        }
        if (changesConfirmedAt) {
            b.confirmedAt(confirmedAt);
        }
        return b.build();
    }

    /** Names the fields that change, never their values. */
    @Override
    public String toString() {
        StringJoiner changed = new StringJoiner(", ", "UserPatch[", "]");
        if (email != null) {
            changed.add("email");
        }
        if (changesUsername) {
            changed.add("username");
        }
        if (passwordHash != null) {
            changed.add("passwordHash");
        }
        if (securityStamp != null) {
            changed.add("securityStamp");
        }
        if (changesConfirmedAt) {
            changed.add("confirmedAt");
        }
        return changed.toString();
    }

    /** Builds a {@link UserPatch}; not thread-safe. */
    public static final class Builder {
        private String email;
        private boolean changesUsername;
        private String username;
        private String passwordHash;
        private String securityStamp;
        private boolean changesConfirmedAt;
        private Instant confirmedAt;

        private Builder() {
        }

        /** A new email address, validated by {@link Identifiers#checkEmail(String)}. */
        public Builder email(String email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        /** A new username, validated by {@link Identifiers#checkUsername(String)}. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            this.changesUsername = true;
            return this;
        }

        /** Removes the username. */
        public Builder clearUsername() {
            this.username = null;
            this.changesUsername = true;
            return this;
        }

        /** A new password hash, as produced by {@code PasswordHasher}; plaintext is refused. */
        public Builder passwordHash(String passwordHash) {
            this.passwordHash = Objects.requireNonNull(passwordHash, "passwordHash");
            return this;
        }

        /** A given security stamp (32-64 characters of {@code [A-Za-z0-9_-]}). */
        public Builder securityStamp(String securityStamp) {
            this.securityStamp = Objects.requireNonNull(securityStamp, "securityStamp");
            return this;
        }

        /** A fresh random security stamp: ends every session and token of the user. */
        public Builder rotateSecurityStamp() {
            this.securityStamp = SecurityStamps.generate();
            return this;
        }

        /** Marks the email address confirmed at {@code confirmedAt}. */
        public Builder confirmedAt(Instant confirmedAt) {
            this.confirmedAt = Objects.requireNonNull(confirmedAt, "confirmedAt");
            this.changesConfirmedAt = true;
            return this;
        }

        /** Marks the email address unconfirmed. */
        public Builder clearConfirmedAt() {
            this.confirmedAt = null;
            this.changesConfirmedAt = true;
            return this;
        }

        /**
         * The patch.
         *
         * @throws InvalidInputException if a value is malformed (field {@code email}, {@code username},
         *                               {@code password}, {@code security_stamp} or {@code confirmed_at})
         */
        public UserPatch build() {
            return new UserPatch(this);
        }
    }
}
