package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.Role;
import dev.gatehouse.user.StoreException;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import dev.gatehouse.user.UserStoreContract;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link UserStoreContract} against {@link JdbcUserStore} on one database, plus what only a SQL
 * store has: schema and migrations, time zones, transactions, redacted errors, the pool. A
 * subclass per database supplies the per-run {@link TestDatabase} and a few vendor SQL snippets.
 */
abstract class JdbcUserStoreContract extends UserStoreContract {

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    /** SQL rendering {@code created_at} of the user with id {@code ?} as UTC {@code yyyy-MM-dd HH:mm:ss.ffffff}. */
    protected abstract String createdAtAsUtcTextSql();

    /** SQL setting the session time zone far east ({@code east}) or far west of UTC. */
    protected abstract String sessionTimeZoneSql(boolean east);

    @Override
    protected UserStore newStore(Clock clock) {
        // One database per test class; each test starts from empty tables. Cascades clear the rest.
        execute(database().dataSource(), "DELETE FROM gh_users");
        execute(database().dataSource(), "DELETE FROM gh_roles");
        return JdbcUserStore.builder(database().dataSource()).clock(clock).migrate(false).build();
    }

    // ================================================================ schema

    @Test
    void migrations_areIdempotent_andStatusReportsThemApplied() {
        JdbcSchema schema = JdbcSchema.of(database().dataSource());

        assertThat(schema.migrate()).isZero();
        assertThat(schema.migrate()).isZero();

        List<SchemaMigration> status = schema.status();
        assertThat(status).isNotEmpty().allSatisfy(m -> assertThat(m.applied()).isTrue());
        assertThat(status).anySatisfy(m -> {
            assertThat(m.version()).isEqualTo("1");
            assertThat(m.state()).isEqualTo("Success");
            assertThat(m.description()).isEqualTo("users and roles");
            assertThat(m.installedOn()).isPresent();
        });
        assertThat(schema.currentVersion()).contains(TestSql.LATEST);
        assertThat(schema.hasPendingMigrations()).isFalse();
        // Creating a store migrates by default: also a no-op now.
        assertThat(JdbcUserStore.create(database().dataSource()).listRoles()).isEmpty();
    }

    @Test
    void schemaHistory_isKeptInGatehousesOwnTable() throws SQLException {
        List<String> tables = tableNames();

        assertThat(tables).contains(JdbcSchema.HISTORY_TABLE, "gh_users", "gh_roles", "gh_role_permissions",
                "gh_user_roles", "gh_user_attributes", "gh_sessions");
        assertThat(tables).doesNotContain("flyway_schema_history");
    }

    @Test
    void everyLookupHasAnIndex_andUniquenessIsEnforcedByUniqueIndexes() throws SQLException {
        assertThat(indexedColumns("gh_users", true)).contains("id", "email_key", "username_key", "security_stamp");
        assertThat(indexedColumns("gh_users", false)).contains("active");
        assertThat(indexedColumns("gh_roles", true)).contains("id", "name");
        assertThat(indexedColumns("gh_user_roles", true)).contains("user_id");
        assertThat(indexedColumns("gh_user_roles", false)).contains("role_id");
        assertThat(indexedColumns("gh_role_permissions", true)).contains("role_id");
        assertThat(indexedColumns("gh_user_attributes", true)).contains("user_id");
    }

    @Test
    void uniqueKeysHoldEvenAgainstDirectSql() {
        User alice = store.createUser(NewUser.builder("alice@example.com").build());

        assertThatThrownBy(() -> execute(database().dataSource(), "INSERT INTO gh_users (email, email_key, active,"
                + " security_stamp, created_at, login_count) VALUES ('x@example.com', 'alice@example.com', "
                + booleanLiteral(true) + ", 'abcdefghijklmnopqrstuvwxyz0123456789', " + "CURRENT_TIMESTAMP, 0)"))
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> execute(database().dataSource(), "INSERT INTO gh_users (email, email_key, active,"
                + " security_stamp, created_at, login_count) VALUES ('y@example.com', 'y@example.com', "
                + booleanLiteral(true) + ", '" + alice.securityStamp() + "', CURRENT_TIMESTAMP, 0)"))
                .hasCauseInstanceOf(SQLException.class);
        assertThat(count("SELECT COUNT(*) FROM gh_users")).isEqualTo(1);
    }

    // ================================================================ stored values

    @Test
    void instants_roundTripExactly_whateverTheJvmAndSessionTimeZones() throws Exception {
        // 02:30 UTC on this day does not exist as a local time in Berlin (daylight saving gap), so a
        // driver that converted through the JVM zone would shift it by an hour.
        Instant created = Instant.parse("2024-03-31T02:30:00.123456Z");
        Instant confirmed = Instant.parse("2100-02-28T23:59:59.999999Z");
        Instant login = Instant.parse("2038-01-19T03:14:08.000001Z");
        TimeZone original = TimeZone.getDefault();
        long id;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
            try (JdbcDatabase writer = JdbcDatabase.connect(database().url(), database().user(), database().password(), 2)) {
                UserStore berlin = JdbcUserStore.builder(DataSources.withSession(writer.dataSource(), sessionTimeZoneSql(true)))
                        .clock(Clock.fixed(created, ZoneOffset.UTC)).migrate(false).build();
                id = berlin.createUser(NewUser.builder("tz@example.com").confirmedAt(confirmed).build()).id();
                berlin.recordLogin(id, login, Optional.empty());
            }

            TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
            try (JdbcDatabase reader = JdbcDatabase.connect(database().url(), database().user(), database().password(), 2)) {
                UserStore stJohns = JdbcUserStore.builder(DataSources.withSession(reader.dataSource(), sessionTimeZoneSql(false)))
                        .migrate(false).build();
                User user = stJohns.findUserById(id).orElseThrow();

                assertThat(user.createdAt()).isEqualTo(created);
                assertThat(user.confirmedAt()).contains(confirmed);
                assertThat(user.currentLoginAt()).contains(login);
                try (Connection c = DataSources.withSession(reader.dataSource(), sessionTimeZoneSql(false)).getConnection();
                     PreparedStatement select = c.prepareStatement(createdAtAsUtcTextSql())) {
                    select.setLong(1, id);
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                        assertThat(rows.getString(1)).as("the database holds the UTC time")
                                .isEqualTo("2024-03-31 02:30:00.123456");
                    }
                }
            }
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void textIsStoredExactly_includingFourByteCharactersAndCaseDistinctKeys() {
        store.createRole("Ǆ");
        store.createRole("ǅ");
        User user = store.createUser(NewUser.builder("𝒜𝓁𝒾𝒸ℯ@example.com").username("𝔟𝔬𝔟")
                .attribute("emoji", "👩🏽‍💻 𝄞").roles("ǅ").build());

        // NFKC turns mathematical letters into plain ones: the key is the plain address.
        assertThat(store.findUserByEmail("alice@example.com")).contains(user);
        assertThat(store.findUserByUsername("BOB")).contains(user);
        assertThat(user.attribute("emoji")).contains("👩🏽‍💻 𝄞");
        assertThat(user.roleNames()).containsExactly("ǅ");
        assertThat(store.listRoles()).extracting(Role::name).containsExactly("Ǆ", "ǅ");
    }

    // ================================================================ round trips

    @Test
    void aUserIsFoundWithItsRolesAndAttributesInOneStatementWithoutATransaction() {
        // Sign-in reads the user by address: on an auto-commit connection (how pools hand them out)
        // the read should not add BEGIN, SET TRANSACTION and COMMIT round trips, nor one per part.
        store.createRole(new Role("editor", "Edits posts", Set.of("post:edit", "post:read", "post:delete")));
        store.createRole(new Role("viewer", "", Set.of("post:read")));
        store.createRole("plain");
        User user = store.createUser(NewUser.builder("whole@example.com").username("whole")
                .roles("editor", "viewer", "plain")
                .attribute("zeta", "last letter").attribute("alpha", "first").attribute("mu", "").build());
        User bare = store.createUser(NewUser.builder("bare@example.com").build());
        List<String> calls = new ArrayList<>();
        UserStore recorded = JdbcUserStore.builder(DataSources.recording(database().dataSource(), calls))
                .clock(clock).migrate(false).build();

        assertThat(recorded.findUserByEmail("WHOLE@example.com")).contains(user);
        assertThat(recorded.findUserById(user.id())).contains(user);
        assertThat(recorded.findUserByUsername("whole")).contains(user);
        assertThat(recorded.findUserBySecurityStamp(user.securityStamp())).contains(user);
        assertThat(recorded.findUserByEmail("bare@example.com")).contains(bare);
        assertThat(recorded.findUserByEmail("nobody@example.com")).isEmpty();

        assertThat(calls).hasSize(6).allSatisfy(call -> assertThat(call).startsWith("prepareStatement "));
        User found = recorded.findUserByEmail("whole@example.com").orElseThrow();
        assertThat(found.attributes().keySet()).containsExactly("zeta", "alpha", "mu");
        assertThat(found.roles()).containsExactlyInAnyOrder(
                new Role("editor", "Edits posts", Set.of("post:edit", "post:read", "post:delete")),
                new Role("viewer", "", Set.of("post:read")), Role.named("plain"));
        assertThat(bare.roles()).isEmpty();
        assertThat(bare.attributes()).isEmpty();
    }

    @Test
    void recordingALoginReadsTheUserBackInOneStatement() {
        store.createRole(new Role("editor", "Edits posts", Set.of("post:edit")));
        User user = store.createUser(NewUser.builder("login@example.com").roles("editor").attribute("a", "1").build());
        List<String> calls = new ArrayList<>();
        UserStore recorded = JdbcUserStore.builder(DataSources.recording(database().dataSource(), calls))
                .clock(clock).migrate(false).build();

        User after = recorded.recordLogin(user.id(), clock.instant(), Optional.of("192.0.2.7"));

        assertThat(after.loginCount()).isEqualTo(1);
        assertThat(after.roles()).isEqualTo(user.roles());
        assertThat(after.attributes()).isEqualTo(user.attributes());
        assertThat(store.findUserById(user.id())).contains(after);
        // The login's UPDATE, the change-log INSERT, the read: three statements in one transaction.
        assertThat(calls).filteredOn(call -> call.startsWith("prepareStatement ")).hasSize(3);
        assertThat(calls).contains("commit");
    }

    // ================================================================ transactions

    @Test
    void aCreateUserFailingAfterItsFirstInserts_leavesNoRowsBehind() {
        store.createRole("reader");
        UserStore failing = storeFailingOn("INSERT INTO gh_user_attributes", "08006");

        assertThatThrownBy(() -> failing.createUser(NewUser.builder("half@example.com").username("half")
                .roles("reader").attribute("a", "1").build()))
                .isInstanceOf(StoreException.class);

        assertThat(count("SELECT COUNT(*) FROM gh_users")).isZero();
        assertThat(count("SELECT COUNT(*) FROM gh_user_roles")).isZero();
        assertThat(count("SELECT COUNT(*) FROM gh_user_attributes")).isZero();
        assertThat(store.createUser(NewUser.builder("half@example.com").username("half").build()).email())
                .isEqualTo("half@example.com");
    }

    @Test
    void anUpdateUserFailingHalfway_leavesTheOldRowsIntact() {
        store.createRole("old");
        store.createRole("new");
        User user = store.createUser(NewUser.builder("intact@example.com").username("intact").roles("old")
                .attribute("a", "1").attribute("b", "2").build());
        UserStore failing = storeFailingOn("INSERT INTO gh_user_attributes", "08006");

        assertThatThrownBy(() -> failing.updateUser(user.toBuilder().email("changed@example.com").username(null)
                .active(false).roles(Set.of(Role.named("new"))).attributes(java.util.Map.of("c", "3")).build()))
                .isInstanceOf(StoreException.class);

        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(count("SELECT COUNT(*) FROM gh_user_roles")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM gh_user_attributes")).isEqualTo(2);
    }

    @Test
    void aFailedUpdateRole_keepsItsPermissions() {
        store.createRole(new Role("editor", "Edits", Set.of("post:edit")));
        UserStore failing = storeFailingOn("INSERT INTO gh_role_permissions", "08006");

        assertThatThrownBy(() -> failing.updateRole(new Role("editor", "Changed", Set.of("post:publish"))))
                .isInstanceOf(StoreException.class);

        assertThat(store.findRole("editor")).contains(new Role("editor", "Edits", Set.of("post:edit")));
    }

    @Test
    void deleteUser_leavesNoOrphanRows() {
        store.createRole(new Role("r", "", Set.of("p")));
        User user = store.createUser(NewUser.builder("orphan@example.com").roles("r").attribute("a", "1").build());

        store.deleteUser(user.id());

        assertThat(count("SELECT COUNT(*) FROM gh_user_roles")).isZero();
        assertThat(count("SELECT COUNT(*) FROM gh_user_attributes")).isZero();
        assertThat(count("SELECT COUNT(*) FROM gh_role_permissions")).isEqualTo(1);
        store.deleteRole("r");
        assertThat(count("SELECT COUNT(*) FROM gh_role_permissions")).isZero();
    }

    @Test
    void transientFailuresAreRetried_untilTheyStop() {
        int[] failures = {2};
        UserStore flaky = JdbcUserStore.builder(DataSources.failing(database().dataSource(),
                sql -> sql.startsWith("INSERT INTO gh_users") && failures[0]-- > 0,
                () -> new SQLException("deadlock found", "40001", 1213))).migrate(false).build();

        User user = flaky.createUser(NewUser.builder("retry@example.com").build());

        assertThat(failures[0]).isNegative();
        assertThat(store.findUserById(user.id())).contains(user);
        assertThat(count("SELECT COUNT(*) FROM gh_users")).isEqualTo(1);
    }

    // ================================================================ errors and the pool

    @Test
    void storeFailures_doNotRevealStoredValues() {
        String stamp = "leakleakleakleakleakleakleakleak";
        UserStore failing = JdbcUserStore.builder(DataSources.failing(database().dataSource(),
                sql -> sql.startsWith("INSERT INTO gh_users"),
                () -> new SQLException("Data truncation: value '" + HASH + "' / '" + stamp + "' too long", "22001", 1406,
                        new SQLException("nested: " + HASH, "HY000")))).migrate(false).build();

        StoreException failure = (StoreException) org.assertj.core.api.Assertions.catchThrowable(() -> failing.createUser(
                NewUser.builder("secret@example.com").passwordHash(HASH).securityStamp(stamp).build()));

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(HASH).doesNotContain(stamp).doesNotContain("Data truncation")
                .contains("SQLState 22001", "java.sql.SQLException", "withheld");
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("22001");
        assertThat(failure.code()).isEqualTo("STORE_FAILURE");
    }

    @Test
    void close_closesThePool() throws SQLException {
        JdbcDatabase own = JdbcDatabase.connect(database().url(), database().user(), database().password(), 2);
        UserStore ownStore = JdbcUserStore.builder(own.dataSource()).migrate(false).build();
        ownStore.createUser(NewUser.builder("pooled@example.com").build());
        assertThat(own.isClosed()).isFalse();

        own.close();

        assertThat(own.isClosed()).isTrue();
        assertThatThrownBy(() -> own.dataSource().getConnection()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> ownStore.findUserByEmail("pooled@example.com")).isInstanceOf(StoreException.class);
        own.close();
        assertThat(store.findUserByEmail("pooled@example.com")).isPresent();
    }

    // ================================================================ helpers

    private UserStore storeFailingOn(String sqlPrefix, String sqlState) {
        return JdbcUserStore.builder(DataSources.failing(database().dataSource(), sql -> sql.startsWith(sqlPrefix),
                () -> new SQLException("connection reset (staged)", sqlState))).clock(clock).migrate(false).build();
    }

    /** How a boolean is written in a SQL literal here. */
    private String booleanLiteral(boolean value) {
        return database().vendor() == TestDatabase.Vendor.MARIADB ? (value ? "1" : "0") : String.valueOf(value).toUpperCase(Locale.ROOT);
    }

    protected long count(String sql) {
        return TestSql.count(database().dataSource(), sql);
    }

    protected static void execute(DataSource dataSource, String sql) {
        TestSql.execute(dataSource, sql);
    }

    private List<String> tableNames() throws SQLException {
        return TestSql.tableNames(database().dataSource());
    }

    private List<String> indexedColumns(String table, boolean unique) throws SQLException {
        return TestSql.indexedColumns(database().dataSource(), table, unique);
    }
}
