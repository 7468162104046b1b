package dev.gatehouse.lifecycle;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.auth.SignInFlow;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.event.Events;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.session.Sessions;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The account lifecycle flows, built together over the same stores and services:
 * {@link RegistrationFlow}, {@link ConfirmationFlow}, {@link RecoveryFlow},
 * {@link PasswordChangeFlow}, {@link EmailChangeFlow}, {@link UsernameFlow} and
 * {@link PasswordlessFlow}. {@code Gatehouse} builds one and hands out its flows
 * ({@code gatehouse.registration()}, ...); applications rarely build one themselves.
 *
 * <p>Every flow is plain Java: no HTTP. Each method takes what the web layer read from the
 * request plus the {@link dev.gatehouse.request.ClientInfo} of the client, and returns a sealed result
 * or throws {@link dev.gatehouse.error.InvalidInputException} with a Flask-Security message key as code.
 * A flow whose feature is off throws {@link FeatureDisabledException}. Immutable and thread-safe.
 */
public final class AccountLifecycle {

    private final RegistrationFlow registration;
    private final ConfirmationFlow confirmation;
    private final RecoveryFlow recovery;
    private final PasswordChangeFlow passwordChange;
    private final EmailChangeFlow emailChange;
    private final UsernameFlow usernames;
    private final PasswordlessFlow passwordless;

    private AccountLifecycle(Context context) {
        this.confirmation = new ConfirmationFlow(context);
        this.registration = new RegistrationFlow(context, confirmation);
        this.recovery = new RecoveryFlow(context);
        this.passwordChange = new PasswordChangeFlow(context);
        this.emailChange = new EmailChangeFlow(context);
        this.usernames = new UsernameFlow(context);
        this.passwordless = new PasswordlessFlow(context);
    }

    /** A builder; every collaborator is required. */
    public static Builder builder(GatehouseConfig config, Clock clock) {
        return new Builder(config, clock);
    }

    public RegistrationFlow registration() {
        return registration;
    }

    public ConfirmationFlow confirmation() {
        return confirmation;
    }

    public RecoveryFlow recovery() {
        return recovery;
    }

    public PasswordChangeFlow passwordChange() {
        return passwordChange;
    }

    public EmailChangeFlow emailChange() {
        return emailChange;
    }

    public UsernameFlow usernames() {
        return usernames;
    }

    public PasswordlessFlow passwordless() {
        return passwordless;
    }

    /** Collects the collaborators of the flows; not thread-safe. */
    public static final class Builder {
        final GatehouseConfig config;
        final Clock clock;
        UserStore users;
        PasswordHasher hasher;
        PasswordPolicy policy;
        TokenSigner tokens;
        Outbox outbox;
        RateLimiter limits;
        Lockout lockout;
        SignInFlow signIn;
        CounterStore counters;
        Sessions sessions;
        Events events;
        SecondFactors secondFactors = SecondFactors.NONE;

        private Builder(GatehouseConfig config, Clock clock) {
            this.config = Objects.requireNonNull(config, "config");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        public Builder users(UserStore users) {
            this.users = users;
            return this;
        }

        public Builder hasher(PasswordHasher hasher) {
            this.hasher = hasher;
            return this;
        }

        public Builder policy(PasswordPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder tokens(TokenSigner tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder outbox(Outbox outbox) {
            this.outbox = outbox;
            return this;
        }

        public Builder limits(RateLimiter limits) {
            this.limits = limits;
            return this;
        }

        public Builder lockout(Lockout lockout) {
            this.lockout = lockout;
            return this;
        }

        /** The password check every re-authentication goes through, counted like a sign-in. */
        public Builder signIn(SignInFlow signIn) {
            this.signIn = signIn;
            return this;
        }

        /** Where single-use markers of emailed links and code attempt counts are kept. */
        public Builder counters(CounterStore counters) {
            this.counters = counters;
            return this;
        }

        public Builder sessions(Sessions sessions) {
            this.sessions = sessions;
            return this;
        }

        public Builder events(Events events) {
            this.events = events;
            return this;
        }

        public Builder secondFactors(SecondFactors secondFactors) {
            this.secondFactors = secondFactors;
            return this;
        }

        /** @throws NullPointerException naming a collaborator that was not given */
        public AccountLifecycle build() {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(outbox, "outbox");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(lockout, "lockout");
            Objects.requireNonNull(signIn, "signIn");
            Objects.requireNonNull(counters, "counters");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(secondFactors, "secondFactors");
            return new AccountLifecycle(new Context(this));
        }
    }
}
