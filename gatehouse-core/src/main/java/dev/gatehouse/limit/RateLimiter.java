package dev.gatehouse.limit;

import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RATE_LIMIT_CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.RATE_LIMIT_CHANGE_PASSWORD;
import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN;
import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN_CODE;
import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN_FAILED;
import static dev.gatehouse.config.Settings.RATE_LIMIT_RECOVER_USERNAME;
import static dev.gatehouse.config.Settings.RATE_LIMIT_REGISTER;
import static dev.gatehouse.config.Settings.RATE_LIMIT_RESET_PASSWORD;
import static dev.gatehouse.config.Settings.RATE_LIMIT_SEND_CONFIRMATION;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RateLimit;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.token.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies the configured {@link RateLimit}s of each {@link LimitedAction}, counting in a
 * {@link CounterStore} so limits hold across nodes and restarts. Flows call it; when a limit is
 * exceeded they return a result carrying the wait, which the web layer answers with HTTP 429 and
 * {@code Retry-After}.
 *
 * <p>Counter keys are {@code rl:<action>:<scope>:<window seconds>:<digest>}, where the digest is
 * the SHA-256 of the client address or the account key (a normalized email, or {@code user:<id>}):
 * the counter store never holds an address or email in the clear.
 *
 * <p>Fixed windows (see {@link CounterStore}). Thread-safe.
 */
public final class RateLimiter {

    private final CounterStore store;
    private final Clock clock;
    private final boolean enabled;
    private final Map<LimitedAction, List<RateLimit>> limits;

    /**
     * @param enabled false turns every limit off (no counting at all)
     * @param limits  the rules of each action; an action without rules is not limited
     */
    public RateLimiter(CounterStore store, Clock clock, boolean enabled, Map<LimitedAction, List<RateLimit>> limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.enabled = enabled;
        Map<LimitedAction, List<RateLimit>> copy = new EnumMap<>(LimitedAction.class);
        limits.forEach((action, rules) -> copy.put(action, List.copyOf(rules)));
        this.limits = copy;
    }

    /** The limits of {@code rate-limits-enabled} and the {@code rate-limit-*} settings. */
    public static RateLimiter fromConfig(GatehouseConfig config, CounterStore store, Clock clock) {
        Map<LimitedAction, List<RateLimit>> limits = new EnumMap<>(LimitedAction.class);
        limits.put(LimitedAction.LOGIN, config.get(RATE_LIMIT_LOGIN));
        limits.put(LimitedAction.LOGIN_FAILED, config.get(RATE_LIMIT_LOGIN_FAILED));
        limits.put(LimitedAction.REGISTER, config.get(RATE_LIMIT_REGISTER));
        limits.put(LimitedAction.RESET_PASSWORD, config.get(RATE_LIMIT_RESET_PASSWORD));
        limits.put(LimitedAction.SEND_CONFIRMATION, config.get(RATE_LIMIT_SEND_CONFIRMATION));
        limits.put(LimitedAction.LOGIN_CODE, config.get(RATE_LIMIT_LOGIN_CODE));
        limits.put(LimitedAction.RECOVER_USERNAME, config.get(RATE_LIMIT_RECOVER_USERNAME));
        limits.put(LimitedAction.CHANGE_EMAIL, config.get(RATE_LIMIT_CHANGE_EMAIL));
        limits.put(LimitedAction.CHANGE_PASSWORD, config.get(RATE_LIMIT_CHANGE_PASSWORD));
        return new RateLimiter(store, clock, config.get(RATE_LIMITS_ENABLED), limits);
    }

    /** No limits at all. */
    public static RateLimiter disabled() {
        return new RateLimiter(new InMemoryCounterStore(), Clock.systemUTC(), false, Map.of());
    }

    /** The rules of {@code action}; empty when it is not limited (or limits are off). */
    public List<RateLimit> limits(LimitedAction action) {
        return enabled ? limits.getOrDefault(action, List.of()) : List.of();
    }

    /**
     * Counts one attempt at {@code action} by {@code client} about {@code key}, and tells how long
     * to wait if that attempt exceeded a rule. The attempt is counted even when it exceeds.
     *
     * @param key the account key ({@link #emailKey(String)} or {@link #userKey(long)}); empty when
     *            there is none, which skips the key rules
     * @return the wait before the limit allows another attempt; empty if this attempt is allowed
     */
    public Optional<Duration> hit(LimitedAction action, ClientInfo client, Optional<String> key) {
        Instant now = clock.instant();
        Duration wait = null;
        for (RateLimit rule : limits(action)) {
            Optional<String> counter = counterKey(action, rule, client, key);
            if (counter.isPresent()) {
                Counter c = store.increment(counter.get(), rule.window(), now);
                if (c.hits() > rule.count()) {
                    wait = longer(wait, Duration.between(now, c.resetsAt()));
                }
            }
        }
        return Optional.ofNullable(wait).map(RateLimiter::atLeastOneSecond);
    }

    /**
     * Whether another attempt would exceed a rule, without counting one: for limits on failures,
     * checked before an attempt and counted ({@link #hit}) only when it fails.
     *
     * @return the wait; empty if an attempt is allowed now
     */
    public Optional<Duration> check(LimitedAction action, ClientInfo client, Optional<String> key) {
        Instant now = clock.instant();
        Duration wait = null;
        for (RateLimit rule : limits(action)) {
            Optional<String> counter = counterKey(action, rule, client, key);
            if (counter.isPresent()) {
                Optional<Counter> c = store.get(counter.get(), now);
                if (c.isPresent() && c.get().hits() >= rule.count()) {
                    wait = longer(wait, Duration.between(now, c.get().resetsAt()));
                }
            }
        }
        return Optional.ofNullable(wait).map(RateLimiter::atLeastOneSecond);
    }

    /** Forgets the key's counts for {@code action}: a successful sign-in clears its failures. */
    public void clear(LimitedAction action, String key) {
        for (RateLimit rule : limits(action)) {
            if (rule.scope() == RateLimit.Scope.KEY) {
                store.delete(counterKey(action, rule, "key", key));
            }
        }
    }

    /** The account key of an email address: its case-insensitive form. */
    public static String emailKey(String email) {
        return "email:" + dev.gatehouse.identifier.Identifiers.emailKey(email);
    }

    /** The account key of a signed-in user. */
    public static String userKey(long userId) {
        return "user:" + userId;
    }

    private static Optional<String> counterKey(LimitedAction action, RateLimit rule, ClientInfo client,
            Optional<String> key) {
        return switch (rule.scope()) {
            case IP -> client.ip().map(ip -> counterKey(action, rule, "ip", ip));
            case KEY -> key.map(k -> counterKey(action, rule, "key", k));
        };
    }

    private static String counterKey(LimitedAction action, RateLimit rule, String scope, String value) {
        // The window is part of the key: two rules of one scope with different windows count apart.
        return "rl:" + action.name().toLowerCase(Locale.ROOT) + ":" + scope + ":" + rule.window().getSeconds() + ":"
                + Sha256.base64Url(value, 32);
    }

    private static Duration longer(Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    /** Retry-After is in whole seconds; never tell a client to retry at once while still limited. */
    private static Duration atLeastOneSecond(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
