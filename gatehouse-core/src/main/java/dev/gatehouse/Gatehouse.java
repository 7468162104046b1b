package dev.gatehouse;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EMAIL_SENDER;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.REFRESH_TOKEN_IDLE_TIMEOUT;
import static dev.gatehouse.config.Settings.REFRESH_TOKEN_MAX_AGE;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.config.Settings.SESSION_IDLE_TIMEOUT;
import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;

import dev.gatehouse.auth.AuthTokens;
import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.RefreshTokens;
import dev.gatehouse.auth.SecondFactors;
import dev.gatehouse.auth.SignInFlow;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.event.AuditLog;
import dev.gatehouse.event.EventListener;
import dev.gatehouse.event.Events;
import dev.gatehouse.event.InMemoryAuditLog;
import dev.gatehouse.lifecycle.AccountLifecycle;
import dev.gatehouse.lifecycle.ConfirmationFlow;
import dev.gatehouse.lifecycle.EmailChangeFlow;
import dev.gatehouse.lifecycle.PasswordChangeFlow;
import dev.gatehouse.lifecycle.PasswordlessFlow;
import dev.gatehouse.lifecycle.RecoveryFlow;
import dev.gatehouse.lifecycle.RegistrationFlow;
import dev.gatehouse.lifecycle.UsernameFlow;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.InMemoryCounterStore;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.InMemoryOutboxStore;
import dev.gatehouse.mail.MailDelivery;
import dev.gatehouse.mail.Mailer;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.mail.OutboxStore;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.session.InMemorySessionDataStore;
import dev.gatehouse.session.InMemorySessionStore;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.session.SessionFamilies;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.session.Sessions;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.twofactor.InMemorySecondFactorStore;
import dev.gatehouse.twofactor.SecondFactorStore;
import dev.gatehouse.twofactor.SmsSender;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.user.CachingUserStore;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.InMemoryExternalIdentityStore;
import dev.gatehouse.user.InMemoryPasskeyStore;
import dev.gatehouse.user.PasskeyStore;
import dev.gatehouse.user.InMemoryUserStore;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one object holding a configured Gatehouse — configuration, stores, password
 * hashing, token signing and the flows built on them. Web adapters (the Javalin plugin) take it
 * and translate its flows to HTTP.
 *
 * <pre>{@code
 * Gatehouse gatehouse = Gatehouse.builder()
 *         .store(JdbcUserStore.create(dataSource))
 *         .config(c -> c.secret(System.getenv("GATEHOUSE_SECRET")).registerable(true).fromEnvironment())
 *         .build();
 * }</pre>
 *
 * <p>Building validates the whole configuration and fails with an {@link
 * dev.gatehouse.config.InvalidConfigurationException} naming what is wrong; in particular there is no
 * default secret. Immutable and thread-safe; build one per application and share it.
 */
public final class Gatehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final GatehouseConfig config;
    private final Clock clock;
    private final UserStore users;
    private final PasswordHasher passwords;
    private final TokenSigner tokens;
    private final Sessions sessions;
    private final AuthTokens authTokens;
    private final RefreshTokens refreshTokens;
    private final SignInFlow signIn;
    private final PasswordPolicy passwordPolicy;
    private final AutoCloseable userChanges;
    private final CounterStore counters;
    private final RateLimiter rateLimits;
    private final Outbox outbox;
    private final AuditLog auditLog;
    private final Events events;
    private final Lockout lockout;
    private final AccountLifecycle lifecycle;
    private final SecondFactors secondFactors;
    private final ExternalIdentityStore externalIdentities;
    private final PasskeyStore passkeys;
    private final SessionDataStore sessionData;
    private final TwoFactor twoFactor;

    private Gatehouse(Builder b) {
        this.config = b.config != null ? b.config : b.configBuilder.build();
        this.clock = b.clock;
        warnAboutDevelopment(config);
        warnAboutMemoryStores(b);
        UserStore store = b.store != null ? b.store : new InMemoryUserStore(clock);
        this.users = b.userCache && !(store instanceof InMemoryUserStore) && !(store instanceof CachingUserStore)
                ? new CachingUserStore(store) : store;
        // Other nodes and the command-line tool change users too: the cache must hear of it.
        this.userChanges = users instanceof CachingUserStore cache
                ? cache.changeFeed().map(feed -> feed.subscribe(cache)).orElse(() -> { })
                : () -> { };
        this.passwords = b.passwordHasher != null ? b.passwordHasher : PasswordHasher.fromConfig(config).build();
        this.tokens = TokenSigner.create(config, clock);
        this.passwordPolicy = b.passwordPolicy != null ? b.passwordPolicy : PasswordPolicy.fromConfig(config);
        this.counters = b.counters != null ? b.counters : new InMemoryCounterStore();
        this.auditLog = b.auditLog != null ? b.auditLog : new InMemoryAuditLog();
        List<EventListener> listeners = new ArrayList<>();
        listeners.add(auditLog::record);
        listeners.addAll(b.listeners);
        this.events = new Events(listeners);
        this.outbox = new Outbox(b.outboxStore != null ? b.outboxStore : new InMemoryOutboxStore(),
                ValueSealer.create(config), clock);
        this.rateLimits = RateLimiter.fromConfig(config, counters, clock);
        this.externalIdentities = b.externalIdentities != null ? b.externalIdentities
                : new InMemoryExternalIdentityStore(users);
        this.passkeys = b.passkeys != null ? b.passkeys : new InMemoryPasskeyStore(users);
        this.sessionData = b.sessionData != null ? b.sessionData : new InMemorySessionDataStore();
        // Sessions and refresh tokens are ended through the families' store, so that API tokens of
        // a sign-in ended on this node stop working at once, and the sign-in's data goes with it.
        SessionFamilies families = new SessionFamilies(b.sessionStore != null ? b.sessionStore : new InMemorySessionStore(),
                sessionData, clock, config.get(SESSION_IDLE_TIMEOUT));
        SessionStore sessionStore = families.store();
        this.sessions = new Sessions(sessionStore, users, clock, config.get(SESSION_IDLE_TIMEOUT),
                config.get(SESSION_ABSOLUTE_TIMEOUT), config.get(REMEMBER_COOKIE_DURATION), events);
        this.authTokens = new AuthTokens(tokens, users, families, config.get(TOKEN_MAX_AGE));
        this.refreshTokens = new RefreshTokens(sessionStore, users, authTokens, clock, config.get(REFRESH_TOKEN_IDLE_TIMEOUT),
                config.get(REFRESH_TOKEN_MAX_AGE));
        this.lockout = Lockout.fromConfig(config, counters, users, tokens, outbox, events, clock);
        this.signIn = new SignInFlow(users, passwords, clock, config.get(USERNAME_ENABLE),
                config.get(CONFIRMABLE) && !config.get(LOGIN_WITHOUT_CONFIRMATION), config.get(TRACKABLE), lockout, rateLimits,
                events);
        this.twoFactor = TwoFactor.builder(config, clock)
                .users(users).store(b.secondFactorStore != null ? b.secondFactorStore : new InMemorySecondFactorStore(users))
                .counters(counters).limits(rateLimits).lockout(lockout).outbox(outbox).events(events).tokens(tokens)
                .smsSender(b.smsSender != null ? b.smsSender : SmsSender.fromConfig(config))
                .build();
        // A SecondFactors given to the builder (gatehouse-passkeys': "has a second-factor passkey") adds to TwoFactor's.
        SecondFactors extra = b.secondFactors;
        this.secondFactors = extra == SecondFactors.NONE ? twoFactor : user -> twoFactor.isEnabledFor(user) || extra.isEnabledFor(user);
        this.lifecycle = AccountLifecycle.builder(config, clock)
                .users(users).hasher(passwords).policy(passwordPolicy).tokens(tokens).outbox(outbox)
                .limits(rateLimits).lockout(lockout).signIn(signIn).counters(counters).sessions(sessions).events(events)
                .secondFactors(secondFactors)
                .build();
    }

    /**
     * With {@code development} on, one start-up warning block naming each protection it relaxed,
     * so that a development configuration that reached a server shows in its first log lines.
     */
    private static void warnAboutDevelopment(GatehouseConfig config) {
        if (!config.get(Settings.DEVELOPMENT)) {
            return;
        }
        List<String> relaxed = developmentRelaxations(config);
        LOG.warn("DEVELOPMENT MODE (development=true): for local work over plain HTTP only, never where users reach the"
                + " application. Relaxed:{}", relaxed.isEmpty() ? " nothing (cookie-secure and mail-backend are set explicitly)"
                : relaxed.stream().map(r -> "\n  - " + r).collect(Collectors.joining()));
    }

    /** What {@code development} relaxed in {@code config}: the settings it changed that were not set explicitly. */
    static List<String> developmentRelaxations(GatehouseConfig config) {
        List<String> relaxed = new ArrayList<>();
        if (!config.get(Settings.COOKIE_SECURE)) {
            relaxed.add("cookies are sent without Secure, over plain HTTP too, and no Strict-Transport-Security is sent"
                    + " (cookie-secure=false)");
        }
        if (config.get(Settings.MAIL_BACKEND) == MailBackend.FILES) {
            relaxed.add("email is written to files in " + config.get(Settings.MAIL_FOLDER) + ", sign-in and reset links"
                    + " included, instead of being sent (mail-backend=files)");
        }
        return relaxed;
    }

    /**
     * One start-up warning naming every store left in memory: with a database configured for some
     * stores, one forgotten store (counters, say) silently loses locks on restart and lets each
     * node count separately.
     */
    private static void warnAboutMemoryStores(Builder b) {
        String inMemory = memoryStores(b);
        if (inMemory.isEmpty()) {
            return;
        }
        boolean database = b.store != null || b.sessionStore != null || b.counters != null || b.outboxStore != null
                || b.auditLog != null || b.externalIdentities != null || b.sessionData != null || b.passkeys != null
                || b.secondFactorStore != null;
        if (database) {
            LOG.warn("Kept in memory although other stores are on a database (lost on restart, not shared between"
                    + " nodes): {}", inMemory);
        } else {
            LOG.warn("No database configured: {} are kept in memory and lost when the process ends;"
                    + " use Gatehouse.builder().stores(JdbcStores.create(dataSource))", inMemory);
        }
    }

    /** The stores {@code b} leaves in memory, e.g. {@code counters, outbox}; empty when none. */
    private static String memoryStores(Builder b) {
        List<String> names = new ArrayList<>();
        if (b.store == null) {
            names.add("users");
        }
        if (b.sessionStore == null) {
            names.add("sessions");
        }
        if (b.counters == null) {
            names.add("counters");
        }
        if (b.outboxStore == null) {
            names.add("outbox");
        }
        if (b.auditLog == null) {
            names.add("audit log");
        }
        if (b.externalIdentities == null) {
            names.add("external identities");
        }
        if (b.sessionData == null) {
            names.add("session data");
        }
        if (b.passkeys == null) {
            names.add("passkeys");
        }
        if (b.secondFactorStore == null) {
            names.add("second factors");
        }
        return String.join(", ", names);
    }

    /** A builder; at least a secret must be configured. */
    public static Builder builder() {
        return new Builder();
    }

    public GatehouseConfig config() {
        return config;
    }

    /** The clock every expiry is checked against. */
    public Clock clock() {
        return clock;
    }

    /** The user store, behind a cache of users by id where that helps. */
    public UserStore users() {
        return users;
    }

    /** Password hashing with the configured scheme. */
    public PasswordHasher passwords() {
        return passwords;
    }

    /** Purpose-bound signed tokens with the configured secrets. */
    public TokenSigner tokens() {
        return tokens;
    }

    /** Server-side sessions and remember-me grants. */
    public Sessions sessions() {
        return sessions;
    }

    /** API authentication tokens. */
    public AuthTokens authTokens() {
        return authTokens;
    }

    /** Refresh tokens with rotation and reuse detection. */
    public RefreshTokens refreshTokens() {
        return refreshTokens;
    }

    /** The credential check of sign-in and re-authentication. */
    public SignInFlow signIn() {
        return signIn;
    }

    /**
     * Two-factor authentication ({@code two-factor}): authenticator app, email and SMS codes, recovery
     * codes and the methods of unified sign-in.
     */
    public TwoFactor twoFactor() {
        return twoFactor;
    }

    /**
     * Which users have a second factor ({@link #twoFactor()}'s, or'ed with the builder's
     * {@link Builder#secondFactors}): a sign-in that proves only a first factor (a password
     * reset, an external provider) must not complete alone for them.
     */
    public SecondFactors secondFactors() {
        return secondFactors;
    }

    /** What new passwords must satisfy: {@code password-length-min/max}, common and (if configured) breached passwords. */
    public PasswordPolicy passwordPolicy() {
        return passwordPolicy;
    }

    /** Stops the background work this Gatehouse started (watching for user changes made elsewhere). */
    @Override
    public void close() {
        try {
            userChanges.close();
        } catch (Exception e) {
            LOG.warn("Could not stop watching for user changes", e);
        }
    }

    /** Where rate limits, lockouts and single-use markers of emailed links are counted. */
    public CounterStore counters() {
        return counters;
    }

    /** The configured rate limits ({@code rate-limit-*}). */
    public RateLimiter rateLimits() {
        return rateLimits;
    }

    /** Account lockout after failed sign-ins; also follows emailed unlock links. */
    public Lockout lockout() {
        return lockout;
    }

    /** Queues emails; a {@link #mailDelivery(Mailer) delivery worker} sends them. */
    public Outbox outbox() {
        return outbox;
    }

    /** Where account events are recorded. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** Accounts at external identity providers linked to local users, keyed by (issuer, subject). */
    public ExternalIdentityStore externalIdentities() {
        return externalIdentities;
    }

    /** Users' passkeys (WebAuthn credentials) and WebAuthn user handles. */
    public PasskeyStore passkeys() {
        return passkeys;
    }

    /**
     * Values attached to sign-ins (session families), such as a provider's tokens, sealed by the
     * caller. Gatehouse deletes a sign-in's values when it ends the sign-in, and a user's when it
     * ends all their sessions.
     */
    public SessionDataStore sessionData() {
        return sessionData;
    }

    /** Delivers account events to the audit log and the registered listeners. */
    public Events events() {
        return events;
    }

    /**
     * A delivery worker for this Gatehouse's outbox, sending through {@code mailer} from
     * {@code email-sender}; adjust it (composer, poll interval, retries) and {@code build()} it.
     */
    public MailDelivery.Builder mailDelivery(Mailer mailer) {
        return MailDelivery.builder(outbox, mailer, config.get(EMAIL_SENDER));
    }

    /**
     * What {@link #purgeExpired()} removed.
     *
     * @param counters counters whose window had ended (rate limits, failures, locks, used-link markers)
     * @param mail     sent or given-up emails older than {@link #FINISHED_MAIL_KEPT}
     * @param sessions    session, remember-me and refresh-token records whose absolute lifetime was over
     *                    (they hold the client's address and user agent: ASVS 14.2.4)
     * @param sessionData {@link SessionDataStore session data} past its {@code expiresAt}
     */
    public record Purged(int counters, int mail, int sessions, int sessionData) {
    }

    /** How long sent and given-up emails stay in the outbox, for operators to look at. */
    public static final Duration FINISHED_MAIL_KEPT = Duration.ofDays(7);

    /**
     * Deletes state nobody needs any more: ended counters, old finished emails, expired session
     * records (sessions, remember-me grants, refresh tokens) and expired session data. Run it now and
     * then (every hour is plenty), on one node or all — it is idempotent. The audit log keeps its
     * entries until the application deletes them ({@code auditLog().deleteBefore(...)}).
     */
    public Purged purgeExpired() {
        Instant now = clock.instant();
        return new Purged(counters.deleteExpired(now), outbox.store().deleteFinishedBefore(now.minus(FINISHED_MAIL_KEPT)),
                sessions.store().deleteExpired(now), sessionData.deleteExpired(now));
    }

    /** Registration ({@code registerable}). */
    public RegistrationFlow registration() {
        return lifecycle.registration();
    }

    /** Email confirmation ({@code confirmable}). */
    public ConfirmationFlow confirmation() {
        return lifecycle.confirmation();
    }

    /** Password reset by emailed link ({@code recoverable}). */
    public RecoveryFlow recovery() {
        return lifecycle.recovery();
    }

    /** Password change by a signed-in user ({@code changeable}). */
    public PasswordChangeFlow passwordChange() {
        return lifecycle.passwordChange();
    }

    /** Email address change, confirmed from the new mailbox ({@code change-email}). */
    public EmailChangeFlow emailChange() {
        return lifecycle.emailChange();
    }

    /** Username change and recovery ({@code username-enable}, {@code username-recovery}). */
    public UsernameFlow usernames() {
        return lifecycle.usernames();
    }

    /** Passwordless sign-in by emailed code or link ({@code unified-signin}). */
    public PasswordlessFlow passwordless() {
        return lifecycle.passwordless();
    }

    /** Builds {@link Gatehouse}; not thread-safe. */
    public static final class Builder {
        private final GatehouseConfig.Builder configBuilder = GatehouseConfig.builder();
        private GatehouseConfig config;
        private Clock clock = Clock.systemUTC();
        private UserStore store;
        private SessionStore sessionStore;
        private PasswordHasher passwordHasher;
        private PasswordPolicy passwordPolicy;
        private boolean userCache = true;
        private CounterStore counters;
        private OutboxStore outboxStore;
        private AuditLog auditLog;
        private ExternalIdentityStore externalIdentities;
        private PasskeyStore passkeys;
        private SessionDataStore sessionData;
        private final List<EventListener> listeners = new ArrayList<>();
        private SecondFactors secondFactors = SecondFactors.NONE;
        private SecondFactorStore secondFactorStore;
        private SmsSender smsSender;

        private Builder() {
        }

        /** Uses this configuration as it is; later {@link #config(Consumer)} calls are then refused. */
        public Builder config(GatehouseConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Adjusts the configuration being assembled, e.g. {@code c -> c.registerable(true).fromEnvironment()}. */
        public Builder config(Consumer<GatehouseConfig.Builder> adjustments) {
            if (config != null) {
                throw new IllegalStateException("a complete GatehouseConfig was already given");
            }
            adjustments.accept(configBuilder);
            return this;
        }

        /**
         * Shortcut for {@code config(c -> c.set(Settings.SECRET, Secret.of(secret)))}.
         *
         * @param secret at least 32 random bytes, typically {@code System.getenv("GATEHOUSE_SECRET")}
         * @throws dev.gatehouse.config.InvalidConfigurationException if {@code secret} is null (the variable
         *         is unset), blank or too short, saying how to set and generate one
         */
        public Builder secret(String secret) {
            return config(c -> c.set(SECRET, secret == null ? null : Secret.of(secret)));
        }

        /**
         * Every store at once, all on one database: users, sessions, counters, outbox, audit log,
         * external identities, session data, passkeys and second factors, e.g. {@code stores(JdbcStores.create(dataSource))}.
         * A later call for a single store replaces that one.
         */
        public Builder stores(Stores stores) {
            Objects.requireNonNull(stores, "stores");
            store(stores.users());
            sessionStore(stores.sessions());
            counterStore(stores.counters());
            outboxStore(stores.outbox());
            externalIdentityStore(stores.externalIdentities());
            sessionDataStore(stores.sessionData());
            passkeyStore(stores.passkeys());
            secondFactorStore(stores.secondFactors());
            return auditLog(stores.auditLog());
        }

        /** Where users and roles live; in memory if not set (with a warning). */
        public Builder store(UserStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where sessions live; in memory if not set. */
        public Builder sessionStore(SessionStore sessionStore) {
            this.sessionStore = Objects.requireNonNull(sessionStore, "sessionStore");
            return this;
        }

        /** Replaces the hasher built from {@code password-hash} and {@code password-salt}. */
        public Builder passwordHasher(PasswordHasher passwordHasher) {
            this.passwordHasher = Objects.requireNonNull(passwordHasher, "passwordHasher");
            return this;
        }

        /** Replaces the policy built from {@code password-length-min/max} and {@code password-check-breached}. */
        public Builder passwordPolicy(PasswordPolicy passwordPolicy) {
            this.passwordPolicy = Objects.requireNonNull(passwordPolicy, "passwordPolicy");
            return this;
        }

        /**
         * Where rate limits, lockouts and single-use markers are counted; in memory if not set
         * (limits and locks then reset on restart and are not shared between nodes).
         */
        public Builder counterStore(CounterStore counters) {
            this.counters = Objects.requireNonNull(counters, "counters");
            return this;
        }

        /** Where queued emails wait; in memory if not set (with a warning when features send mail). */
        public Builder outboxStore(OutboxStore outboxStore) {
            this.outboxStore = Objects.requireNonNull(outboxStore, "outboxStore");
            return this;
        }

        /** Where account events are recorded; the last 10,000 in memory if not set. */
        public Builder auditLog(AuditLog auditLog) {
            this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
            return this;
        }

        /**
         * Where links to accounts at external identity providers live; in memory if not set, beside
         * the user store (with a warning).
         */
        public Builder externalIdentityStore(ExternalIdentityStore externalIdentities) {
            this.externalIdentities = Objects.requireNonNull(externalIdentities, "externalIdentities");
            return this;
        }

        /** Where passkeys live; in memory if not set, beside the user store (with a warning). */
        public Builder passkeyStore(PasskeyStore passkeys) {
            this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
            return this;
        }

        /** Where users' second factors live; in memory if not set, beside the user store (with a warning). */
        public Builder secondFactorStore(SecondFactorStore secondFactorStore) {
            this.secondFactorStore = Objects.requireNonNull(secondFactorStore, "secondFactorStore");
            return this;
        }

        /**
         * Sends the codes of the {@code sms} second factor; if not set, {@code sms-service} decides
         * ({@code none}: no SMS, {@code files}: written into {@code mail-folder} for development).
         */
        public Builder smsSender(SmsSender smsSender) {
            this.smsSender = Objects.requireNonNull(smsSender, "smsSender");
            return this;
        }

        /** Where values attached to sign-ins live; in memory if not set (with a warning). */
        public Builder sessionDataStore(SessionDataStore sessionData) {
            this.sessionData = Objects.requireNonNull(sessionData, "sessionData");
            return this;
        }

        /** Adds a listener for account events; listeners run in the order added, after the audit log. */
        public Builder listener(EventListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Tells which further users have a second factor, besides those {@link Gatehouse#twoFactor()} knows
         * (e.g. gatehouse-passkeys' second-factor passkeys); the two are or'ed.
         */
        public Builder secondFactors(SecondFactors secondFactors) {
            this.secondFactors = Objects.requireNonNull(secondFactors, "secondFactors");
            return this;
        }

        /** The clock for every expiry; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether to keep users read by id in memory (default on). Turn off when other processes
         * change users and no invalidation channel connects them.
         */
        public Builder userCache(boolean userCache) {
            this.userCache = userCache;
            return this;
        }

        public Gatehouse build() {
            return new Gatehouse(this);
        }
    }
}
