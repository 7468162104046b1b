package dev.gatehouse.bench;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.TOKEN_MAX_AGE;
import static dev.gatehouse.config.Settings.TRACKABLE;
import static dev.gatehouse.request.Mechanism.SESSION;
import static dev.gatehouse.request.Mechanism.TOKEN;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.session.IssuedSession;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The server {@code benchmarks/http/run.sh} drives with wrk: one Javalin app whose {@code /hello}
 * is a bare route and whose {@code /session/hello}, {@code /token/hello} and {@code /admin/hello} run
 * the same handler behind Gatehouse — session cookie, API token, and session plus a role check — so
 * the difference is exactly Gatehouse's cost. {@code /session/bare} and {@code /token/bare} are bare
 * twins of the first two, added just before them so that Javalin's route lookup costs about the same.
 *
 * <p>It signs a user in once and writes the session cookie header and token header to the file
 * named by {@code -Dcredentials=...}, then serves on {@code -Dport} (7101).
 *
 * <p>For the sign-in scenario ({@code benchmarks/http/signin.sh}): {@code -Dsignin-users=N} creates
 * {@code signin-0@example.com} … {@code signin-<N-1>@example.com} with the password
 * {@value #SIGNIN_PASSWORD}, hashed once at the default parameters and stored for each (so setting
 * up a thousand users takes one hash, and every sign-in verifies a real default-cost hash);
 * {@code -Ddb-url=jdbc:...} (with {@code -Ddb-user}, {@code -Ddb-password}) puts every store in
 * that database instead of memory, so sessions, login tracking ({@code trackable} is on) and the
 * audit log are written there. Rate limits are off: wrk sends everything from one address.
 * {@code -Dpassword-hash-concurrency} and {@code -Dpassword-hash-queue-timeout} pass through.
 * {@code POST /hash} verifies that password against its stored hash on the same bounded pool and
 * does nothing else (200; 503 when no slot freed in time; 500 if it did not verify): a flood of it
 * is a sign-in flood's hashing alone.
 */
public final class HttpBenchApp {

    /** The password of every sign-in user. */
    static final String SIGNIN_PASSWORD = "benchmark password";

    private HttpBenchApp() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("port", 7101);
        Path credentials = Path.of(System.getProperty("credentials", "target/http-bench-credentials.txt"));
        Gatehouse.Builder builder = Gatehouse.builder()
                .config(c -> {
                    c.set(SECRET, Secret.of("benchmark-secret-benchmark-secret-0123456789"))
                            .set(COOKIE_SECURE, false)
                            .set(TOKEN_MAX_AGE, Duration.ofHours(2))
                            .set(TRACKABLE, true)
                            .set(RATE_LIMITS_ENABLED, false);
                    for (String name : new String[] {"password-hash-concurrency", "password-hash-queue-timeout"}) {
                        Optional.ofNullable(System.getProperty(name)).ifPresent(value -> c.set(name, value));
                    }
                });
        Optional<String> dbUrl = Optional.ofNullable(System.getProperty("db-url"));
        if (dbUrl.isPresent()) {
            JdbcDatabase database = JdbcDatabase.connect(dbUrl.get(), System.getProperty("db-user", ""),
                    System.getProperty("db-password", ""));
            builder.stores(JdbcStores.create(database.dataSource()));
        }
        Gatehouse gatehouse = builder.build();
        gatehouse.users().createRole("Admin");
        String hash = gatehouse.passwords().hash(SIGNIN_PASSWORD);
        User user = gatehouse.users().createUser(NewUser.builder("bench@example.com")
                .passwordHash(hash)
                .roles("Admin")
                .build());
        int signinUsers = Integer.getInteger("signin-users", 0);
        for (int i = 0; i < signinUsers; i++) {
            gatehouse.users().createUser(NewUser.builder("signin-" + i + "@example.com").passwordHash(hash).build());
        }
        IssuedSession signIn = gatehouse.sessions().start(user, false, Optional.empty(), ClientInfo.UNKNOWN);
        String session = signIn.secret();
        String token = gatehouse.authTokens().issue(user, gatehouse.clock().instant(), signIn.record().familyId());
        Files.createDirectories(credentials.toAbsolutePath().getParent());
        Files.writeString(credentials, "Cookie: gatehouse_session=" + session + "\nAuthentication-Token: " + token + "\n");

        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.registerPlugin(new GatehousePlugin(gatehouse));
            config.routes.get("/hello", ctx -> ctx.result("Hello, World!"));
            // Javalin tries a request's path against the routes in the order they were added, one
            // pattern each, so each guarded route gets a bare twin just before it: the two differ by
            // Gatehouse alone (and one more pattern tried, which counts against Gatehouse).
            config.routes.get("/session/bare", ctx -> ctx.result("Hello, World!"));
            config.routes.get("/session/hello", ctx -> ctx.result("Hello, World!"), Access.authRequired(SESSION));
            config.routes.get("/token/bare", ctx -> ctx.result("Hello, World!"));
            config.routes.get("/token/hello", ctx -> ctx.result("Hello, World!"), Access.authRequired(TOKEN));
            config.routes.get("/admin/hello", ctx -> ctx.result("Hello, World!"), Access.rolesRequired("Admin"));
            // A sign-in's hash and nothing else of it — no store, no session, no audit — on the same
            // bounded pool: flooding it shows what hashing at full rate alone leaves the other routes.
            config.routes.post("/hash", ctx -> {
                try {
                    if (!gatehouse.passwords().verify(SIGNIN_PASSWORD, hash)) {
                        ctx.status(500).result("the stored hash did not verify");
                    }
                } catch (HashingCapacityException e) {
                    ctx.status(503).header("Retry-After", "1");
                }
            });
        }).start();
    }
}
