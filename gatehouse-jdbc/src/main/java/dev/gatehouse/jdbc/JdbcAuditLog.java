package dev.gatehouse.jdbc;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.AuditEntry;
import dev.gatehouse.event.AuditLog;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The audit log in the database ({@code gh_audit_events}), in the same database as
 * {@link JdbcUserStore}: {@code user_id} references {@code gh_users} with {@code ON DELETE SET NULL},
 * so deleting a user keeps its events, detached. An event naming a user that no longer exists is
 * recorded without one.
 *
 * <p>Thread-safe; holds no state besides the data source.
 */
public final class JdbcAuditLog implements AuditLog {

    private final Transactions transactions;

    private JdbcAuditLog(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A log on {@code dataSource}, after bringing the schema up to date. */
    public static JdbcAuditLog create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** A log on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcAuditLog create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrateOnce();
        }
        return new JdbcAuditLog(new Transactions(dataSource, dialect));
    }

    @Override
    public AuditEntry record(AccountEvent event) {
        Objects.requireNonNull(event, "event");
        AuditEntry entry = AuditEntry.from(0, event);
        String details = AuditEntry.encodeDetails(entry.details());
        // One INSERT, alone: on an auto-commit connection one round trip, which a sign-in pays for
        // every event it records. An event may outlive its user (its deletion, or a concurrent
        // one): the foreign key then fails the insert, and the event is recorded without the user.
        if (entry.userId().isPresent()) {
            long userId = entry.userId().get();
            try {
                return transactions.statement("record an account event", c -> insert(c, entry, details, entry.userId()),
                        c -> Statements.userExists(c, userId) ? null : Transactions.OtherWay.INSTANCE);
            } catch (Transactions.OtherWay userGone) {
                // recorded below, without the user
            }
        }
        return transactions.statement("record an account event", c -> insert(c, entry, details, Optional.empty()),
                c -> null);
    }

    private AuditEntry insert(Connection c, AuditEntry entry, String details, Optional<Long> userId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gh_audit_events (occurred_at, user_id,"
                + " event_type, ip, user_agent, details) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
            transactions.dialect().bindInstant(insert, 1, entry.at());
            if (userId.isPresent()) {
                insert.setLong(2, userId.get());
            } else {
                insert.setNull(2, Types.BIGINT);
            }
            insert.setString(3, entry.type());
            Statements.bindNullable(insert, 4, entry.ip().orElse(null));
            Statements.bindNullable(insert, 5, entry.userAgent().orElse(null));
            insert.setString(6, details);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no generated id", "HY000");
                }
                return new AuditEntry(keys.getLong(1), entry.at(), userId, entry.type(), entry.ip(), entry.userAgent(),
                        entry.details());
            }
        }
    }

    @Override
    public List<AuditEntry> forUser(long userId, int limit, Optional<Long> beforeId) {
        AuditLog.checkLimit(limit);
        Objects.requireNonNull(beforeId, "beforeId");
        return transactions.read("list account events", c -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, occurred_at, user_id, event_type, ip, user_agent,"
                    + " details FROM gh_audit_events WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?")) {
                select.setLong(1, userId);
                select.setLong(2, beforeId.orElse(Long.MAX_VALUE));
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long user = rows.getLong("user_id");
                        Optional<Long> owner = rows.wasNull() ? Optional.empty() : Optional.of(user);
                        entries.add(new AuditEntry(rows.getLong("id"), transactions.dialect().readInstant(rows, "occurred_at"),
                                owner, rows.getString("event_type"),
                                Optional.ofNullable(rows.getString("ip")), Optional.ofNullable(rows.getString("user_agent")),
                                AuditEntry.decodeDetails(rows.getString("details"))));
                    }
                }
            }
            return entries;
        });
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        Instant at = StoreLimits.instant("cutoff", cutoff);
        return transactions.write("delete old account events", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gh_audit_events WHERE occurred_at < ?")) {
                transactions.dialect().bindInstant(delete, 1, at);
                return delete.executeUpdate();
            }
        });
    }
}
