package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.PASSWORD_SALT;
import static dev.gatehouse.config.Settings.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.jdbc.testing.TestDatabase;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of the import: users of the Flask-Security application sign in to a Gatehouse
 * application with their old passwords. The Flask database the real Flask-Security made is
 * imported with the command line; a real Javalin server with {@link GatehousePlugin} then runs on
 * the same database, configured like production (default argon2id, Flask's salt as
 * {@code password-salt}), and a real HTTP client signs in at {@code POST /login}.
 */
class FlaskSecuritySignInTest {

    @RegisterExtension
    static final TestDatabase DATABASE = TestDatabase.h2().withGatehouseSchema();

    @TempDir
    static java.nio.file.Path dir;

    static Javalin server;
    static Gatehouse gatehouse;
    static UserStore store;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void importAndStart() {
        Cli.Result imported = Cli.on(Databases.url(DATABASE))
                .run("import", "flask-security", "--from", FlaskFixture.sqliteUrl(FlaskFixture.sqliteCopy(dir)));
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        store = Databases.store(DATABASE);
        gatehouse = Gatehouse.builder()
                .store(store)
                .config(c -> c.set(SECRET, Secret.of("sign-in-test-secret-sign-in-test-secret-0123"))
                        .set(PASSWORD_SALT, Secret.of(FlaskFixture.SALT))
                        .set(COOKIE_SECURE, false))
                .build();
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.registerPlugin(new GatehousePlugin(gatehouse));
        }).start(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (gatehouse != null) {
            // Stops its watch on the user change log before the database goes away.
            gatehouse.close();
        }
    }

    /** GET /login for the CSRF token, then POST /login with JSON, as a single-page app does. */
    private static HttpResponse<String> signIn(String email, String password) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://localhost:" + server.port();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        String csrf = JSON.readTree(page.body()).path("response").path("csrf_token").asText();
        assertThat(csrf).isNotEmpty();
        String body = JSON.writeValueAsString(Map.of("email", email, "password", password));
        return client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-CSRFToken", csrf).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String hash(String email) {
        return store.findUserByEmail(email).flatMap(User::passwordHash).orElseThrow();
    }

    @Test
    void bcrypt_user_signs_in_with_the_old_password_and_the_hash_becomes_argon2id() throws Exception {
        String password = FlaskFixture.PASSWORDS.get("alice@example.com");
        assertThat(hash("alice@example.com")).startsWith("{fs}$2b$12$");

        HttpResponse<String> response = signIn("alice@example.com", password);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.path("meta").path("code").asInt()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("gatehouse_session="));
        String upgraded = hash("alice@example.com");
        assertThat(upgraded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        // The new hash is Gatehouse's own: no salt needed any more.
        assertThat(PasswordHasher.builder().build().verify(password, upgraded)).isTrue();
        assertThat(signIn("alice@example.com", password).statusCode()).isEqualTo(200);
    }

    @Test
    void argon2_user_with_a_non_ascii_password_signs_in_and_is_upgraded() throws Exception {
        // Flask-Security's argon2 (m=100 MiB, t=10, p=8) and an NFKD-sensitive password: "ﬁ", "’", accents.
        assertThat(hash("carol@example.com")).startsWith("{fs}$argon2id$v=19$m=102400,t=10,p=8$");

        HttpResponse<String> response = signIn("carol@example.com", FlaskFixture.PASSWORDS.get("carol@example.com"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(hash("carol@example.com")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void wrong_passwords_inactive_users_and_users_without_password_are_refused() throws Exception {
        String daveHash = hash("dave@example.com");

        assertThat(signIn("dave@example.com", "not his old password").statusCode()).isEqualTo(400);
        assertThat(signIn("bob@example.com", FlaskFixture.PASSWORDS.get("bob@example.com")).statusCode()).isEqualTo(400);
        assertThat(signIn("erin@example.com", "anything at all").statusCode()).isEqualTo(400);
        assertThat(hash("dave@example.com")).isEqualTo(daveHash);
    }
}
