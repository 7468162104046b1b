package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.session.SessionKind;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.session.SessionStore;
import dev.gatehouse.session.SessionStoreContract;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionStoreContract} against {@link JdbcSessionStore} on one database, plus what only
 * the SQL store has: the foreign key to {@code gh_users}, migrations, indexes, single-statement hot
 * paths, microsecond truncation, retries and redacted failures. A subclass per database supplies
 * the per-run {@link TestDatabase}s.
 */
abstract class JdbcSessionStoreContract extends SessionStoreContract {

    private JdbcUserStore users;
    private int usersCreated;

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    /** A second per-run database that nothing migrates, for the one test that needs it empty. */
    protected abstract TestDatabase emptyDatabase();

    @Override
    protected SessionStore newStore() {
        // One database per test class; each test starts from empty tables.
        DataSource dataSource = database().dataSource();
        TestSql.execute(dataSource, "DELETE FROM gh_sessions");
        TestSql.execute(dataSource, "DELETE FROM gh_users");
        users = JdbcUserStore.builder(dataSource).migrate(false).build();
        return JdbcSessionStore.builder(dataSource).migrate(false).build();
    }

    @Override
    protected long newUser() {
        // The sessions table references gh_users, so every record needs a real user row.
        return users.createUser(NewUser.builder("user" + ++usersCreated + "@example.com").build()).id();
    }

    @Override
    protected int raceRounds() {
        // Each statement is atomic in the database; a few rounds show that the store uses them.
        return 3;
    }

    // ================================================================ the link to gh_users

    @Test
    void deletingAUser_deletesTheirSessionsGrantsAndTokens() {
        List<SessionRecord> alices = List.of(
                record(alice).kind(SessionKind.SESSION).save(),
                record(alice).kind(SessionKind.REMEMBER_ME).save(),
                record(alice).kind(SessionKind.REFRESH_TOKEN).save());
        SessionRecord bobs = record(bob).save();

        assertThat(users.deleteUser(alice)).isTrue();

        assertThat(alices).allSatisfy(r -> assertThat(store.find(r.id())).isEmpty());
        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.find(bobs.id())).contains(bobs);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_sessions")).isEqualTo(1);
    }

    @Test
    void save_forAUserWithoutARow_throwsNoSuchUser_andWritesNothing() {
        users.deleteUser(bob);
        SessionRecord orphan = record(bob).build();

        assertThatThrownBy(() -> store.save(orphan)).isInstanceOf(NoSuchUserException.class);

        assertThat(store.find(orphan.id())).isEmpty();
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_sessions")).isZero();
    }

    // ================================================================ schema

    @Test
    void migrations_applyToAnEmptyDatabase_andAreIdempotent() {
        DataSource empty = emptyDatabase().dataSource();
        JdbcSchema schema = JdbcSchema.of(empty);
        assertThat(schema.currentVersion()).isEmpty();

        SessionStore created = JdbcSessionStore.create(empty);

        assertThat(schema.currentVersion()).contains(TestSql.LATEST);
        assertThat(schema.migrate()).isZero();
        assertThat(JdbcSessionStore.create(empty).listForUser(1)).isEmpty();
        assertThat(schema.status()).extracting(SchemaMigration::version, SchemaMigration::state)
                .containsExactly(TestSql.allApplied());
        long userId = JdbcUserStore.builder(empty).migrate(false).build()
                .createUser(NewUser.builder("first@example.com").build()).id();
        SessionRecord saved = record(userId).build();
        created.save(saved);
        assertThat(created.find(saved.id())).contains(saved);
    }

    @Test
    void status_listsTheSessionsMigrationAsApplied() {
        JdbcSchema schema = JdbcSchema.of(database().dataSource());

        assertThat(schema.status()).anySatisfy(m -> {
            assertThat(m.version()).isEqualTo("2");
            assertThat(m.description()).isEqualTo("sessions");
            assertThat(m.state()).isEqualTo("Success");
            assertThat(m.applied()).isTrue();
            assertThat(m.installedOn()).isPresent();
        });
        assertThat(schema.currentVersion()).contains(TestSql.LATEST);
        assertThat(schema.hasPendingMigrations()).isFalse();
    }

    @Test
    void theTable_isKeyedByTheDigest_indexedForEveryBulkOperation_andCascadesFromUsers() throws SQLException {
        DataSource dataSource = database().dataSource();

        assertThat(TestSql.primaryKey(dataSource, "gh_sessions")).containsExactly("id");
        assertThat(TestSql.indexedColumns(dataSource, "gh_sessions", false))
                .contains("user_id", "family_id", "expires_at");
        assertThat(TestSql.foreignKeys(dataSource, "gh_sessions"))
                .containsExactly("user_id->gh_users.id ON DELETE CASCADE");
    }

    // ================================================================ how the store talks to the database

    @Test
    void hotPaths_areOneStatementEach_withoutATransactionAroundIt() {
        SessionRecord saved = record(alice).kind(SessionKind.REFRESH_TOKEN).lastUsedAt(T0).save();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        SessionStore recorded = JdbcSessionStore.builder(DataSources.recording(database().dataSource(), calls))
                .migrate(false).build();
        calls.clear();

        assertThat(recorded.find(saved.id())).contains(saved);
        assertThat(calls).singleElement().asString()
                .startsWith("prepareStatement SELECT ").endsWith(" FROM gh_sessions WHERE id = ?");
        calls.clear();

        recorded.touch(saved.id(), T0.plusSeconds(1));
        assertThat(calls).containsExactly(
                "prepareStatement UPDATE gh_sessions SET last_used_at = ? WHERE id = ? AND last_used_at < ?");
        calls.clear();

        assertThat(recorded.consume(saved.id())).isTrue();
        assertThat(calls).containsExactly(
                "prepareStatement UPDATE gh_sessions SET consumed = TRUE WHERE id = ? AND consumed = FALSE");
        calls.clear();

        // Strings that cannot be ids are answered without the database.
        assertThat(recorded.find("not a digest")).isEmpty();
        assertThat(recorded.consume(saved.id().toUpperCase(java.util.Locale.ROOT))).isFalse();
        assertThat(recorded.deleteFamily("not a family")).isZero();
        assertThat(calls).isEmpty();
        assertThat(store.find(saved.id())).contains(saved.usedAt(T0.plusSeconds(1)).asConsumed());
    }

    @Test
    void savingANewRecord_isOneInsertWithoutATransaction_andReplacingOneStillWorks() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        SessionStore recorded = JdbcSessionStore.builder(DataSources.recording(database().dataSource(), calls))
                .migrate(false).build();
        calls.clear();
        SessionRecord fresh = record(alice).build();

        recorded.save(fresh);

        assertThat(calls).singleElement().asString().startsWith("prepareStatement INSERT INTO gh_sessions ");
        assertThat(store.find(fresh.id())).contains(fresh);

        // The id is taken: the insert fails on the primary key, and the record is replaced.
        SessionRecord replacement = record(alice).id(fresh.id()).kind(SessionKind.REFRESH_TOKEN).generation(3)
                .lastUsedAt(T0.plusSeconds(5)).build();
        recorded.save(replacement);
        assertThat(store.find(fresh.id())).contains(replacement);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_sessions WHERE user_id = " + alice))
                .isEqualTo(1);
    }

    @Test
    void writes_areCommitted_alsoOnConnectionsHandedOutWithoutAutoCommit() {
        SessionRecord saved = record(alice).kind(SessionKind.REFRESH_TOKEN).lastUsedAt(T0).save();
        SessionStore manual = JdbcSessionStore.builder(DataSources.withoutAutoCommit(database().dataSource()))
                .migrate(false).build();

        manual.touch(saved.id(), T0.plusSeconds(1));
        assertThat(manual.consume(saved.id())).isTrue();
        SessionRecord other = record(alice).build();
        manual.save(other);

        // Read through the ordinary store: only committed changes are visible there.
        assertThat(store.find(saved.id())).contains(saved.usedAt(T0.plusSeconds(1)).asConsumed());
        assertThat(store.find(other.id())).contains(other);
        assertThat(manual.deleteFamily(other.familyId())).isEqualTo(1);
        assertThat(store.find(other.id())).isEmpty();
    }

    @Test
    void instants_areCutToMicroseconds_neverRounded() {
        // Rounding .999999999 would carry into the next second.
        Instant lastNanos = Instant.parse("2024-05-01T12:34:56.999999999Z");
        SessionRecord saved = record(alice).createdAt(lastNanos).lastUsedAt(T0).expiresAt(T0.plusSeconds(60)).save();

        assertThat(store.find(saved.id()).orElseThrow().createdAt()).isEqualTo(Instant.parse("2024-05-01T12:34:56.999999Z"));
        // 999 ns past the stored microsecond is not later once cut; rounded, it would be.
        store.touch(saved.id(), T0.plusNanos(999));
        assertThat(store.find(saved.id()).orElseThrow().lastUsedAt()).isEqualTo(T0);
        // 1 ns before expiry is not expiry, though rounding would make it so.
        assertThat(store.deleteExpired(T0.plusSeconds(60).minusNanos(1))).isZero();
        assertThat(store.deleteExpired(T0.plusSeconds(60))).isEqualTo(1);
    }

    @Test
    void transientFailures_areRetried_untilTheyStop() {
        SessionRecord saved = record(alice).kind(SessionKind.REFRESH_TOKEN).save();
        int[] failures = {2};
        SessionStore flaky = JdbcSessionStore.builder(DataSources.failing(database().dataSource(),
                sql -> sql.startsWith("UPDATE gh_sessions SET consumed") && failures[0]-- > 0,
                () -> new SQLException("deadlock found", "40001", 1213))).migrate(false).build();

        assertThat(flaky.consume(saved.id())).isTrue();

        assertThat(failures[0]).isNegative();
        assertThat(store.consume(saved.id())).isFalse();
    }

    @Test
    void storeFailures_doNotRevealSessionIdsOrStamps() {
        SessionRecord doomed = record(alice).build();
        SessionStore failing = JdbcSessionStore.builder(DataSources.failing(database().dataSource(),
                sql -> sql.startsWith("INSERT INTO gh_sessions") || sql.startsWith("SELECT "),
                () -> new SQLException("Data truncation: value '" + doomed.id() + "' / '" + doomed.securityStamp() + "'",
                        "22001", 1406))).migrate(false).build();

        for (Throwable failure : List.of(catchThrowable(() -> failing.save(doomed)),
                catchThrowable(() -> failing.find(doomed.id())))) {
            assertThat(failure).isInstanceOf(StoreException.class);
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(doomed.id()).doesNotContain(doomed.securityStamp())
                    .contains("SQLState 22001", "withheld");
        }
        assertThat(store.find(doomed.id())).isEmpty();
    }
}
