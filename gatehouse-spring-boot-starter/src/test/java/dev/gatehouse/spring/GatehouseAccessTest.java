package dev.gatehouse.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.servlet.GatehouseFilter;
import dev.gatehouse.spring.testapp.AccessApplication;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.web.contract.HttpClientSession;
import java.util.Map;
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
    private static HttpClientSession writer;
    private static HttpClientSession admin;
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
        writer = new HttpClientSession(port);
        writerToken = writer.loginForToken("writer@example.com", PASSWORD);
        admin = new HttpClientSession(port);
        assertThat(admin.login("admin@example.com", PASSWORD).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anonymousVisitorsGet401JsonFromAnnotatedHandlers() {
        HttpClientSession visitor = new HttpClientSession(port);
        for (String path : new String[] {"/signed-in", "/admin", "/write", "/staff", "/composed"}) {
            HttpClientSession.Reply response = visitor.getJson(path);
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(response.header("Content-Type")).as(path).startsWith("application/json");
            assertThat(response.body()).as(path).doesNotContain("signed in", "admin", "staff", "composed");
        }
    }

    @Test
    void aBrowserIsSentToTheSignInPage() {
        HttpClientSession.Reply response = new HttpClientSession(port).get("/signed-in", "Accept", "text/html");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).startsWith("/login?next=");
    }

    @Test
    void rolesDecide() {
        assertThat(writer.getJson("/signed-in").body()).isEqualTo("signed in");
        assertThat(writer.getJson("/write").body()).isEqualTo("write");
        assertThat(writer.getJson("/admin").status()).isEqualTo(403);
        assertThat(writer.getJson("/composed").status()).isEqualTo(403);
        assertThat(admin.getJson("/admin").body()).isEqualTo("admin admin@example.com");
        assertThat(admin.getJson("/composed").body()).isEqualTo("composed");
        assertThat(admin.getJson("/write").status()).isEqualTo(403);
    }

    @Test
    void classAndMethodRulesBothApply() {
        assertThat(writer.getJson("/staff").body()).isEqualTo("staff");
        assertThat(writer.getJson("/staff/payroll").status()).isEqualTo(403);
        assertThat(admin.getJson("/staff/payroll").body()).isEqualTo("payroll");
    }

    @Test
    void anInheritedHandlerMethodHasTheRuleOfEachControllerThatInheritsIt() {
        assertThat(writer.getJson("/open/list").body()).isEqualTo("list");
        assertThat(writer.getJson("/closed/list").status()).isEqualTo(403);
        assertThat(new HttpClientSession(port).getJson("/closed/list").status()).isEqualTo(401);
        assertThat(admin.getJson("/closed/list").body()).isEqualTo("list");
    }

    @Test
    void mechanismsLimitHowTheRequestMayAuthenticate() {
        assertThat(writer.getJson("/token-only").status()).as("session cookie only").isEqualTo(401);
        assertThat(new HttpClientSession(port).getJson("/token-only", "Authentication-Token", writerToken).body()).isEqualTo("token");
    }

    @Test
    void anonymousOnlyHandlersRefuseSignedInUsers() {
        assertThat(new HttpClientSession(port).getJson("/welcome").body()).isEqualTo("welcome");
        assertThat(writer.getJson("/welcome").status()).isEqualTo(400);
    }

    @Test
    void freshnessIsTheFreshnessSetting() {
        // freshness=0s: no sign-in is recent enough, so a fresh handler always asks to sign in again.
        assertThat(writer.getJson("/fresh").status()).isEqualTo(401);
        assertThat(writer.getJson("/signed-in").status()).isEqualTo(200);
    }

    @Test
    void argumentsAreTheUserOrTheAnonymousUser() {
        assertThat(new HttpClientSession(port).getJson("/whoami").body()).isEqualTo("anonymous");
        assertThat(writer.getJson("/whoami").body()).isEqualTo("writer@example.com");
        assertThat(new HttpClientSession(port).getJson("/whoami", "Authentication-Token", writerToken).body()).isEqualTo("writer@example.com");
    }

    @Test
    void unsafeMethodsNeedTheCsrfTokenWithASessionAndTheBodyReachesTheHandler() {
        assertThat(writer.postRaw("/notes", "application/json", "\"no token\"", "Accept", "application/json").status())
                .isEqualTo(400);
        HttpClientSession.Reply posted = writer.postRaw("/notes", "application/json", "\"hello\"",
                "Accept", "application/json", "X-CSRFToken", writer.csrfToken());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("writer@example.com: \"hello\"");
    }

    @Test
    void theApplicationsOwnFilterBeanReplacesTheDefaultWithItsPathRules() {
        assertThat(app.getBeansOfType(GatehouseFilter.class)).containsOnlyKeys("gatehouseFilter");
        assertThat(new HttpClientSession(port).getJson("/members/list").status()).isEqualTo(401);
        assertThat(writer.getJson("/members/list").status()).isEqualTo(403);
        assertThat(admin.getJson("/members/list").body()).isEqualTo("members");
    }

    @Test
    void aRuleThatCannotHoldFailsClosed() {
        HttpClientSession.Reply response = admin.getJson("/contradiction");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("never");
    }
}
