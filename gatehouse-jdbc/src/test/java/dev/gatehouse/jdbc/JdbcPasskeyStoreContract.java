package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.PasskeyStore;
import dev.gatehouse.user.PasskeyStoreContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link PasskeyStoreContract} against {@link JdbcPasskeyStore} on one database, plus the
 * cascade through {@code gh_users}' foreign key. A subclass per database supplies the database.
 */
abstract class JdbcPasskeyStoreContract extends PasskeyStoreContract {

    private JdbcUserStore users;
    private int usersCreated;

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    @Override
    protected PasskeyStore newStore() {
        DataSource dataSource = database().dataSource();
        TestSql.execute(dataSource, "DELETE FROM gh_passkeys");
        TestSql.execute(dataSource, "DELETE FROM gh_passkey_users");
        TestSql.execute(dataSource, "DELETE FROM gh_users");
        users = JdbcUserStore.builder(dataSource).migrate(false).build();
        return JdbcPasskeyStore.create(dataSource, false);
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
    void deletingAUser_deletesTheirRows_throughTheForeignKeys() {
        store.userHandle(alice);
        store.userHandle(bob);
        store.add(passkey(alice, "YQ", "a", T0));
        store.add(passkey(bob, "Yg", "b", T0));

        users.deleteUser(alice);

        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_passkeys")).isEqualTo(1);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_passkey_users")).isEqualTo(1);
    }

    @Test
    void theTables_cascadeFromUsers() throws java.sql.SQLException {
        DataSource dataSource = database().dataSource();

        assertThat(TestSql.primaryKey(dataSource, "gh_passkeys")).containsExactly("credential_id");
        assertThat(TestSql.foreignKeys(dataSource, "gh_passkeys")).containsExactly("user_id->gh_users.id ON DELETE CASCADE");
        assertThat(TestSql.foreignKeys(dataSource, "gh_passkey_users"))
                .containsExactly("user_id->gh_users.id ON DELETE CASCADE");
    }
}
