package dev.gatehouse.event;

import dev.gatehouse.request.ClientInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to an account: Gatehouse's counterpart of Flask-Security's signals.
 * Listeners registered with {@code Gatehouse.builder().listener(...)} receive each event after the
 * change it reports was written to the stores (see {@link Events}); the audit log records them.
 *
 * <p>Each event carries its {@link EventContext} (time, user, client) and reports a stable
 * {@link #type()} (Flask-Security's signal name where there is one) and a few {@link #details()}
 * for the audit log. Events never carry secrets: no passwords, tokens, links or codes.
 *
 * <p>Records, so immutable and thread-safe; switch over them with pattern matching.
 */
public sealed interface AccountEvent {

    /** When, to whom and from where. */
    EventContext context();

    /** A stable snake_case name, e.g. {@code user_registered}. */
    String type();

    /** Small facts worth recording in the audit log, e.g. the new email address; no secrets. */
    default Map<String, String> details() {
        return Map.of();
    }

    /** Shortcut for {@code context().at()}. */
    default Instant at() {
        return context().at();
    }

    /** Shortcut for {@code context().userId()}. */
    default Optional<Long> userId() {
        return context().userId();
    }

    /** Shortcut for {@code context().client()}. */
    default ClientInfo client() {
        return context().client();
    }

    /** A visitor created an account (Flask-Security's {@code user_registered}). */
    record UserRegistered(EventContext context, String email, boolean confirmationRequired) implements AccountEvent {
        public UserRegistered {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(email, "email");
        }

        @Override
        public String type() {
            return "user_registered";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("email", email, "confirmation_required", String.valueOf(confirmationRequired));
        }
    }

    /**
     * A registration named an email address or username that already has an account; with generic
     * responses its owner was notified instead (Flask-Security's {@code user_not_registered}).
     *
     * @param field {@code email} or {@code username}: which one was taken
     */
    record UserNotRegistered(EventContext context, String field) implements AccountEvent {
        public UserNotRegistered {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(field, "field");
        }

        @Override
        public String type() {
            return "user_not_registered";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("field", field);
        }
    }

    /** A confirmation link was queued for sending (Flask-Security's {@code confirm_instructions_sent}). */
    record ConfirmInstructionsSent(EventContext context) implements AccountEvent {
        public ConfirmInstructionsSent {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "confirm_instructions_sent";
        }
    }

    /** The user confirmed the email address (Flask-Security's {@code user_confirmed}). */
    record UserConfirmed(EventContext context) implements AccountEvent {
        public UserConfirmed {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "user_confirmed";
        }
    }

    /** A password reset link was queued (Flask-Security's {@code reset_password_instructions_sent}). */
    record ResetInstructionsSent(EventContext context) implements AccountEvent {
        public ResetInstructionsSent {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "reset_password_instructions_sent";
        }
    }

    /** The password was reset through an emailed link (Flask-Security's {@code password_reset}). */
    record PasswordReset(EventContext context) implements AccountEvent {
        public PasswordReset {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "password_reset";
        }
    }

    /** The signed-in user changed the password (Flask-Security's {@code password_changed}). */
    record PasswordChanged(EventContext context) implements AccountEvent {
        public PasswordChanged {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "password_changed";
        }
    }

    /** A link confirming a new address was queued to it (Flask-Security's {@code change_email_instructions_sent}). */
    record ChangeEmailInstructionsSent(EventContext context, String newEmail) implements AccountEvent {
        public ChangeEmailInstructionsSent {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(newEmail, "newEmail");
        }

        @Override
        public String type() {
            return "change_email_instructions_sent";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("new_email", newEmail);
        }
    }

    /** The new address was confirmed and replaced the old one (Flask-Security's {@code change_email_confirmed}). */
    record EmailChanged(EventContext context, String oldEmail, String newEmail) implements AccountEvent {
        public EmailChanged {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(oldEmail, "oldEmail");
            Objects.requireNonNull(newEmail, "newEmail");
        }

        @Override
        public String type() {
            return "change_email_confirmed";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("old_email", oldEmail, "new_email", newEmail);
        }
    }

    /**
     * An email change was undone from the link mailed to the old address: {@code restoredEmail} is
     * the account's address again and every session and token of the user ended.
     */
    record EmailChangeReverted(EventContext context, String replacedEmail, String restoredEmail) implements AccountEvent {
        public EmailChangeReverted {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(replacedEmail, "replacedEmail");
            Objects.requireNonNull(restoredEmail, "restoredEmail");
        }

        @Override
        public String type() {
            return "change_email_reverted";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("replaced_email", replacedEmail, "restored_email", restoredEmail);
        }
    }

    /** The username changed (Flask-Security's {@code username_changed}). */
    record UsernameChanged(EventContext context, Optional<String> oldUsername, String newUsername) implements AccountEvent {
        public UsernameChanged {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(oldUsername, "oldUsername");
            Objects.requireNonNull(newUsername, "newUsername");
        }

        @Override
        public String type() {
            return "username_changed";
        }

        @Override
        public Map<String, String> details() {
            Map<String, String> details = new LinkedHashMap<>();
            oldUsername.ifPresent(old -> details.put("old_username", old));
            details.put("new_username", newUsername);
            return details;
        }
    }

    /** The username was queued for mailing to its owner (Flask-Security's {@code username_recovery_email_sent}). */
    record UsernameRecoverySent(EventContext context) implements AccountEvent {
        public UsernameRecoverySent {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "username_recovery_email_sent";
        }
    }

    /** A sign-in code and link were queued (Flask-Security's {@code login_instructions_sent}). */
    record LoginInstructionsSent(EventContext context) implements AccountEvent {
        public LoginInstructionsSent {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "login_instructions_sent";
        }
    }

    /**
     * A session was started for the user (Flask-Security's {@code user_authenticated}), after a
     * sign-in by password, code or link.
     */
    record UserAuthenticated(EventContext context) implements AccountEvent {
        public UserAuthenticated {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "user_authenticated";
        }
    }

    /**
     * A sign-in attempt failed.
     *
     * @param reason why, e.g. {@code INVALID_PASSWORD}, {@code USER_DOES_NOT_EXIST}, {@code INVALID_CODE},
     *               {@code LOCKED_OUT}, {@code RATE_LIMITED}
     */
    record AuthenticationFailed(EventContext context, String reason) implements AccountEvent {
        public AuthenticationFailed {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return "authentication_failed";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("reason", reason);
        }
    }

    /**
     * Repeated failed sign-ins locked the account.
     *
     * @param until when the lock ends by itself; empty when only the emailed link unlocks it
     */
    record UserLockedOut(EventContext context, Optional<Instant> until) implements AccountEvent {
        public UserLockedOut {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(until, "until");
        }

        @Override
        public String type() {
            return "user_locked_out";
        }

        @Override
        public Map<String, String> details() {
            return until.map(u -> Map.of("until", u.toString())).orElse(Map.of());
        }
    }

    /**
     * A locked account was unlocked before its lock ran out.
     *
     * @param how {@code link} (the emailed unlock link), {@code password_reset} or {@code admin}
     */
    record UserUnlocked(EventContext context, String how) implements AccountEvent {
        public UserUnlocked {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(how, "how");
        }

        @Override
        public String type() {
            return "user_unlocked";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("how", how);
        }
    }

    /**
     * An external provider's identity was linked to the account, at its first sign-in or by the
     * signed-in user.
     *
     * @param provider the configured provider id, e.g. {@code keycloak}
     * @param issuer   the provider's issuer; with the subject, the identity's key (the subject is not recorded)
     */
    record ExternalIdentityLinked(EventContext context, String provider, String issuer) implements AccountEvent {
        public ExternalIdentityLinked {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(issuer, "issuer");
        }

        @Override
        public String type() {
            return "external_identity_linked";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("provider", provider, "issuer", issuer);
        }
    }

    /** The signed-in user removed a linked external identity from the account. */
    record ExternalIdentityUnlinked(EventContext context, String provider, String issuer) implements AccountEvent {
        public ExternalIdentityUnlinked {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(issuer, "issuer");
        }

        @Override
        public String type() {
            return "external_identity_unlinked";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("provider", provider, "issuer", issuer);
        }
    }

    /** The user signed out: a session ended at the user's request (Flask-Security's {@code user_unauthenticated}). */
    record UserLoggedOut(EventContext context) implements AccountEvent {
        public UserLoggedOut {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "user_logged_out";
        }
    }

    /**
     * With generic responses, someone asked for an email (a reset link, a sign-in code, a
     * confirmation link, a username) about an address that has no account. Recorded so that both
     * cases do the same work (one audit entry each) and so probing for addresses shows in the log;
     * the address itself is not kept.
     *
     * @param action what was asked for: {@code reset_password}, {@code login}, {@code confirm} or
     *               {@code recover_username}
     */
    record UnknownAccountRequested(EventContext context, String action) implements AccountEvent {
        public UnknownAccountRequested {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(action, "action");
        }

        @Override
        public String type() {
            return "unknown_account_requested";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("action", action);
        }
    }

    /**
     * A user's second factor was turned on or changed ({@code tf_profile_changed}) or turned off
     * ({@code tf_disabled}, also by an administrator's reset). Wrong second-factor codes are
     * {@link AuthenticationFailed} events with reason {@code INVALID_CODE} or {@code INVALID_RECOVERY_CODE}.
     *
     * @param method  the method now in use, as {@code FactorMethod#wireName()} ({@code authenticator},
     *                {@code email}, {@code sms}); empty when turned off
     * @param enabled whether two-factor is on after the change
     */
    record SecondFactorChanged(EventContext context, Optional<String> method, boolean enabled) implements AccountEvent {
        public SecondFactorChanged {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(method, "method");
        }

        @Override
        public String type() {
            return enabled ? "tf_profile_changed" : "tf_disabled";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("method", method.orElse("none"));
        }
    }

    /**
     * The methods a user may sign in with by code changed (Flask-Security's {@code us_profile_changed}).
     *
     * @param methods the methods now, as {@code FactorMethod#wireName()}s, sorted
     */
    record SignInMethodsChanged(EventContext context, List<String> methods) implements AccountEvent {
        public SignInMethodsChanged {
            Objects.requireNonNull(context, "context");
            methods = methods.stream().sorted().toList();
        }

        @Override
        public String type() {
            return "us_profile_changed";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("methods", String.join(",", methods));
        }
    }

    /**
     * A new set of recovery codes was generated, replacing the old one (Flask-Security's
     * {@code mf_recovery_codes_generated}); the codes are not part of the event.
     */
    record RecoveryCodesGenerated(EventContext context, int count) implements AccountEvent {
        public RecoveryCodesGenerated {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public String type() {
            return "mf_recovery_codes_generated";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("count", String.valueOf(count));
        }
    }

    /**
     * A second-factor code was sent (Flask-Security's {@code tf_security_token_sent}); never the code itself.
     *
     * @param method {@code email} or {@code sms}
     */
    record SecondFactorCodeSent(EventContext context, String method) implements AccountEvent {
        public SecondFactorCodeSent {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(method, "method");
        }

        @Override
        public String type() {
            return "tf_security_token_sent";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("method", method);
        }
    }
}
