package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.CounterStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CounterStoreContract} on {@link JdbcCounterStore}, plus what only a database gives:
 * durability, and how few round trips the single-statement operations cost.
 */
abstract class JdbcCounterStoreContract extends CounterStoreContract {

    protected abstract TestDatabase database();

    @Override
    protected CounterStore newStore() {
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM gh_counters");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return JdbcCounterStore.create(database().dataSource(), false);
    }

    @Test
    void countersOutliveTheStoreInstance_asAfterARestart() {
        store.increment("durable", MINUTE, T0);
        store.increment("durable", MINUTE, T0);

        CounterStore afterRestart = JdbcCounterStore.create(database().dataSource());

        assertThat(afterRestart.get("durable", T0.plusSeconds(1))).contains(new Counter(2, T0.plus(MINUTE)));
        assertThat(afterRestart.increment("durable", MINUTE, T0.plusSeconds(2)).hits()).isEqualTo(3);
    }

    @Test
    void readingAndDeletingCountersRunOneStatementEachWithoutATransaction() {
        // Sign-in reads the lock and deletes two counters: on an auto-commit connection (how pools
        // hand them out) neither should add BEGIN, SET TRANSACTION and COMMIT round trips, and the
        // two deletes are one statement.
        store.increment("failures", MINUTE, T0);
        store.increment("streak", MINUTE, T0);
        store.increment("other", MINUTE, T0);
        store.increment("kept", MINUTE.multipliedBy(2), T0);
        List<String> calls = new ArrayList<>();
        CounterStore recorded = JdbcCounterStore.create(DataSources.recording(database().dataSource(), calls), false);

        assertThat(recorded.get("failures", T0.plusSeconds(1))).contains(new Counter(1, T0.plus(MINUTE)));
        recorded.deleteAll("failures", "streak");
        assertThat(recorded.delete("other")).isTrue();
        assertThat(recorded.delete("other")).isFalse();
        assertThat(recorded.deleteExpired(T0.plus(MINUTE))).isZero();

        assertThat(calls).hasSize(5).allSatisfy(call -> assertThat(call).startsWith("prepareStatement "));
        assertThat(store.get("failures", T0.plusSeconds(1))).isEmpty();
        assertThat(store.get("streak", T0.plusSeconds(1))).isEmpty();
        assertThat(store.get("kept", T0.plusSeconds(1))).isPresent();
    }

    @Test
    void onConnectionsWithoutAutoCommitTheyStillCommit() {
        store.increment("failures", MINUTE, T0);
        CounterStore manual = JdbcCounterStore.create(DataSources.withoutAutoCommit(database().dataSource()), false);

        assertThat(manual.get("failures", T0.plusSeconds(1))).isPresent();
        assertThat(manual.delete("failures")).isTrue();

        assertThat(store.get("failures", T0.plusSeconds(1))).isEmpty();
    }
}
