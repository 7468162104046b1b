package dev.gatehouse.spring.minimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.Stores;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Settings;
import dev.gatehouse.jdbc.JdbcSchema;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.web.contract.HttpClientSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's "done when": a Spring Boot application that adds the starter and two properties
 * gets Gatehouse's sign-in, registration (a starter default) and JSON API on embedded Tomcat, on
 * its own database.
 */
class MinimalApplicationTest {

    private static final String PASSWORD = "correct horse battery staple 42";

    /** Starts the application as {@code java -jar app.jar ARGS} would, with minimal.properties as its application.properties. */
    static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of("--spring.config.name=minimal", "--server.port=0"));
        all.addAll(List.of(args));
        return SpringApplication.run(MinimalApplication.class, all.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    /**
     * Exactly minimal.properties ({@code gatehouse.secret}, {@code spring.datasource.url}) and a
     * port: registration (the starter's default), sign-in by form and for a token, the JSON API.
     */
    @Test
    void twoPropertiesGiveRegistrationSignInAndTheJsonApi() {
        try (ConfigurableApplicationContext app = start()) {
            assertThat(app.getBean(Stores.class)).isInstanceOf(JdbcStores.class);
            assertThat(app.getBean(GatehouseConfig.class).get(Settings.REGISTERABLE)).isTrue();
            assertRegisterLoginAndUse(port(app), "ada@example.com");

            HttpClientSession client = new HttpClientSession(port(app));
            String token = client.loginForToken("ada@example.com", PASSWORD);
            HttpClientSession.Reply hello = client.getJson("/hello");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello, ada@example.com");
            assertThat(new HttpClientSession(port(app)).getJson("/hello", "Authentication-Token", token).body())
                    .isEqualTo("Hello, ada@example.com");
            assertThat(client.postJson("/logout", Map.of(), "X-CSRFToken", client.csrfToken()).status()).isEqualTo(200);
            assertThat(client.getJson("/hello").status()).isEqualTo(401);
        }
    }

    /** The starter's registerable default yields to any property source, like every other value. */
    @Test
    void registrationTurnedOffByAProperty() {
        try (ConfigurableApplicationContext app = start("--gatehouse.registerable=false")) {
            Gatehouse gatehouse = app.getBean(Gatehouse.class);
            HttpClientSession client = new HttpClientSession(port(app));
            // The path is then the application's, which has none.
            assertThat(client.postJson("/register", Map.of(), "X-CSRFToken", client.csrfToken()).status()).isEqualTo(404);
            gatehouse.users().createUser(NewUser.builder("ada@example.com").passwordHash(gatehouse.passwords().hash(PASSWORD)).build());
            assertThat(client.login("ada@example.com", PASSWORD).status()).isEqualTo(200);
            assertThat(client.getJson("/hello").body()).isEqualTo("Hello, ada@example.com");
        }
    }

    @Test
    void yamlWithRelaxedNamesAndLists() {
        try (ConfigurableApplicationContext app = SpringApplication.run(MinimalApplication.class,
                "--spring.config.name=yaml-app", "--server.port=0")) {
            GatehouseConfig config = app.getBean(GatehouseConfig.class);
            assertThat(config.get(Settings.REGISTERABLE)).isTrue();
            assertThat(config.get(Settings.TOKEN_MAX_AGE)).isEqualTo(Duration.ofHours(2));
            assertThat(config.get(Settings.SUPPORTED_LOCALES)).containsExactly("en", "fr");
            assertRegisterLoginAndUse(port(app), "yaml@example.com");
        }
    }

    @Test
    void withoutADataSourceGatehouseKeepsItsStoresInMemory() {
        try (ConfigurableApplicationContext app = start(
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")) {
            assertThat(app.getBeansOfType(DataSource.class)).isEmpty();
            assertThat(app.getBeansOfType(Stores.class)).isEmpty();
            assertRegisterLoginAndUse(port(app), "memory@example.com");
        }
    }

    @Test
    void aMisspeltOrMalformedSettingStopsTheStartWithGatehousesMessage() {
        assertThatThrownBy(() -> start("--gatehouse.tokenMaxAge=soon", "--gatehouse.registrable=true"))
                .hasRootCauseInstanceOf(InvalidConfigurationException.class)
                .rootCause().satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("[commandLineArgs] gatehouse.registrable").contains("registerable"),
                        p -> assertThat(p).startsWith("[commandLineArgs] gatehouse.token-max-age").contains("soon")));
    }

    static void assertRegisterLoginAndUse(int port, String email) {
        HttpClientSession visitor = new HttpClientSession(port);
        assertThat(visitor.getJson("/hello").status()).isEqualTo(401);
        HttpClientSession.Reply registered = visitor.postJson("/register",
                Map.of("email", email, "password", PASSWORD, "password_confirm", PASSWORD), "X-CSRFToken", visitor.csrfToken());
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        HttpClientSession browser = new HttpClientSession(port);
        assertThat(browser.login(email, PASSWORD).status()).isEqualTo(200);
        HttpClientSession.Reply hello = browser.getJson("/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello, " + email);
        assertThat(visitor.getJson("/hello").status()).isEqualTo(401);
    }

    /**
     * The same on the local PostgreSQL server, in a database the application also migrates with
     * Spring Boot's Flyway (db/migration): two history tables, no collision.
     */
    @Nested
    class OnPostgresql {

        @RegisterExtension
        static final TestDatabase DATABASE = TestDatabase.postgres();

        @Test
        void registerThenSignInOnPostgresql() throws Exception {
            try (ConfigurableApplicationContext app = start(
                    "--spring.datasource.url=" + DATABASE.url(), "--spring.datasource.username=" + DATABASE.user(),
                    "--spring.datasource.password=" + DATABASE.password())) {
                assertRegisterLoginAndUse(port(app), "hopper@example.com");
                // The application's Flyway ran first (on the empty schema, as it requires), then Gatehouse's.
                try (Connection c = app.getBean(DataSource.class).getConnection()) {
                    for (String table : List.of("flyway_schema_history", "notes", JdbcSchema.HISTORY_TABLE, "gh_users")) {
                        try (ResultSet tables = c.getMetaData().getTables(null, null, table, null)) {
                            assertThat(tables.next()).as(table).isTrue();
                        }
                    }
                }
            }
        }
    }
}
