package dev.gatehouse.jdbc;

import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link CounterStore} in the database ({@code gh_counters}): rate limits, failed sign-in counts,
 * locks and single-use markers that every node shares and that survive restarts.
 *
 * <p>A hit is one transaction: an {@code UPDATE} that restarts or advances the window in a single
 * statement (the row lock serializes concurrent hits on one key), an {@code INSERT} when the key
 * is new (two concurrent first hits collide on the primary key and the loser retries, finding the
 * winner's row), then a read of the row it holds locked. The same SQL runs on H2, PostgreSQL and
 * MariaDB/MySQL.
 *
 * <p>Thread-safe; holds no state besides the data source.
 */
public final class JdbcCounterStore implements CounterStore {

    // MySQL evaluates SET assignments left to right with the values already assigned, the others
    // with the old row: hits is assigned first, so both CASEs test the old resets_at everywhere.
    private static final String HIT = "UPDATE gh_counters SET"
            + " hits = CASE WHEN resets_at <= ? THEN 1 ELSE hits + 1 END,"
            + " resets_at = CASE WHEN resets_at <= ? THEN ? ELSE resets_at END"
            + " WHERE counter_key = ?";
    private static final String INSERT = "INSERT INTO gh_counters (counter_key, hits, resets_at) VALUES (?, 1, ?)";
    private static final String SELECT = "SELECT hits, resets_at FROM gh_counters WHERE counter_key = ?";

    private final Transactions transactions;

    private JdbcCounterStore(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * A store on {@code dataSource}, after bringing the schema up to date.
     *
     * @throws dev.gatehouse.user.StoreException if the database is unreachable, unsupported, or a
     *                                           migration fails
     */
    public static JdbcCounterStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A store on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcCounterStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrateOnce();
        }
        return new JdbcCounterStore(new Transactions(dataSource, dialect));
    }

    @Override
    public Counter increment(String key, Duration window, Instant now) {
        CounterStore.checkKey(key);
        CounterStore.checkWindow(window);
        Instant at = StoreLimits.instant("now", now);
        Instant end = StoreLimits.instant("resets_at", at.plus(window));
        Dialect dialect = transactions.dialect();
        return transactions.write("count a hit", c -> {
            try (PreparedStatement hit = c.prepareStatement(HIT)) {
                dialect.bindInstant(hit, 1, at);
                dialect.bindInstant(hit, 2, at);
                dialect.bindInstant(hit, 3, end);
                hit.setString(4, key);
                if (hit.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                        insert.setString(1, key);
                        dialect.bindInstant(insert, 2, end);
                        insert.executeUpdate();
                    }
                }
            }
            return read(c, key).orElseThrow(() -> new SQLException("the counter row vanished inside its transaction", "HY000"));
        }, c -> null);
    }

    @Override
    public Optional<Counter> get(String key, Instant now) {
        CounterStore.checkKey(key);
        Instant at = StoreLimits.instant("now", Objects.requireNonNull(now, "now"));
        // One statement each, here and in delete: no transaction around them (sign-in reads the lock
        // and deletes two counters; each transaction would cost the database round trips of its own).
        return transactions.statement("read a counter", c -> read(c, key)).filter(counter -> counter.resetsAt().isAfter(at));
    }

    @Override
    public boolean delete(String key) {
        CounterStore.checkKey(key);
        return transactions.statement("delete a counter", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_counters WHERE counter_key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void deleteAll(String... keys) {
        for (String key : keys) {
            CounterStore.checkKey(key);
        }
        if (keys.length == 0) {
            return;
        }
        transactions.statement("delete counters", c -> Statements.execute(c,
                "DELETE FROM gh_counters WHERE counter_key IN (" + Statements.placeholders(keys.length) + ")",
                (Object[]) keys));
    }

    @Override
    public int deleteExpired(Instant now) {
        Instant at = StoreLimits.instant("now", now);
        return transactions.statement("delete ended counters", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_counters WHERE resets_at <= ?")) {
                transactions.dialect().bindInstant(delete, 1, at);
                return delete.executeUpdate();
            }
        });
    }

    private Optional<Counter> read(Connection c, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT)) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Counter(rows.getLong("hits"), transactions.dialect().readInstant(rows, "resets_at")));
            }
        }
    }
}
