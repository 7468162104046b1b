package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.ExternalIdentityStoreContract;
import dev.gatehouse.user.NewUser;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link ExternalIdentityStoreContract} against {@link JdbcExternalIdentityStore} on one database,
 * plus what only the SQL store has: the cascade through {@code gh_users}' foreign key and the
 * unique key under plain SQL. A subclass per database supplies the per-run {@link TestDatabase}.
 */
abstract class JdbcExternalIdentityStoreContract extends ExternalIdentityStoreContract {

    private JdbcUserStore users;
    private int usersCreated;

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    @Override
    protected ExternalIdentityStore newStore() {
        DataSource dataSource = database().dataSource();
        TestSql.execute(dataSource, "DELETE FROM gh_external_identities");
        TestSql.execute(dataSource, "DELETE FROM gh_users");
        // No cache in front: deleting a user must be seen by the next query at once.
        users = JdbcUserStore.builder(dataSource).migrate(false).build();
        return JdbcExternalIdentityStore.create(dataSource, false);
    }

    @Override
    protected long newUser() {
        return users.createUser(NewUser.builder("user" + ++usersCreated + "@example.com").build()).id();
    }

    @Override
    protected void deleteUser(long userId) {
        users.deleteUser(userId);
    }

    @Test
    void deletingAUser_deletesTheirRows_throughTheForeignKey() {
        store.link(ExternalIdentity.linked(alice, "keycloak", KEYCLOAK, "alice", Optional.empty(), T0));
        store.link(ExternalIdentity.linked(bob, "keycloak", KEYCLOAK, "bob", Optional.empty(), T0));

        users.deleteUser(alice);

        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_external_identities")).isEqualTo(1);
    }

    @Test
    void theTable_isUniqueOnTheKey_indexedByUser_andCascadesFromUsers() throws java.sql.SQLException {
        DataSource dataSource = database().dataSource();

        assertThat(TestSql.primaryKey(dataSource, "gh_external_identities")).containsExactly("id");
        // Leading columns only: the unique key is (issuer, subject); the other-way uniqueness is shown by the tests above.
        assertThat(TestSql.indexedColumns(dataSource, "gh_external_identities", true)).contains("id", "issuer");
        assertThat(TestSql.indexedColumns(dataSource, "gh_external_identities", false)).contains("user_id");
        assertThat(TestSql.foreignKeys(dataSource, "gh_external_identities"))
                .containsExactly("user_id->gh_users.id ON DELETE CASCADE");
    }

    @Test
    void theDatabaseItself_refusesASecondRowWithTheSameKey() {
        store.link(ExternalIdentity.linked(alice, "keycloak", KEYCLOAK, "alice", Optional.empty(), T0));

        boolean refused;
        try {
            TestSql.execute(database().dataSource(), "INSERT INTO gh_external_identities (user_id, provider, issuer, subject,"
                    + " linked_at) SELECT user_id, provider, issuer, subject, linked_at FROM gh_external_identities");
            refused = false;
        } catch (IllegalStateException e) {
            refused = true;
        }

        assertThat(refused).as("unique (issuer, subject)").isTrue();
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_external_identities")).isEqualTo(1);
    }
}
