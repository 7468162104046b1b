package dev.gatehouse.jdbc;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.session.SessionData;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcStores}: one call migrates a database that has no Gatehouse schema yet and wires
 * every store on it, so users, sessions, counters, outbox, audit log, external identities and
 * session data all land in its tables.
 */
abstract class JdbcStoresContract {

    private static final ClientInfo CLIENT = ClientInfo.of("198.51.100.7", "JUnit/5");
    private static final String PASSWORD = "correct horse battery";

    /** A database without Gatehouse's schema. */
    protected abstract TestDatabase database();

    @Test
    void one_call_migrates_once_and_puts_every_store_on_the_database() {
        DataSource ds = database().dataSource();

        JdbcStores stores = JdbcStores.create(ds);
        assertThat(JdbcSchema.of(ds).migrate()).as("nothing left to migrate").isZero();
        assertThat(JdbcStores.create(ds).users()).isNotSameAs(stores.users());

        try (Gatehouse gatehouse = Gatehouse.builder()
                .passwordHasher(TestGatehouse.CHEAP_HASHER)
                .stores(stores)
                .config(c -> c.set(Settings.SECRET, Secret.of(TestGatehouse.SECRET)).set(REGISTERABLE, true)
                        .set(CONFIRMABLE, true).set(EXTERNAL_URL, "https://app.example.com"))
                .build()) {
            gatehouse.registration().register(Registration.builder("alice@example.com", PASSWORD).build(), CLIENT);
            gatehouse.signIn().signIn("alice@example.com", "wrong password", CLIENT);
            User alice = gatehouse.users().findUserByEmail("alice@example.com").orElseThrow();
            gatehouse.externalIdentities().link(ExternalIdentity.linked(alice.id(), "keycloak", "https://idp.example.com",
                    "f81d4fae", Optional.of("alice@example.com"), gatehouse.clock().instant()));
            IssuedSession ended = gatehouse.sessions().start(alice, false, Optional.empty(), CLIENT);
            IssuedSession kept = gatehouse.sessions().start(alice, false, Optional.empty(), CLIENT);
            for (IssuedSession session : java.util.List.of(ended, kept)) {
                gatehouse.sessionData().put(new SessionData(session.record().familyId(), "oidc:tokens", alice.id(), "s1.x",
                        gatehouse.clock().instant().plus(Duration.ofHours(1))));
            }
            assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_session_data")).isEqualTo(2);

            gatehouse.sessions().end(ended.record());
            assertThat(gatehouse.sessionData().find(ended.record().familyId(), "oidc:tokens")).as("logout").isEmpty();
        }

        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_users")).isEqualTo(1);
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_mail_outbox")).as("confirmation mail").isEqualTo(1);
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_counters")).as("rate limits and failures").isPositive();
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_audit_events")).isPositive();
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_external_identities")).isEqualTo(1);
        assertThat(TestSql.count(ds, "SELECT COUNT(*) FROM gh_session_data")).as("the other sign-in's").isEqualTo(1);
        assertThat(stores.sessions()).isSameAs(stores.sessions());
        assertThat(stores.externalIdentities()).isSameAs(stores.externalIdentities());
        assertThat(stores.sessionData()).isSameAs(stores.sessionData());
    }

    @Test
    void without_migration_uses_a_schema_migrated_before() {
        DataSource ds = database().dataSource();
        JdbcStores.create(ds);

        JdbcStores stores = JdbcStores.withoutMigration(ds);

        assertThat(stores.users().findUserByEmail("nobody@example.com")).isEmpty();
        assertThat(stores.counters()).isNotNull();
    }
}
