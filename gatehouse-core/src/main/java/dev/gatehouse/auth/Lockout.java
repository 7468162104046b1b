package dev.gatehouse.auth;

import static dev.gatehouse.config.Settings.LOCKOUT_ATTEMPTS_WITHIN;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION;
import static dev.gatehouse.config.Settings.LOCKOUT_DURATION_MAX;
import static dev.gatehouse.config.Settings.LOCKOUT_ENABLED;
import static dev.gatehouse.config.Settings.LOCKOUT_MAX_ATTEMPTS;
import static dev.gatehouse.config.Settings.LOCKOUT_SCOPE;
import static dev.gatehouse.config.Settings.LOCKOUT_UNLOCK;
import static dev.gatehouse.config.Settings.UNLOCK_URL;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.LockoutScope;
import dev.gatehouse.config.LockoutUnlock;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.event.Events;
import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.InMemoryCounterStore;
import dev.gatehouse.mail.Links;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.mail.Outbox;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account lockout after repeated failed sign-ins (Devise's lockable, ASP.NET Identity's lockout).
 *
 * <ul>
 *   <li>Failed password sign-ins are counted per account over {@code lockout-attempts-within}
 *       from the first failure; a successful sign-in resets the count.</li>
 *   <li>The failure that reaches {@code lockout-max-attempts} locks the account: sign-in is refused
 *       even with the right password ({@link SignInResult.LockedOut}), the owner gets an
 *       {@value MailTemplates#ACCOUNT_LOCKED} email, and a {@link AccountEvent.UserLockedOut} event
 *       is published — once per lock, however many attempts race.</li>
 *   <li>{@code lockout-unlock} says how the lock ends: {@code time} (after
 *       {@code lockout-duration}: a temporary lock), {@code email} (only through the emailed unlock
 *       link, a password reset or an administrator: Keycloak's permanent lockout) or {@code both}.
 *       The unlock link is a signed token bound to this very lock, so it works once and not for a
 *       later lock. A password reset also unlocks (it proves the same mailbox).</li>
 *   <li>Progressive delays (Keycloak's wait increment and max wait): the n-th lock in a row,
 *       without a success between, lasts n × {@code lockout-duration}, at most
 *       {@code lockout-duration-max}.</li>
 *   <li>{@code lockout-scope} says what is counted and locked: the {@link LockoutScope#ACCOUNT account}
 *       as a whole, or the {@link LockoutScope#ACCOUNT_AND_ADDRESS account from one client address}, so
 *       that failures from elsewhere cannot lock the owner out.</li>
 * </ul>
 * Every password check counts: sign-in and each re-authentication ({@link SignInFlow#checkPassword}).
 * State lives in the {@link CounterStore}, so a lock holds on every node and across restarts.
 * Thread-safe.
 */
public final class Lockout {

    private static final Logger LOG = LoggerFactory.getLogger(Lockout.class);
    static final String PURPOSE = "unlock";
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /**
     * A lock in force.
     *
     * @param until when it ends by itself; empty when only the link (or a reset) ends it
     */
    public record Lock(Optional<Instant> until) {
        public Lock {
            Objects.requireNonNull(until, "until");
        }
    }

    private final boolean enabled;
    private final int maxAttempts;
    private final Duration duration;
    private final Duration durationMax;
    private final Duration attemptsWithin;
    private final LockoutScope scope;
    private final LockoutUnlock unlock;
    private final CounterStore counters;
    private final UserStore users;
    private final TokenSigner tokens;
    private final Outbox outbox;
    private final Links links;
    private final String unlockPath;
    private final Events events;
    private final Clock clock;

    private Lockout(Builder b) {
        this.enabled = b.enabled;
        this.maxAttempts = b.maxAttempts;
        this.duration = b.duration;
        // A maximum below the first lock's length means no growth, not shorter locks.
        this.durationMax = b.durationMax.compareTo(b.duration) < 0 ? b.duration : b.durationMax;
        this.attemptsWithin = b.attemptsWithin;
        this.scope = b.scope;
        this.unlock = b.unlock;
        this.counters = b.counters;
        this.users = b.users;
        this.tokens = b.tokens;
        this.outbox = b.outbox;
        this.links = b.links;
        this.unlockPath = b.unlockPath;
        this.events = b.events;
        this.clock = b.clock;
    }

    /** Lockout as the {@code lockout-*} settings say. */
    public static Lockout fromConfig(GatehouseConfig config, CounterStore counters, UserStore users, TokenSigner tokens,
            Outbox outbox, Events events, Clock clock) {
        Builder b = new Builder();
        b.enabled = config.get(LOCKOUT_ENABLED);
        b.maxAttempts = config.get(LOCKOUT_MAX_ATTEMPTS);
        b.duration = config.get(LOCKOUT_DURATION);
        b.durationMax = config.get(LOCKOUT_DURATION_MAX);
        b.attemptsWithin = config.get(LOCKOUT_ATTEMPTS_WITHIN);
        b.scope = config.get(LOCKOUT_SCOPE);
        b.unlock = config.get(LOCKOUT_UNLOCK);
        b.counters = counters;
        b.users = users;
        b.tokens = tokens;
        b.outbox = outbox;
        b.links = Links.of(config);
        b.unlockPath = config.get(UNLOCK_URL);
        b.events = events;
        b.clock = clock;
        return new Lockout(b);
    }

    /** No lockout at all. */
    public static Lockout disabled() {
        Builder b = new Builder();
        b.enabled = false;
        b.counters = new InMemoryCounterStore();
        b.events = Events.none();
        b.clock = Clock.systemUTC();
        return new Lockout(b);
    }

    /** Whether lockout is on. */
    public boolean isEnabled() {
        return enabled;
    }

    /** How locks end. */
    public LockoutUnlock unlockStrategy() {
        return unlock;
    }

    /** What failures are counted and locks kept per. */
    public LockoutScope scope() {
        return scope;
    }

    /**
     * The lock on the account for a client whose address is unknown, if one is in force; with
     * scope {@link LockoutScope#ACCOUNT} that is the account's lock.
     */
    public Optional<Lock> status(long userId) {
        return status(userId, ClientInfo.UNKNOWN);
    }

    /** The lock on the account for {@code client}, if one is in force. */
    public Optional<Lock> status(long userId, ClientInfo client) {
        if (!enabled) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return counters.get(lockKey(scopeKey(userId, client, now)), now).map(this::lockOf);
    }

    /**
     * Counts a failed password check of {@code user} (sign-in or re-authentication); locks the
     * account (for this client's address, with {@link LockoutScope#ACCOUNT_AND_ADDRESS}) if it reached the
     * limit.
     *
     * @return the lock, if this failure caused one (or met one a concurrent failure just caused)
     */
    public Optional<Lock> recordFailure(User user, ClientInfo client) {
        if (!enabled) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String scoped = scopeKey(user.id(), client, now);
        Counter failures = counters.increment(failuresKey(scoped), attemptsWithin, now);
        if (failures.hits() < maxAttempts) {
            return Optional.empty();
        }
        Optional<Counter> running = counters.get(lockKey(scoped), now);
        if (running.isPresent()) {
            return Optional.of(lockOf(running.get()));
        }
        // The n-th lock in a row lasts longer; the streak ends with a success or an unlock.
        long nth = unlock == LockoutUnlock.EMAIL ? 1 : counters.get(streakKey(scoped), now).map(Counter::hits).orElse(0L) + 1;
        Counter lock = counters.increment(lockKey(scoped), lockWindow(nth), now);
        if (lock.hits() > 1) {
            return Optional.of(lockOf(lock));
        }
        if (unlock != LockoutUnlock.EMAIL) {
            counters.increment(streakKey(scoped), streakWindow(), now);
        }
        // This failure locked the account: the next lock starts counting from zero.
        counters.delete(failuresKey(scoped));
        Lock locked = lockOf(lock);
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", user.email());
        locked.until().ifPresent(until -> model.put("until", untilText(until)));
        if (unlock != LockoutUnlock.TIME) {
            model.put("unlock_link", links.withToken(unlockPath, unlockToken(scoped, lock)));
        }
        outbox.enqueue(new Notification(MailTemplates.ACCOUNT_LOCKED, user.email(),
                Notification.localeFor(Optional.of(user), client), model));
        LOG.warn("Locked user {} after {} failed sign-ins", user.id(), failures.hits());
        events.publish(new AccountEvent.UserLockedOut(EventContext.of(now, user.id(), client), locked.until()));
        return Optional.of(locked);
    }

    /**
     * A successful sign-in from a client whose address is unknown: forgets the failures counted
     * for it (with scope {@link LockoutScope#ACCOUNT}, the account's).
     */
    public void recordSuccess(long userId) {
        recordSuccess(userId, ClientInfo.UNKNOWN);
    }

    /**
     * A successful password check by {@code client}: forgets the failures and the streak of locks
     * counted for it (with scope {@link LockoutScope#ACCOUNT}, the account's).
     */
    public void recordSuccess(long userId, ClientInfo client) {
        if (enabled) {
            String scoped = scopeKey(userId, client, clock.instant());
            counters.deleteAll(failuresKey(scoped), streakKey(scoped));
        }
    }

    /**
     * Ends the lock on the account, if any, and forgets its failures: for administrators and for a
     * completed password reset.
     *
     * @param how recorded in the {@link AccountEvent.UserUnlocked} event, e.g. {@code admin}
     * @return whether a lock was in force (with {@link LockoutScope#ACCOUNT_AND_ADDRESS}: for {@code client}'s
     *         address; the locks of every address end all the same)
     */
    public boolean unlock(long userId, String how, ClientInfo client) {
        if (!enabled) {
            return false;
        }
        boolean wasLocked;
        if (scope == LockoutScope.ACCOUNT) {
            wasLocked = status(userId).isPresent();
            String scoped = String.valueOf(userId);
            counters.deleteAll(lockKey(scoped), failuresKey(scoped), streakKey(scoped));
        } else {
            // Locks per address cannot be listed: a new epoch leaves all of them behind (they expire).
            wasLocked = status(userId, client).isPresent();
            counters.increment(epochKey(userId), Duration.ofDays(CounterStore.MAX_WINDOW_DAYS), clock.instant());
        }
        if (wasLocked) {
            events.publish(new AccountEvent.UserUnlocked(EventContext.of(clock.instant(), userId, client), how));
        }
        return wasLocked;
    }

    /**
     * Follows an emailed unlock link.
     *
     * @return the unlocked user
     * @throws InvalidInputException with field {@code token} and code {@code INVALID_UNLOCK_TOKEN} if
     *                               the token is not genuine, or the lock it was made for is over
     *                               (used, expired, or replaced by a later lock)
     */
    public User unlock(String token, ClientInfo client) {
        Optional<String> payload = enabled && unlock != LockoutUnlock.TIME
                ? tokens.verify(PURPOSE, token, Duration.ofDays(CounterStore.MAX_WINDOW_DAYS)).validPayload()
                : Optional.empty();
        // The payload is "<scoped key>:<lock id>", the scoped key "<user id>" or "<user id>/<epoch>/<address digest>".
        Optional<String> scoped = payload.filter(p -> p.indexOf(':') > 0).flatMap(p -> {
            String key = p.substring(0, p.indexOf(':'));
            Optional<Counter> lock = counters.get(lockKey(key), clock.instant());
            return lock.isPresent() && p.substring(key.length() + 1).equals(lockId(lock.get()))
                    ? Optional.of(key) : Optional.empty();
        });
        Optional<User> user = scoped.flatMap(key -> {
            int slash = key.indexOf('/');
            try {
                return users.findUserById(Long.parseLong(slash < 0 ? key : key.substring(0, slash)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (user.isEmpty()) {
            throw new InvalidInputException("token", "INVALID_UNLOCK_TOKEN", "Invalid unlock token.");
        }
        if (scope == LockoutScope.ACCOUNT) {
            unlock(user.get().id(), "link", client);
        } else {
            // The link lifts the lock of the address it was made for, not the account's other locks.
            counters.delete(lockKey(scoped.get()));
            counters.delete(failuresKey(scoped.get()));
            counters.delete(streakKey(scoped.get()));
            events.publish(new AccountEvent.UserUnlocked(EventContext.of(clock.instant(), user.get().id(), client), "link"));
        }
        return user.get();
    }

    /** The unlock token of the lock {@code lock} kept under {@code scoped}. */
    private String unlockToken(String scoped, Counter lock) {
        return tokens.sign(PURPOSE, scoped + ":" + lockId(lock));
    }

    /** Identifies one lock: locks of one user differ in their end (a window starts at the lock). */
    private static String lockId(Counter lock) {
        return lock.resetsAt().toString();
    }

    private Lock lockOf(Counter lock) {
        return new Lock(unlock == LockoutUnlock.EMAIL ? Optional.empty() : Optional.of(lock.resetsAt()));
    }

    /** How long the {@code nth} lock in a row lasts. */
    private Duration lockWindow(long nth) {
        // "Until unlocked" is stored as the longest window a counter can have.
        if (unlock == LockoutUnlock.EMAIL) {
            return Duration.ofDays(CounterStore.MAX_WINDOW_DAYS);
        }
        Duration grown = duration.multipliedBy(Math.min(nth, durationMax.dividedBy(duration) + 1));
        return grown.compareTo(durationMax) > 0 ? durationMax : grown;
    }

    /** A streak of locks ends when no lock follows the last within the failure window. */
    private Duration streakWindow() {
        Duration window = attemptsWithin.plus(durationMax);
        Duration longest = Duration.ofDays(CounterStore.MAX_WINDOW_DAYS);
        return window.compareTo(longest) > 0 ? longest : window;
    }

    /**
     * When a lock ends, as the lockout email and the sign-in and re-authentication messages state
     * it: {@code yyyy-MM-dd HH:mm UTC}. One form everywhere, so the email and the page agree.
     */
    public static String untilText(Instant until) {
        return UNTIL.format(until);
    }

    /**
     * What failures and locks of {@code userId} are kept under: the user id, or with
     * {@link LockoutScope#ACCOUNT_AND_ADDRESS} the user id, the account's unlock epoch and a digest of the
     * client address (never the address in the clear).
     */
    private String scopeKey(long userId, ClientInfo client, Instant now) {
        if (scope == LockoutScope.ACCOUNT) {
            return String.valueOf(userId);
        }
        long epoch = counters.get(epochKey(userId), now).map(Counter::hits).orElse(0L);
        return userId + "/" + epoch + "/" + Sha256.base64Url(client.ip().orElse("unknown"), 16);
    }

    private static String failuresKey(String scoped) {
        return "lockout:failures:" + scoped;
    }

    private static String lockKey(String scoped) {
        return "lockout:lock:" + scoped;
    }

    private static String streakKey(String scoped) {
        return "lockout:streak:" + scoped;
    }

    private static String epochKey(long userId) {
        return "lockout:epoch:" + userId;
    }

    private static final class Builder {
        private boolean enabled;
        private int maxAttempts = 10;
        private Duration duration = Duration.ofMinutes(15);
        private Duration durationMax = Duration.ofMinutes(15);
        private Duration attemptsWithin = Duration.ofDays(1);
        private LockoutScope scope = LockoutScope.ACCOUNT;
        private LockoutUnlock unlock = LockoutUnlock.TIME;
        private CounterStore counters;
        private UserStore users;
        private TokenSigner tokens;
        private Outbox outbox;
        private Links links;
        private String unlockPath = "/unlock";
        private Events events;
        private Clock clock;
    }
}
