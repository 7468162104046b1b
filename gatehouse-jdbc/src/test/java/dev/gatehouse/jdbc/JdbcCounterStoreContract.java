package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.limit.CounterStoreContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link CounterStoreContract} on {@link JdbcCounterStore}, plus what only a database gives: durability. */
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
}
