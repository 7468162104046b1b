package dev.gatehouse.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.JdbcSessionStore;
import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production arrangement: users and sessions in a real database behind the real endpoints.
 * What the in-memory tests prove must hold here too — including that another node (a second app
 * on the same database) sees a session, and that logout and deactivation reach it.
 */
class JdbcStoresOverHttpTest {

    abstract static class Scenarios {

        abstract TestDatabase database();

        private TestApp node1;
        private TestApp node2;

        @BeforeEach
        void start() {
            node1 = node();
            node2 = node();
        }

        @AfterEach
        void stop() {
            node1.close();
            node2.close();
        }

        private TestApp node() {
            return new TestApp(c -> c.tokenMaxAge(Duration.ofMinutes(15)), WebOptions.defaults(), parts -> parts
                    .store(JdbcUserStore.create(database().dataSource()))
                    .sessionStore(JdbcSessionStore.create(database().dataSource()))
                    .userCache(false));
        }

        @Test
        void a_session_started_on_one_node_authenticates_on_another_until_logout() {
            User user = node1.newUser("jdbc-session");
            HttpClientSession browser = node1.signedIn(user, Map.of("remember", true));
            HttpClientSession sameBrowserOnNode2 = new HttpClientSession(node2.port());
            sameBrowserOnNode2.cookies.putAll(browser.cookies);

            assertThat(sameBrowserOnNode2.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());

            String csrf = browser.getJson("/login").json().path("response").path("csrf_token").asText();
            assertThat(browser.postJson("/logout", Map.of(), "X-CSRF-Token", csrf).status()).isEqualTo(200);
            assertThat(sameBrowserOnNode2.getJson("/api/me").status()).as("the session row is gone").isEqualTo(401);
        }

        @Test
        void deactivation_on_one_node_ends_sessions_and_tokens_on_the_other_at_the_next_request() {
            User user = node1.newUser("jdbc-deactivate");
            HttpClientSession browser = node1.signedIn(user);
            String token = node1.client().loginForToken(user.email(), TestApp.PASSWORD);
            HttpClientSession onNode2 = new HttpClientSession(node2.port());
            onNode2.cookies.putAll(browser.cookies);
            assertThat(onNode2.getJson("/api/me").status()).isEqualTo(200);

            node1.gatehouse.users().deactivate(user.id());

            assertThat(onNode2.getJson("/api/me").status()).isEqualTo(401);
            assertThat(node2.client().getJson("/api/me", "Authentication-Token", token).status()).isEqualTo(401);
        }

        @Test
        void deleting_a_user_deletes_their_sessions() {
            User user = node1.newUser("jdbc-delete");
            node1.signedIn(user);
            assertThat(node1.gatehouse.sessions().store().listForUser(user.id())).isNotEmpty();

            node1.gatehouse.users().deleteUser(user.id());

            assertThat(node2.gatehouse.sessions().store().listForUser(user.id())).isEmpty();
        }
    }

    @Nested
    class OnH2 extends Scenarios {
        @RegisterExtension
        static final TestDatabase DATABASE = TestDatabase.h2();

        @Override
        TestDatabase database() {
            return DATABASE;
        }
    }

    @Nested
    class OnPostgres extends Scenarios {
        @RegisterExtension
        static final TestDatabase DATABASE = TestDatabase.postgres();

        @Override
        TestDatabase database() {
            return DATABASE;
        }
    }
}
