package dev.gatehouse.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import dev.gatehouse.testing.Races;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CounterStore} must have. The in-memory store and the JDBC store on
 * H2, PostgreSQL and MariaDB run it; each subclass supplies an empty store per test.
 */
public abstract class CounterStoreContract {

    /** With microseconds, so precision loss would show. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    protected static final Duration MINUTE = Duration.ofMinutes(1);
    protected static final int THREADS = 8;

    protected CounterStore store;

    /** A store with no counters. */
    protected abstract CounterStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    @Test
    void theFirstHit_startsAWindow_andLaterHitsCountWithoutMovingItsEnd() {
        assertThat(store.increment("a", MINUTE, T0)).isEqualTo(new Counter(1, T0.plus(MINUTE)));
        assertThat(store.increment("a", MINUTE, T0.plusSeconds(10))).isEqualTo(new Counter(2, T0.plus(MINUTE)));
        assertThat(store.increment("a", Duration.ofHours(5), T0.plusSeconds(59)))
                .as("a running window keeps its end whatever later hits ask").isEqualTo(new Counter(3, T0.plus(MINUTE)));
        assertThat(store.get("a", T0.plusSeconds(30))).contains(new Counter(3, T0.plus(MINUTE)));
    }

    @Test
    void atTheEndOfTheWindow_countingStartsOver() {
        store.increment("a", MINUTE, T0);
        store.increment("a", MINUTE, T0);

        assertThat(store.get("a", T0.plus(MINUTE))).as("the window ends at resetsAt").isEmpty();
        Instant later = T0.plus(MINUTE).plusMillis(1);
        assertThat(store.increment("a", MINUTE, T0.plus(MINUTE))).isEqualTo(new Counter(1, T0.plus(MINUTE).plus(MINUTE)));
        assertThat(store.get("a", later)).contains(new Counter(1, T0.plus(MINUTE).plus(MINUTE)));
    }

    @Test
    void instantsAreKeptToTheMicrosecond() {
        Instant withNanos = T0.plusNanos(789);
        assertThat(store.increment("micro", Duration.ofMillis(1), withNanos).resetsAt())
                .isEqualTo(T0.plusMillis(1));
    }

    @Test
    void keysAreIndependent_andCaseSensitive() {
        store.increment("key", MINUTE, T0);
        store.increment("key", MINUTE, T0);

        assertThat(store.increment("KEY", MINUTE, T0).hits()).isEqualTo(1);
        assertThat(store.increment("other/key:1", MINUTE, T0).hits()).isEqualTo(1);
        assertThat(store.get("key", T0).orElseThrow().hits()).isEqualTo(2);
        assertThat(store.get("absent", T0)).isEmpty();
    }

    @Test
    void delete_forgetsACounter_evenOneWhoseWindowEnded() {
        store.increment("gone", MINUTE, T0);
        store.increment("ended", MINUTE, T0);

        assertThat(store.delete("gone")).isTrue();
        assertThat(store.delete("gone")).isFalse();
        assertThat(store.get("gone", T0)).isEmpty();
        assertThat(store.increment("gone", MINUTE, T0).hits()).isEqualTo(1);
        assertThat(store.delete("ended")).isTrue();
    }

    @Test
    void deleteAll_forgetsTheCountersNamed_andOnlyThose() {
        store.increment("first", MINUTE, T0);
        store.increment("second", MINUTE, T0);
        store.increment("second", MINUTE, T0);
        store.increment("kept", MINUTE, T0);

        store.deleteAll("first", "second", "never-counted");
        store.deleteAll();

        assertThat(store.get("first", T0)).isEmpty();
        assertThat(store.get("second", T0)).isEmpty();
        assertThat(store.get("kept", T0)).contains(new Counter(1, T0.plus(MINUTE)));
        assertThat(store.increment("second", MINUTE, T0).hits()).isEqualTo(1);
        assertThatThrownBy(() -> store.deleteAll("kept", "with space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deleteAll("kept", null)).isInstanceOf(NullPointerException.class);
        assertThat(store.get("kept", T0)).as("a bad key deletes nothing").isPresent();
    }

    @Test
    void deleteExpired_removesOnlyEndedWindows() {
        store.increment("short", Duration.ofSeconds(10), T0);
        store.increment("exact", Duration.ofSeconds(30), T0);
        store.increment("long", Duration.ofHours(1), T0);

        assertThat(store.deleteExpired(T0.plusSeconds(30))).isEqualTo(2);

        assertThat(store.delete("short")).isFalse();
        assertThat(store.delete("exact")).isFalse();
        assertThat(store.get("long", T0.plusSeconds(30))).isPresent();
        assertThat(store.deleteExpired(T0.plusSeconds(30))).isZero();
    }

    @Test
    void theLongestKeyAndWindow_areKept() {
        String key = "k".repeat(CounterStore.MAX_KEY_LENGTH);
        Duration longest = Duration.ofDays(CounterStore.MAX_WINDOW_DAYS);

        assertThat(store.increment(key, longest, T0)).isEqualTo(new Counter(1, T0.plus(longest)));
        assertThat(store.get(key, T0.plus(longest).minusNanos(1000))).isPresent();
    }

    @Test
    void badKeysAndWindows_areRefused_andNullsToo() {
        assertThatThrownBy(() -> store.increment("", MINUTE, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("k".repeat(CounterStore.MAX_KEY_LENGTH + 1), MINUTE, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("alice@example.com", MINUTE, T0))
                .as("raw emails are not keys").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("with space", MINUTE, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("k", Duration.ZERO, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("k", Duration.ofSeconds(-1), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment("k", Duration.ofDays(CounterStore.MAX_WINDOW_DAYS + 1), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.increment(null, MINUTE, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.increment("k", null, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.increment("k", MINUTE, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.get("k", null)).isInstanceOf(NullPointerException.class);
        assertThat(store.get("k", T0)).as("nothing was written").isEmpty();
    }

    @Test
    void concurrentIncrements_neverLoseAHit_andEachCallSeesItsOwnCount() throws Exception {
        int perThread = 20;

        List<List<Long>> seen = race(THREADS, i -> {
            List<Long> counts = new ArrayList<>();
            for (int n = 0; n < perThread; n++) {
                counts.add(store.increment("contended", MINUTE, T0.plusMillis(n)).hits());
            }
            return counts;
        });

        long total = (long) THREADS * perThread;
        assertThat(seen.stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(store.get("contended", T0).orElseThrow().hits()).isEqualTo(total);
    }

    @Test
    void concurrentFirstHits_startOneWindow() throws Exception {
        List<Counter> seen = race(THREADS, i -> store.increment("fresh", MINUTE, T0));

        assertThat(seen).extracting(Counter::hits)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, THREADS).boxed().toList());
        assertThat(seen).extracting(Counter::resetsAt).containsOnly(T0.plus(MINUTE));
    }

    /** Runs {@code call} on {@code threads} threads released together; every call must succeed. */
    private static <T> List<T> race(int threads, Races.RacingCall<T> call) throws Exception {
        return Races.race(threads, call).stream().map(Races.Outcome::value).toList();
    }
}
