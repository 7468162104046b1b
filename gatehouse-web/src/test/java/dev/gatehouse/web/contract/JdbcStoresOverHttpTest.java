package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.JdbcSessionStore;
import dev.gatehouse.jdbc.JdbcUserStore;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.session.SessionFamilies;
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
@HttpContract
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

        /** A node as deployed: JDBC stores, users cached in memory, the change log polled. */
        private TestApp node() {
            return node(true);
        }

        private TestApp node(boolean userCache) {
            return new TestApp(c -> c.set(TOKEN_MAX_AGE, Duration.ofMinutes(15)), WebOptions.defaults(), parts -> parts
                    .store(JdbcUserStore.builder(database().dataSource()).changePollInterval(Duration.ofMillis(50)).build())
                    .sessionStore(JdbcSessionStore.create(database().dataSource()))
                    .userCache(userCache));
        }

        /** Asks until the answer is {@code expected}; the other node's cache hears of changes by polling. */
        private static int eventually(int expected, java.util.function.IntSupplier status) throws InterruptedException {
            int last = status.getAsInt();
            for (int i = 0; i < 100 && last != expected; i++) {
                Thread.sleep(50);
                last = status.getAsInt();
            }
            return last;
        }

        @Test
        void a_session_started_on_one_node_authenticates_on_another_until_its_logout_reaches_it() {
            User user = node1.newUser("jdbc-session");
            HttpClientSession browser = node1.signedIn(user, Map.of("remember", true));
            HttpClientSession sameBrowserOnNode2 = new HttpClientSession(node2.port());
            sameBrowserOnNode2.cookies.putAll(browser.cookies);
            HttpClientSession stolenCopyOnNode1 = new HttpClientSession(node1.port());
            stolenCopyOnNode1.cookies.putAll(browser.cookies);

            assertThat(sameBrowserOnNode2.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
            assertThat(stolenCopyOnNode1.getJson("/api/me").status()).isEqualTo(200);

            String csrf = browser.getJson("/login").json().path("response").path("csrf_token").asText();
            assertThat(browser.postJson("/logout", Map.of(), "X-CSRF-Token", csrf).status()).isEqualTo(200);
            assertThat(stolenCopyOnNode1.getJson("/api/me").status()).as("the node that logged out, at once").isEqualTo(401);
            // Node 2 read the session a moment ago and reuses that answer for SessionFamilies.CACHE_FOR
            // (its test clock stands still until told).
            assertThat(sameBrowserOnNode2.getJson("/api/me").status()).as("node 2, within the cache time").isEqualTo(200);
            node2.t.clock.advance(SessionFamilies.CACHE_FOR);
            assertThat(sameBrowserOnNode2.getJson("/api/me").status()).as("the session row is gone").isEqualTo(401);
        }

        @Test
        void deactivation_on_one_node_ends_sessions_and_tokens_on_the_other_once_its_cache_hears_of_it() throws Exception {
            User user = node1.newUser("jdbc-deactivate");
            HttpClientSession browser = node1.signedIn(user);
            String token = node1.client().loginForToken(user.email(), TestApp.PASSWORD);
            HttpClientSession onNode2 = new HttpClientSession(node2.port());
            onNode2.cookies.putAll(browser.cookies);
            assertThat(onNode2.getJson("/api/me").status()).as("node 2 has the user cached now").isEqualTo(200);

            node1.gatehouse.users().deactivate(user.id());

            assertThat(browser.getJson("/api/me").status()).as("the node that made the change knows at once").isEqualTo(401);
            // (Node 1 deleted the session row when it saw the user inactive, so the session fails
            // on node 2 at once; the token shows node 2's cache learning of the change.)
            assertThat(eventually(401, () -> onNode2.getJson("/api/me").status())).isEqualTo(401);
            assertThat(eventually(401, () -> node2.client().getJson("/api/me", "Authentication-Token", token).status()))
                    .isEqualTo(401);
        }

        @Test
        void a_change_made_by_another_process_reaches_the_cache_through_the_change_log() throws Exception {
            User user = node1.newUser("jdbc-cli");
            HttpClientSession browser = node1.signedIn(user);
            assertThat(browser.getJson("/api/me").status()).isEqualTo(200);

            // What the command-line tool does: its own store on the same database, no cache.
            JdbcUserStore.create(database().dataSource()).rotateSecurityStamp(user.id());

            assertThat(eventually(401, () -> browser.getJson("/api/me").status())).isEqualTo(401);
        }

        @Test
        void without_the_user_cache_a_change_on_one_node_counts_on_the_next_request_of_every_node() {
            try (TestApp strict1 = node(false); TestApp strict2 = node(false)) {
                User user = strict1.newUser("jdbc-strict");
                HttpClientSession browser = strict1.signedIn(user);
                HttpClientSession onNode2 = new HttpClientSession(strict2.port());
                onNode2.cookies.putAll(browser.cookies);
                assertThat(onNode2.getJson("/api/me").status()).isEqualTo(200);

                strict1.gatehouse.users().deactivate(user.id());

                assertThat(onNode2.getJson("/api/me").status()).isEqualTo(401);
            }
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
