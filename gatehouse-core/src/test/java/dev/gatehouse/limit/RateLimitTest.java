package dev.gatehouse.limit;

import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN;
import static dev.gatehouse.config.Settings.RATE_LIMIT_LOGIN_FAILED;
import static dev.gatehouse.config.Settings.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.RateLimit;
import dev.gatehouse.config.Secret;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void rules_are_written_like_allauths() {
        assertThat(RateLimit.parseList("30/1m/ip, 5/5m/KEY")).containsExactly(
                new RateLimit(30, Duration.ofMinutes(1), RateLimit.Scope.IP),
                new RateLimit(5, Duration.ofMinutes(5), RateLimit.Scope.KEY));
        assertThat(RateLimit.parseList("  ")).isEmpty();
        assertThat(RateLimit.parseList("1/3m/key").get(0)).hasToString("1/3m/key");
        assertThat(new RateLimit(2, Duration.ofSeconds(90), RateLimit.Scope.IP)).hasToString("2/90s/ip");
        assertThatThrownBy(() -> RateLimit.parseList("30/m/ip")).hasMessageContaining("use e.g. 30/1m/ip");
        assertThatThrownBy(() -> RateLimit.parseList("0/1m/ip")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parseList("5/2d/ip")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parseList("5/1m/user")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settings_take_rules_from_text_and_report_bad_ones() {
        GatehouseConfig config = GatehouseConfig.builder().set(SECRET, Secret.of("s".repeat(40)))
                .fromEnvironment(Map.of("GATEHOUSE_RATE_LIMIT_LOGIN", "100/1h/ip")).build();

        assertThat(config.get(RATE_LIMIT_LOGIN)).containsExactly(new RateLimit(100, Duration.ofHours(1), RateLimit.Scope.IP));
        assertThat(config.get(RATE_LIMIT_LOGIN_FAILED)).hasToString("[10/1m/ip, 5/5m/key]");
        assertThatThrownBy(() -> GatehouseConfig.builder().set("rate-limit-register", "lots"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("rate-limit-register: \"lots\" has a rule \"lots\" that is not a rate limit");
    }

    @Test
    void the_limiter_keeps_no_address_or_email_in_the_clear() {
        InMemoryCounterStore store = new InMemoryCounterStore() ;
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RecordingStore recording = new RecordingStore(store);
        RateLimiter limiter = new RateLimiter(recording, clock, true,
                Map.of(LimitedAction.RESET_PASSWORD, RateLimit.parseList("2/1m/ip, 1/1m/key")));

        limiter.hit(LimitedAction.RESET_PASSWORD, ClientInfo.of("203.0.113.5", "x"),
                Optional.of(RateLimiter.emailKey("Alice@Example.com")));
        Optional<Duration> second = limiter.hit(LimitedAction.RESET_PASSWORD, ClientInfo.of("203.0.113.5", "x"),
                Optional.of(RateLimiter.emailKey("alice@example.com")));

        assertThat(second).contains(Duration.ofMinutes(1));
        assertThat(recording.keys).hasSize(4).allSatisfy(k -> assertThat(k).doesNotContain("203.0.113.5", "alice", "Alice"));
        assertThat(limiter.check(LimitedAction.RESET_PASSWORD, ClientInfo.of("203.0.113.6", "x"), Optional.empty()))
                .isEmpty();
        limiter.clear(LimitedAction.RESET_PASSWORD, RateLimiter.emailKey("ALICE@example.com"));
        assertThat(limiter.check(LimitedAction.RESET_PASSWORD, ClientInfo.UNKNOWN,
                Optional.of(RateLimiter.emailKey("alice@example.com")))).isEmpty();
    }

    /** Remembers the keys it was asked to count. */
    private static final class RecordingStore implements CounterStore {
        final List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CounterStore delegate;

        RecordingStore(CounterStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Counter increment(String key, Duration window, Instant now) {
            keys.add(key);
            return delegate.increment(key, window, now);
        }

        @Override
        public Optional<Counter> get(String key, Instant now) {
            return delegate.get(key, now);
        }

        @Override
        public boolean delete(String key) {
            return delegate.delete(key);
        }

        @Override
        public int deleteExpired(Instant now) {
            return delegate.deleteExpired(now);
        }
    }
}
