package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.session.SessionData;
import dev.gatehouse.session.SessionDataStore;
import dev.gatehouse.session.SessionDataStoreContract;
import dev.gatehouse.session.SessionRecord;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.NoSuchUserException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionDataStoreContract} against {@link JdbcSessionDataStore} on one database, plus the
 * foreign key to {@code gh_users}. A subclass per database supplies the per-run {@link TestDatabase}.
 */
abstract class JdbcSessionDataStoreContract extends SessionDataStoreContract {

    private JdbcUserStore users;
    private int usersCreated;

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    @Override
    protected SessionDataStore newStore() {
        DataSource dataSource = database().dataSource();
        TestSql.execute(dataSource, "DELETE FROM gh_session_data");
        TestSql.execute(dataSource, "DELETE FROM gh_users");
        users = JdbcUserStore.builder(dataSource).migrate(false).build();
        return JdbcSessionDataStore.create(dataSource, false);
    }

    @Override
    protected long newUser() {
        // The table references gh_users, so every value needs a real user row.
        return users.createUser(NewUser.builder("user" + ++usersCreated + "@example.com").build()).id();
    }

    @Test
    void theTable_isKeyedByFamilyAndName_indexedForTheBulkDeletes_andCascadesFromUsers() throws java.sql.SQLException {
        DataSource dataSource = database().dataSource();

        assertThat(TestSql.primaryKey(dataSource, "gh_session_data")).containsExactly("family_id", "name");
        assertThat(TestSql.indexedColumns(dataSource, "gh_session_data", false)).contains("user_id", "expires_at");
        assertThat(TestSql.foreignKeys(dataSource, "gh_session_data"))
                .containsExactly("user_id->gh_users.id ON DELETE CASCADE");
    }

    @Test
    void deletingAUser_deletesTheirValues() {
        String family = SessionRecord.newFamilyId();
        store.put(new SessionData(family, "a", alice, "s1.x", T0));
        SessionData bobs = new SessionData(SessionRecord.newFamilyId(), "a", bob, "s1.y", T0);
        store.put(bobs);

        users.deleteUser(alice);

        assertThat(store.find(family, "a")).isEmpty();
        assertThat(store.find(bobs.familyId(), "a")).contains(bobs);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_session_data")).isEqualTo(1);
    }

    @Test
    void put_forAUserWithoutARow_throwsNoSuchUser_andWritesNothing() {
        users.deleteUser(bob);
        String family = SessionRecord.newFamilyId();

        assertThatThrownBy(() -> store.put(new SessionData(family, "a", bob, "s1.x", T0)))
                .isInstanceOf(NoSuchUserException.class);

        assertThat(store.find(family, "a")).isEmpty();
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_session_data")).isZero();
    }
}
