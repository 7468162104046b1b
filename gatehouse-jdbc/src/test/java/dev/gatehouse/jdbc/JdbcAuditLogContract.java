package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.AuditEntry;
import dev.gatehouse.event.AuditLog;
import dev.gatehouse.event.AuditLogContract;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.UserStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link AuditLogContract} on {@link JdbcAuditLog}, plus the foreign key on the user. */
abstract class JdbcAuditLogContract extends AuditLogContract {

    protected abstract TestDatabase database();

    private UserStore users() {
        return JdbcUserStore.builder(database().dataSource()).migrate(false).build();
    }

    @Override
    protected AuditLog newLog() {
        TestSql.execute(database().dataSource(), "DELETE FROM gh_audit_events");
        TestSql.execute(database().dataSource(), "DELETE FROM gh_users");
        return JdbcAuditLog.create(database().dataSource(), false);
    }

    @Override
    protected long newUser(String email) {
        return users().createUser(NewUser.builder(email).build()).id();
    }

    @Test
    void deletingAUser_keepsItsEntries_detached() {
        long alice = newUser("alice@example.com");
        AuditEntry entry = log.record(new AccountEvent.PasswordChanged(EventContext.of(T0, alice, CLIENT)));

        users().deleteUser(alice);

        assertThat(log.forUser(alice, 10, Optional.empty())).isEmpty();
        assertThat(TestSql.count(database().dataSource(),
                "SELECT COUNT(*) FROM gh_audit_events WHERE user_id IS NULL AND id = " + entry.id())).isEqualTo(1);
    }

    @Test
    void anEventOfAUserWhoIsGone_isRecordedWithoutTheUser() {
        AuditEntry entry = log.record(new AccountEvent.PasswordChanged(EventContext.of(T0, 987_654_321L, CLIENT)));

        assertThat(entry.userId()).isEmpty();
        assertThat(entry.type()).isEqualTo("password_changed");
        assertThat(TestSql.count(database().dataSource(),
                "SELECT COUNT(*) FROM gh_audit_events WHERE user_id IS NULL AND id = " + entry.id())).isEqualTo(1);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_audit_events")).isEqualTo(1);
    }

    @Test
    void recordingAnEvent_isOneInsertWithoutATransaction() {
        // A sign-in records one: on an auto-commit connection it should cost one round trip.
        long alice = newUser("alice@example.com");
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        AuditLog recorded = JdbcAuditLog.create(DataSources.recording(database().dataSource(), calls), false);
        calls.clear();

        AuditEntry entry = recorded.record(new AccountEvent.PasswordChanged(EventContext.of(T0, alice, CLIENT)));

        assertThat(calls).singleElement().asString().startsWith("prepareStatement INSERT INTO gh_audit_events ");
        assertThat(entry.userId()).contains(alice);
        assertThat(log.forUser(alice, 10, Optional.empty())).containsExactly(entry);
    }
}
