package dev.gatehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.twofactor.SecondFactorStore;
import dev.gatehouse.twofactor.SecondFactorStoreContract;
import dev.gatehouse.user.NewUser;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SecondFactorStoreContract} against {@link JdbcSecondFactorStore} on one database, plus the
 * cascade through {@code gh_users}' foreign key. A subclass per database supplies the database.
 */
abstract class JdbcSecondFactorStoreContract extends SecondFactorStoreContract {

    private JdbcUserStore users;
    private int usersCreated;

    /** The per-run database, with Gatehouse's schema migrated. */
    protected abstract TestDatabase database();

    @Override
    protected SecondFactorStore newStore() {
        DataSource dataSource = database().dataSource();
        TestSql.execute(dataSource, "DELETE FROM gh_recovery_codes");
        TestSql.execute(dataSource, "DELETE FROM gh_second_factors");
        TestSql.execute(dataSource, "DELETE FROM gh_users");
        users = JdbcUserStore.builder(dataSource).migrate(false).build();
        return JdbcSecondFactorStore.create(dataSource, false);
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
        store.save(full(alice));
        store.save(full(bob));

        users.deleteUser(alice);

        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_second_factors")).isEqualTo(1);
        assertThat(TestSql.count(database().dataSource(), "SELECT COUNT(*) FROM gh_recovery_codes")).isEqualTo(2);
    }

    @Test
    void theTables_cascadeFromUsers() throws java.sql.SQLException {
        DataSource dataSource = database().dataSource();

        assertThat(TestSql.primaryKey(dataSource, "gh_second_factors")).containsExactly("user_id");
        assertThat(TestSql.foreignKeys(dataSource, "gh_second_factors")).containsExactly("user_id->gh_users.id ON DELETE CASCADE");
        assertThat(TestSql.foreignKeys(dataSource, "gh_recovery_codes"))
                .containsExactly("user_id->gh_second_factors.user_id ON DELETE CASCADE");
    }

    @Test
    void secretsAndCodes_areStoredAsGiven_sealedAndDigested() {
        store.save(full(alice));

        assertThat(TestSql.count(database().dataSource(),
                "SELECT COUNT(*) FROM gh_second_factors WHERE totp_secret = '" + SEALED + "'")).isEqualTo(1);
        assertThat(TestSql.count(database().dataSource(),
                "SELECT COUNT(*) FROM gh_recovery_codes WHERE digest = '" + DIGEST_A + "'")).isEqualTo(1);
    }
}
