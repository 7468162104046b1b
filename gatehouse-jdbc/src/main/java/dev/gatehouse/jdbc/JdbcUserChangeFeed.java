package dev.gatehouse.jdbc;

import dev.gatehouse.user.UserChangeFeed;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the change log {@code gh_user_changes} that every {@link JdbcUserStore} writes in the
 * transaction of each change, and tells a subscriber which users changed since it last looked.
 *
 * <p>Polling, on a daemon thread, every {@code interval} (a quarter of a second by default): a
 * change made by another node or by the command-line tool reaches this node's cache within that.
 * Sequence numbers are handed out when rows are inserted but become visible when transactions
 * commit, possibly out of order, so each poll looks back over everything seen in the last
 * {@link #LOOKBACK} and notifies each change once. A transaction that stays open longer than that
 * after a later one committed could go unnoticed; user writes take milliseconds. Rows older than
 * {@link #KEEP} are pruned.
 */
final class JdbcUserChangeFeed implements UserChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcUserChangeFeed.class);
    static final Duration LOOKBACK = Duration.ofSeconds(10);
    static final Duration KEEP = Duration.ofHours(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** More changes than this in one poll: cheaper to drop the whole cache than to list them. */
    private static final int MAX_ROWS = 10_000;

    private final Transactions transactions;
    private final Clock clock;
    private final Duration interval;

    JdbcUserChangeFeed(Transactions transactions, Clock clock, Duration interval) {
        this.transactions = transactions;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public AutoCloseable subscribe(Listener listener) {
        Poller poller = new Poller(listener, latestSeq());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-user-changes");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(poller::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }

    private long latestSeq() {
        return transactions.statement("read the user change log", c -> {
            try (PreparedStatement max = c.prepareStatement("SELECT MAX(seq) FROM gh_user_changes");
                    ResultSet rows = max.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    /** One subscriber's position in the log; used by the feed's single thread only. */
    final class Poller {
        private final Listener listener;
        /** Every change at or below this was notified, or gave up on, long enough ago. */
        private long floor;
        /** Changes above the floor already notified, with when they were first seen. */
        private final TreeMap<Long, Long> recent = new TreeMap<>();
        private long lastPrune;
        private boolean failing;

        Poller(Listener listener, long start) {
            this.listener = listener;
            this.floor = start;
        }

        void poll() {
            try {
                long now = clock.millis();
                List<long[]> changes = transactions.statement("read the user change log", c -> {
                    List<long[]> found = new ArrayList<>();
                    try (PreparedStatement select = c.prepareStatement(
                            "SELECT seq, user_id FROM gh_user_changes WHERE seq > ? ORDER BY seq")) {
                        select.setLong(1, floor);
                        select.setMaxRows(MAX_ROWS + 1);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                long seq = rows.getLong(1);
                                long userId = rows.getLong(2);
                                // -1 stands for NULL: any user may have changed.
                                found.add(new long[] {seq, rows.wasNull() ? -1 : userId});
                            }
                        }
                    }
                    return found;
                });
                if (changes.size() > MAX_ROWS) {
                    listener.everythingChanged();
                    floor = changes.get(changes.size() - 1)[0];
                    recent.clear();
                } else {
                    for (long[] change : changes) {
                        if (recent.putIfAbsent(change[0], now) == null) {
                            if (change[1] < 0) {
                                listener.everythingChanged();
                            } else {
                                listener.userChanged(change[1]);
                            }
                        }
                    }
                }
                while (!recent.isEmpty() && recent.firstEntry().getValue() < now - LOOKBACK.toMillis()) {
                    floor = Math.max(floor, recent.pollFirstEntry().getKey());
                }
                if (now - lastPrune > PRUNE_EVERY.toMillis()) {
                    prune(now);
                    lastPrune = now;
                }
                if (failing) {
                    LOG.info("Reading the user change log works again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                // Keep polling: the database may come back. Log once per outage, not every poll.
                if (!failing) {
                    LOG.warn("Cannot read the user change log; cached users may be stale until it works again", e);
                    failing = true;
                }
            }
        }

        private void prune(long now) {
            transactions.write("prune the user change log", c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_user_changes WHERE changed_at < ?")) {
                    transactions.dialect().bindInstant(delete, 1, java.time.Instant.ofEpochMilli(now).minus(KEEP));
                    return delete.executeUpdate();
                }
            });
        }
    }
}
