package dev.gatehouse.auth;

import dev.gatehouse.InvalidInputException;
import dev.gatehouse.config.GatehouseConfig;
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
import dev.gatehouse.token.TokenCheck;
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
 *       {@code lockout-duration}), {@code email} (only through the emailed unlock link) or
 *       {@code both}. The unlock link is a signed token bound to this very lock, so it works once
 *       and not for a later lock. A password reset also unlocks (it proves the same mailbox).</li>
 * </ul>
 * State lives in the {@link CounterStore}, so a lock holds on every node and across restarts.
 * Thread-safe.
 */
public final class Lockout {

    private static final Logger LOG = LoggerFactory.getLogger(Lockout.class);
    static final String PURPOSE = "unlock";
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** How a lock ends. */
    public enum Unlock {
        /** After {@code lockout-duration}. */
        TIME,
        /** Only through the emailed link (or a password reset, or an administrator). */
        EMAIL,
        /** Whichever comes first. */
        BOTH
    }

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
    private final Duration attemptsWithin;
    private final Unlock unlock;
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
        this.attemptsWithin = b.attemptsWithin;
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
        b.enabled = config.lockoutEnabled();
        b.maxAttempts = config.lockoutMaxAttempts();
        b.duration = config.lockoutDuration();
        b.attemptsWithin = config.lockoutAttemptsWithin();
        b.unlock = Unlock.valueOf(config.lockoutUnlock().toUpperCase(Locale.ROOT));
        b.counters = counters;
        b.users = users;
        b.tokens = tokens;
        b.outbox = outbox;
        b.links = Links.of(config);
        b.unlockPath = config.unlockUrl();
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
    public Unlock unlockStrategy() {
        return unlock;
    }

    /** The lock on the account, if one is in force. */
    public Optional<Lock> status(long userId) {
        if (!enabled) {
            return Optional.empty();
        }
        return counters.get(lockKey(userId), clock.instant()).map(this::lockOf);
    }

    /**
     * Counts a failed sign-in of {@code user}; locks the account if it reached the limit.
     *
     * @return the lock, if this failure caused one (or met one a concurrent failure just caused)
     */
    public Optional<Lock> recordFailure(User user, ClientInfo client) {
        if (!enabled) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Counter failures = counters.increment(failuresKey(user.id()), attemptsWithin, now);
        if (failures.hits() < maxAttempts) {
            return Optional.empty();
        }
        Counter lock = counters.increment(lockKey(user.id()), lockWindow(), now);
        if (lock.hits() > 1) {
            return Optional.of(lockOf(lock));
        }
        // This failure locked the account: the next lock starts counting from zero.
        counters.delete(failuresKey(user.id()));
        Lock locked = lockOf(lock);
        Map<String, String> model = new LinkedHashMap<>();
        model.put("email", user.email());
        locked.until().ifPresent(until -> model.put("until", UNTIL.format(until)));
        if (unlock != Unlock.TIME) {
            model.put("unlock_link", links.withToken(unlockPath, unlockToken(user.id(), lock)));
        }
        outbox.enqueue(new Notification(MailTemplates.ACCOUNT_LOCKED, user.email(),
                Notification.localeFor(Optional.of(user), client), model));
        LOG.warn("Locked user {} after {} failed sign-ins", user.id(), failures.hits());
        events.publish(new AccountEvent.UserLockedOut(EventContext.of(now, user.id(), client), locked.until()));
        return Optional.of(locked);
    }

    /** A successful sign-in: forgets the account's failures. */
    public void recordSuccess(long userId) {
        if (enabled) {
            counters.delete(failuresKey(userId));
        }
    }

    /**
     * Ends the lock on the account, if any, and forgets its failures: for administrators and for a
     * completed password reset.
     *
     * @param how recorded in the {@link AccountEvent.UserUnlocked} event, e.g. {@code admin}
     * @return whether a lock was in force
     */
    public boolean unlock(long userId, String how, ClientInfo client) {
        if (!enabled) {
            return false;
        }
        boolean wasLocked = status(userId).isPresent();
        counters.delete(lockKey(userId));
        counters.delete(failuresKey(userId));
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
        Optional<String> payload = enabled && unlock != Unlock.TIME
                ? tokens.verify(PURPOSE, token, Duration.ofDays(CounterStore.MAX_WINDOW_DAYS)).validPayload()
                : Optional.empty();
        Optional<User> user = payload.flatMap(p -> {
            int colon = p.indexOf(':');
            long userId;
            try {
                userId = Long.parseLong(p.substring(0, colon));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            Optional<Counter> lock = counters.get(lockKey(userId), clock.instant());
            if (lock.isEmpty() || !p.substring(colon + 1).equals(lockId(lock.get()))) {
                return Optional.empty();
            }
            return users.findUserById(userId);
        });
        if (user.isEmpty()) {
            throw new InvalidInputException("token", "INVALID_UNLOCK_TOKEN", "Invalid unlock token.");
        }
        unlock(user.get().id(), "link", client);
        return user.get();
    }

    /** The unlock token of the lock {@code lock} of user {@code userId}. */
    private String unlockToken(long userId, Counter lock) {
        return tokens.sign(PURPOSE, userId + ":" + lockId(lock));
    }

    /** Identifies one lock: locks of one user differ in their end (a window starts at the lock). */
    private static String lockId(Counter lock) {
        return lock.resetsAt().toString();
    }

    private Lock lockOf(Counter lock) {
        return new Lock(unlock == Unlock.EMAIL ? Optional.empty() : Optional.of(lock.resetsAt()));
    }

    private Duration lockWindow() {
        // "Until unlocked" is stored as the longest window a counter can have.
        return unlock == Unlock.EMAIL ? Duration.ofDays(CounterStore.MAX_WINDOW_DAYS) : duration;
    }

    private static String failuresKey(long userId) {
        return "lockout:failures:" + userId;
    }

    private static String lockKey(long userId) {
        return "lockout:lock:" + userId;
    }

    private static final class Builder {
        private boolean enabled;
        private int maxAttempts = 10;
        private Duration duration = Duration.ofMinutes(15);
        private Duration attemptsWithin = Duration.ofDays(1);
        private Unlock unlock = Unlock.TIME;
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
