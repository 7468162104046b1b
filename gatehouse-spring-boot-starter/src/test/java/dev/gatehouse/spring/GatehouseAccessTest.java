package dev.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.spring.testapp.AccessApplication;
import dev.gatehouse.user.NewUser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** {@link GatehouseAccess} on Spring MVC handlers and the User/Identity handler parameters, over HTTP on embedded Tomcat. */
class GatehouseAccessTest {

    private static final String PASSWORD = "correct horse battery staple 42";

    private static ConfigurableApplicationContext app;
    private static int port;
    private static AppClient writer;
    private static AppClient admin;
    private static String writerToken;

    @BeforeAll
    static void start() {
        app = SpringApplication.run(AccessApplication.class, "--spring.config.name=minimal", "--server.port=0",
                "--gatehouse.freshness=0s");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        Gatehouse gatehouse = app.getBean(Gatehouse.class);
        gatehouse.users().findOrCreateRole("Writer");
        gatehouse.users().findOrCreateRole("Admin");
        gatehouse.users().createUser(NewUser.builder("writer@example.com").passwordHash(gatehouse.passwords().hash(PASSWORD))
                .roles("Writer").build());
        gatehouse.users().createUser(NewUser.builder("admin@example.com").passwordHash(gatehouse.passwords().hash(PASSWORD))
                .roles("Admin").build());
        writer = new AppClient(port);
        writerToken = writer.login("writer@example.com", PASSWORD);
        admin = new AppClient(port);
        admin.login("admin@example.com", PASSWORD);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anonymousVisitorsGet401JsonFromAnnotatedHandlers() {
        AppClient visitor = new AppClient(port);
        for (String path : new String[] {"/signed-in", "/admin", "/write", "/staff", "/composed"}) {
            HttpResponse<String> response = visitor.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.body()).as(path).doesNotContain("signed in", "admin", "staff", "composed");
        }
    }

    @Test
    void aBrowserIsSentToTheSignInPage() {
        HttpResponse<String> response = new AppClient(port).get("/signed-in", "Accept", "text/html");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login"));
    }

    @Test
    void rolesDecide() {
        assertThat(writer.get("/signed-in").body()).isEqualTo("signed in");
        assertThat(writer.get("/write").body()).isEqualTo("write");
        assertThat(writer.get("/admin").statusCode()).isEqualTo(403);
        assertThat(writer.get("/composed").statusCode()).isEqualTo(403);
        assertThat(admin.get("/admin").body()).isEqualTo("admin admin@example.com");
        assertThat(admin.get("/composed").body()).isEqualTo("composed");
        assertThat(admin.get("/write").statusCode()).isEqualTo(403);
    }

    @Test
    void classAndMethodRulesBothApply() {
        assertThat(writer.get("/staff").body()).isEqualTo("staff");
        assertThat(writer.get("/staff/payroll").statusCode()).isEqualTo(403);
        assertThat(admin.get("/staff/payroll").body()).isEqualTo("payroll");
    }

    @Test
    void mechanismsLimitHowTheRequestMayAuthenticate() {
        assertThat(writer.get("/token-only").statusCode()).as("session cookie only").isEqualTo(401);
        assertThat(new AppClient(port).get("/token-only", "Authentication-Token", writerToken).body()).isEqualTo("token");
    }

    @Test
    void anonymousOnlyHandlersRefuseSignedInUsers() {
        assertThat(new AppClient(port).get("/welcome").body()).isEqualTo("welcome");
        assertThat(writer.get("/welcome").statusCode()).isEqualTo(400);
    }

    @Test
    void freshnessIsTheFreshnessSetting() {
        // freshness=0s: no sign-in is recent enough, so a fresh handler always asks to sign in again.
        assertThat(writer.get("/fresh").statusCode()).isEqualTo(401);
        assertThat(writer.get("/signed-in").statusCode()).isEqualTo(200);
    }

    @Test
    void argumentsAreTheUserOrTheAnonymousUser() {
        assertThat(new AppClient(port).get("/whoami").body()).isEqualTo("anonymous");
        assertThat(writer.get("/whoami").body()).isEqualTo("writer@example.com");
        assertThat(new AppClient(port).get("/whoami", "Authentication-Token", writerToken).body()).isEqualTo("writer@example.com");
    }

    @Test
    void unsafeMethodsNeedTheCsrfTokenWithASessionAndTheBodyReachesTheHandler() {
        assertThat(writer.postJson("/notes", "\"no token\"", null).statusCode()).isEqualTo(400);
        HttpResponse<String> posted = writer.postJson("/notes", "\"hello\"");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("writer@example.com: \"hello\"");
    }

    @Test
    void aRuleThatCannotHoldFailsClosed() {
        HttpResponse<String> response = admin.get("/contradiction");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("never");
    }
}
