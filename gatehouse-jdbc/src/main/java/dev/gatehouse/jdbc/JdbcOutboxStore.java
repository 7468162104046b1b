package dev.gatehouse.jdbc;

import dev.gatehouse.mail.Notification;
import dev.gatehouse.mail.OutboxMessage;
import dev.gatehouse.mail.OutboxStatus;
import dev.gatehouse.mail.OutboxStore;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The mail outbox in the database ({@code gh_mail_outbox}): queued email survives restarts and an
 * SMTP outage, and delivery workers on any number of nodes share it.
 *
 * <p>Claiming is a compare-and-set per message, portable to every supported database: the due
 * messages are selected, then each is claimed with an {@code UPDATE ... WHERE status = 'PENDING'
 * AND due_at <= now} that moves {@code due_at} to the end of the lease and sets a fresh claim token.
 * Of two workers racing for a message the second's update waits for the first's row lock and then
 * matches nothing, so each message goes to one worker. Outcomes ({@code markSent}, ...) match on
 * the claim token, so a worker whose lease lapsed changes nothing.
 *
 * <p>Thread-safe; holds no state besides the data source.
 */
public final class JdbcOutboxStore implements OutboxStore {

    private static final String COLUMNS = "id, template, recipient, locale, model, status, attempts, created_at, due_at,"
            + " claim_token, sent_at, last_error";
    private static final String CLAIM = "UPDATE gh_mail_outbox SET due_at = ?, claim_token = ?, attempts = attempts + 1"
            + " WHERE id = ? AND status = 'PENDING' AND due_at <= ?";

    private final Transactions transactions;

    private JdbcOutboxStore(Transactions transactions) {
        this.transactions = transactions;
    }

    /** An outbox on {@code dataSource}, after bringing the schema up to date. */
    public static JdbcOutboxStore create(DataSource dataSource) {
        return create(dataSource, true);
    }

    /** An outbox on {@code dataSource}; migrates the schema first only if {@code migrate}. */
    public static JdbcOutboxStore create(DataSource dataSource, boolean migrate) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = Dialect.of(dataSource);
        if (migrate) {
            new JdbcSchema(dataSource, dialect).migrateOnce();
        }
        return new JdbcOutboxStore(new Transactions(dataSource, dialect));
    }

    @Override
    public OutboxMessage enqueue(Notification notification, Instant now) {
        Objects.requireNonNull(notification, "notification");
        Instant at = StoreLimits.instant("now", now);
        String model = OutboxMessage.encodeModel(notification.model());
        return transactions.write("queue a mail", c -> {
            long id;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO gh_mail_outbox (template, recipient, locale,"
                    + " model, status, attempts, created_at, due_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)",
                    new String[] {"id"})) {
                insert.setString(1, notification.template());
                insert.setString(2, notification.to());
                insert.setString(3, notification.locale().toLanguageTag());
                insert.setString(4, model);
                dialect().bindInstant(insert, 5, at);
                dialect().bindInstant(insert, 6, at);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no generated id", "HY000");
                    }
                    id = keys.getLong(1);
                }
            }
            return read(c, id).orElseThrow(() -> new SQLException("the queued mail vanished", "HY000"));
        });
    }

    @Override
    public List<OutboxMessage> claimDue(Instant now, int limit, Duration lease) {
        OutboxStore.checkLimit(limit);
        Instant at = StoreLimits.instant("now", now);
        Instant leaseEnd = StoreLimits.instant("due_at", at.plus(Objects.requireNonNull(lease, "lease")));
        return transactions.write("claim due mail", c -> {
            List<Long> due = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM gh_mail_outbox WHERE status = 'PENDING'"
                    + " AND due_at <= ? ORDER BY due_at, id LIMIT ?")) {
                dialect().bindInstant(select, 1, at);
                select.setInt(2, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        due.add(rows.getLong(1));
                    }
                }
            }
            List<OutboxMessage> claimed = new ArrayList<>();
            for (long id : due) {
                String token = OneTimeSecret.generate().value().substring(0, 22);
                try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                    dialect().bindInstant(claim, 1, leaseEnd);
                    claim.setString(2, token);
                    claim.setLong(3, id);
                    dialect().bindInstant(claim, 4, at);
                    if (claim.executeUpdate() == 1) {
                        read(c, id).ifPresent(claimed::add);
                    }
                }
            }
            return claimed;
        });
    }

    @Override
    public boolean markSent(long id, String claimToken, Instant at) {
        Instant sentAt = StoreLimits.instant("sent_at", at);
        return outcome("mark mail sent", "status = 'SENT', sent_at = ?, claim_token = NULL", id, claimToken,
                (s, i) -> dialect().bindInstant(s, i, sentAt));
    }

    @Override
    public boolean reschedule(long id, String claimToken, Instant dueAt, String error) {
        Instant due = StoreLimits.instant("due_at", dueAt);
        String text = OutboxMessage.errorText(error);
        return outcome("reschedule mail", "due_at = ?, last_error = ?, claim_token = NULL", id, claimToken, (s, i) -> {
            dialect().bindInstant(s, i, due);
            s.setString(i + 1, text);
        });
    }

    @Override
    public boolean markFailed(long id, String claimToken, String error) {
        String text = OutboxMessage.errorText(error);
        return outcome("give mail up", "status = 'FAILED', last_error = ?, claim_token = NULL", id, claimToken,
                (s, i) -> s.setString(i, text));
    }

    @Override
    public Optional<OutboxMessage> find(long id) {
        return transactions.read("find a queued mail", c -> read(c, id));
    }

    @Override
    public List<OutboxMessage> list(OutboxStatus status, int limit) {
        Objects.requireNonNull(status, "status");
        OutboxStore.checkLimit(limit);
        return transactions.read("list queued mail", c -> {
            List<OutboxMessage> messages = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM gh_mail_outbox WHERE status = ? ORDER BY id LIMIT ?")) {
                select.setString(1, status.name());
                select.setInt(2, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        messages.add(map(rows));
                    }
                }
            }
            return messages;
        });
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        Instant at = StoreLimits.instant("cutoff", cutoff);
        return transactions.write("delete finished mail", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM gh_mail_outbox WHERE status <> 'PENDING' AND created_at < ?")) {
                dialect().bindInstant(delete, 1, at);
                return delete.executeUpdate();
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement, int firstIndex) throws SQLException;
    }

    /** Applies {@code assignments} if the message is still claimed with {@code claimToken}. */
    private boolean outcome(String operation, String assignments, long id, String claimToken, Binder values) {
        Objects.requireNonNull(claimToken, "claimToken");
        long placeholders = assignments.chars().filter(ch -> ch == '?').count();
        return transactions.write(operation, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE gh_mail_outbox SET " + assignments
                    + " WHERE id = ? AND status = 'PENDING' AND claim_token = ?")) {
                values.bind(update, 1);
                update.setLong((int) placeholders + 1, id);
                update.setString((int) placeholders + 2, claimToken);
                return update.executeUpdate() == 1;
            }
        });
    }

    private Optional<OutboxMessage> read(Connection c, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM gh_mail_outbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        }
    }

    private OutboxMessage map(ResultSet rows) throws SQLException {
        Notification notification = new Notification(rows.getString("template"), rows.getString("recipient"),
                OutboxMessage.locale(rows.getString("locale")), OutboxMessage.decodeModel(rows.getString("model")));
        return new OutboxMessage(rows.getLong("id"), notification, OutboxStatus.valueOf(rows.getString("status")),
                rows.getInt("attempts"), dialect().readInstant(rows, "created_at"), dialect().readInstant(rows, "due_at"),
                Optional.ofNullable(rows.getString("claim_token")),
                Optional.ofNullable(dialect().readInstant(rows, "sent_at")),
                Optional.ofNullable(rows.getString("last_error")));
    }

    private Dialect dialect() {
        return transactions.dialect();
    }
}
