package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.jdbc.JdbcExternalIdentityStore;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.oidc.TestProvider;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserQuery;
import dev.gatehouse.user.UserStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gatehouse signin} through the real command line, against a real in-process provider with the device
 * grant ({@link TestProvider} from gatehouse-oidc's test jar: mock-oauth2-server whose token endpoint answers
 * what the test queues) configured only through {@code GATEHOUSE_OIDC_*} variables, and an H2 database.
 */
class SigninCommandTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    TestProvider idp;
    UserStore store;

    @BeforeEach
    void start() throws SQLException {
        try (Connection c = DATABASE.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM gh_users");
            s.executeUpdate("DELETE FROM gh_roles");
        }
        store = Databases.store(DATABASE);
        idp = new TestProvider();
        // One second between polls keeps the test short; the command still waits before every poll.
        idp.deviceInterval = 1;
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private Cli cli() {
        return Cli.on(Databases.url(DATABASE))
                .env("GATEHOUSE_OIDC_PROVIDERS", "corp")
                .env("GATEHOUSE_OIDC_CORP_ISSUER", idp.issuer("device").toString())
                .env("GATEHOUSE_OIDC_CORP_CLIENT_ID", TestProvider.CLIENT_ID)
                .env("GATEHOUSE_OIDC_CORP_CLIENT_SECRET", "a-client-secret")
                .env("GATEHOUSE_OIDC_CORP_DISPLAY_NAME", "Corp ID");
    }

    private void answers(String... answers) {
        synchronized (idp.deviceAnswers) {
            idp.deviceAnswers.addAll(List.of(answers));
        }
    }

    private User linkedOperator() {
        store.findOrCreateRole("Admin");
        User ops = store.createUser(NewUser.builder("ops@example.com").roles(Set.of("Admin")).build());
        JdbcExternalIdentityStore.create(DATABASE.dataSource(), false).link(ExternalIdentity.linked(ops.id(), "corp",
                idp.issuer("device").toString(), "sub-ops", Optional.empty(), Instant.now()));
        idp.deviceSubject = "sub-ops";
        idp.deviceClaims = Map.of("email", "ops@example.com", "email_verified", true);
        return ops;
    }

    @Test
    void signin_prints_the_code_and_where_to_enter_it_waits_and_prints_the_linked_account() {
        User ops = linkedOperator();
        answers("authorization_pending", "ok");

        Cli.Result result = cli().run("signin", "--provider", "corp");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("open " + idp.issuer("device") + "/activate").contains("WDJB-MJHT")
                .contains("Corp ID");
        assertThat(result.out()).contains("ops@example.com").contains("id " + ops.id()).contains("Admin");
        assertThat(idp.deviceTokenRequests).isEqualTo(2);
        assertThat(result.all()).doesNotContainPattern("device-[0-9a-f]{8}-");
    }

    @Test
    void signin_as_json_prints_one_document_with_the_account() {
        User ops = linkedOperator();
        answers("ok");

        Cli.Result result = cli().run("signin", "--provider", "corp", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("provider").asText()).isEqualTo("corp");
        assertThat(result.json().path("subject").asText()).isEqualTo("sub-ops");
        assertThat(result.json().path("user").path("id").asLong()).isEqualTo(ops.id());
        assertThat(result.json().path("user").path("email").asText()).isEqualTo("ops@example.com");
        assertThat(result.json().path("user").path("roles").get(0).asText()).isEqualTo("Admin");
        assertThat(result.err()).contains("WDJB-MJHT");
    }

    @Test
    void an_identity_linked_to_no_account_fails_and_creates_none() {
        idp.deviceSubject = "sub-stranger";
        idp.deviceClaims = Map.of("email", "stranger@example.com", "email_verified", true);
        answers("ok");

        Cli.Result result = cli().run("signin", "--provider", "corp");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("no account here is linked").contains("sub-stranger");
        assertThat(store.findUserByEmail("stranger@example.com")).isEmpty();
        assertThat(store.listUsers(UserQuery.firstPage(10)).total()).isZero();
    }

    @Test
    void a_refusal_at_the_provider_fails() {
        linkedOperator();
        answers("access_denied");

        Cli.Result result = cli().run("signin", "--provider", "corp");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("refused at Corp ID");
        assertThat(result.out()).doesNotContain("ops@example.com");
    }

    @Test
    void an_expired_code_fails() {
        linkedOperator();
        answers("expired_token");

        Cli.Result result = cli().run("signin", "--provider", "corp", "--json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("expired");
        assertThat(result.json().path("error").path("code").asText()).isEqualTo("EXPIRED_TOKEN");
    }

    @Test
    void an_unknown_provider_fails_naming_the_configured_ones_without_asking_anyone() {
        Cli.Result result = cli().run("signin", "--provider", "other");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("no provider 'other'").contains("corp");
        assertThat(idp.deviceTokenRequests).isZero();
    }
}
