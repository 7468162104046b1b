package dev.gatehouse.twofactor;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.event.Events;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Two-factor authentication: the authenticator app (TOTP, RFC 6238), one-time codes by email and
 * SMS, recovery codes, and the methods of unified sign-in; {@code Gatehouse#twoFactor()}. The web
 * layer drives it: it sends and checks codes, and turns factors on and off after the user proved
 * a code.
 *
 * <p>As a {@link SecondFactors} it tells whether a user has two-factor on ({@code two-factor} and a
 * primary method), so no one-factor sign-in path completes for them.
 *
 * <p>Secrets are stored sealed ({@link dev.gatehouse.token.ValueSealer}, key from {@code secret},
 * {@code secret-previous} still opens them), recovery codes as digests; codes never appear in logs,
 * events or exceptions. Wrong codes count like wrong passwords (lockout and
 * {@code rate-limit-login-failed}). Thread-safe.
 */
public final class TwoFactor implements SecondFactors {

    private final GatehouseConfig config;
    private final Clock clock;
    private final UserStore users;
    private final SecondFactorStore store;
    private final CounterStore counters;
    private final RateLimiter limits;
    private final Lockout lockout;
    private final Outbox outbox;
    private final Events events;
    private final SmsSender sms;

    private TwoFactor(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.users = Objects.requireNonNull(b.users, "users");
        this.store = Objects.requireNonNull(b.store, "store");
        this.counters = Objects.requireNonNull(b.counters, "counters");
        this.limits = Objects.requireNonNull(b.limits, "limits");
        this.lockout = Objects.requireNonNull(b.lockout, "lockout");
        this.outbox = Objects.requireNonNull(b.outbox, "outbox");
        this.events = Objects.requireNonNull(b.events, "events");
        this.sms = Objects.requireNonNull(b.sms, "sms");
    }

    /** A builder, for {@code Gatehouse} and tests; every collaborator is required. */
    public static Builder builder(GatehouseConfig config, Clock clock) {
        return new Builder(config, clock);
    }

    /** The store the records live in. */
    public SecondFactorStore store() {
        return store;
    }

    /** Whether {@code user} must pass a second factor to sign in: {@code two-factor} is on and they set one up. */
    @Override
    public boolean isEnabledFor(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The second factor {@code user} set up; empty when two-factor is off for them. */
    public Optional<FactorMethod> primaryMethod(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The phone number SMS codes of {@code user} go to, if set. */
    public Optional<String> phoneNumber(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The methods {@code user} enabled for unified sign-in ({@code /us-signin}). */
    public Set<FactorMethod> signInMethods(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Whether {@code user} must have a second factor ({@code two-factor-required}, or a role of
     * {@code two-factor-required-roles}): if they have none, the sign-in sets one up first.
     */
    public boolean isRequiredFor(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * A new random 160-bit authenticator key for {@code user}, not stored yet: the setup page shows
     * it, keeps {@link TotpSetup#sealedSecret()} and passes it to {@link #verify} and {@link #enable}.
     */
    public TotpSetup newTotpSecret(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Sends {@code user} a one-time code by email or SMS, bound to {@code challenge}: at least 6
     * digits, valid for {@code two-factor-mail-validity} / {@code two-factor-sms-validity}, 3 attempts,
     * single use. A new code for the same challenge replaces the previous one.
     *
     * @param method        {@link FactorMethod#EMAIL} or {@link FactorMethod#SMS}
     * @param challenge     an opaque random id of the pending sign-in or setup the code belongs to
     *                      (at least 16 characters)
     * @param phoneOverride during SMS setup, the new number (otherwise the stored one)
     * @return empty when the code was sent (queued); otherwise nothing was sent because codes were sent
     *         to this user too often ({@code rate-limit-login-code}), and the time until the next may go
     * @throws dev.gatehouse.error.InvalidInputException if the method cannot send (no phone, no SMS sender)
     */
    public Optional<Duration> sendCode(User user, FactorMethod method, String challenge, Optional<String> phoneOverride) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Checks a code of {@code method}: for {@link FactorMethod#AUTHENTICATOR} a TOTP code (SHA-1, 6
     * digits, 30 s, ± {@code two-factor-totp-window} steps, each step accepted once) against
     * {@code sealedPendingSecret} during setup or the stored secret otherwise; for EMAIL and SMS the
     * code last sent for {@code challenge}. Wrong codes count like wrong passwords; a locked account
     * gets {@link CodeCheck#LOCKED_OUT} whatever the code.
     */
    public CodeCheck verify(User user, FactorMethod method, String code, String challenge,
            Optional<String> sealedPendingSecret, ClientInfo client) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Makes {@code method} the user's second factor, after they proved a code of it: stores it (with
     * the sealed secret for the authenticator, the phone for SMS), rotates the security stamp (ending
     * one-factor sessions and remember-me grants elsewhere; the caller re-issues its own session),
     * publishes {@link dev.gatehouse.event.AccountEvent.SecondFactorChanged} and queues the notice email.
     *
     * @throws dev.gatehouse.error.InvalidInputException if the method is not enabled or lacks what it needs
     */
    public void enable(User user, FactorMethod method, Optional<String> sealedSecret, Optional<String> phone,
            EventContext context) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Turns two-factor off for {@code user} (keeping what unified sign-in uses), with notice email and event. */
    public void disable(User user, EventContext context) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Sets the methods {@code user} may use for unified sign-in ({@code /us-setup}), with the sealed
     * secret or phone a new method needs; notice email and event.
     */
    public void setSignInMethods(User user, Set<FactorMethod> methods, Optional<String> sealedSecret,
            Optional<String> phone, EventContext context) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * A new set of {@code multi-factor-recovery-codes-n} recovery codes for {@code user}, each at
     * least 64 random bits, shown once: only their digests are kept, and the previous set stops
     * working. Notice email and event.
     */
    public List<String> newRecoveryCodes(User user, EventContext context) {
        throw new UnsupportedOperationException("not yet");
    }

    /** How many unused recovery codes {@code user} has. */
    public int recoveryCodesLeft(User user) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Uses up one recovery code (single use); a wrong one counts like a wrong password. */
    public CodeCheck useRecoveryCode(User user, String code, ClientInfo client) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Removes all of the user's second factors, recovery codes and sign-in methods (CLI {@code users reset-access}). */
    public void reset(long userId) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stores factors brought over from Flask-Security as if set up here (key sealed), without email
     * or stamp rotation.
     *
     * @param base32TotpKey the authenticator key in base32, at least 80 bits
     * @throws dev.gatehouse.error.InvalidInputException for a key that is not base32 of at least 80 bits,
     *                                                   or a method without what it needs (SMS without phone...)
     */
    public void importFactors(long userId, Optional<String> base32TotpKey, Optional<FactorMethod> primaryMethod,
            Optional<String> phoneNumber, Set<FactorMethod> signInMethods) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Assembles a {@link TwoFactor}; not thread-safe. */
    public static final class Builder {
        private final GatehouseConfig config;
        private final Clock clock;
        private UserStore users;
        private SecondFactorStore store;
        private CounterStore counters;
        private RateLimiter limits;
        private Lockout lockout;
        private Outbox outbox;
        private Events events;
        private SmsSender sms;

        private Builder(GatehouseConfig config, Clock clock) {
            this.config = config;
            this.clock = clock;
        }

        /** The users whose factors these are (security stamps are rotated here). */
        public Builder users(UserStore users) {
            this.users = users;
            return this;
        }

        /** Where the records live. */
        public Builder store(SecondFactorStore store) {
            this.store = store;
            return this;
        }

        /** Where code attempts and single-use markers are counted. */
        public Builder counters(CounterStore counters) {
            this.counters = counters;
            return this;
        }

        /** The sign-in rate limits wrong codes count towards. */
        public Builder limits(RateLimiter limits) {
            this.limits = limits;
            return this;
        }

        /** The lockout wrong codes count towards. */
        public Builder lockout(Lockout lockout) {
            this.lockout = lockout;
            return this;
        }

        /** Where code and notice emails are queued. */
        public Builder outbox(Outbox outbox) {
            this.outbox = outbox;
            return this;
        }

        /** Where events are published. */
        public Builder events(Events events) {
            this.events = events;
            return this;
        }

        /** How SMS codes are sent. */
        public Builder smsSender(SmsSender sms) {
            this.sms = sms;
            return this;
        }

        /** The service. */
        public TwoFactor build() {
            return new TwoFactor(this);
        }
    }
}
