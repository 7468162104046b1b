package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access rules on application routes: authentication, roles, permissions, freshness, OPTIONS.
 * How an adapter lets applications declare them (Javalin: route roles, combined or wrapped) is
 * tested in its own module.
 */
@HttpContract
class AccessRequirementsTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
        app.gatehouse.users().createRole("Deleter", "may delete entries", Set.of("entries:delete", "entries:read"));
        app.gatehouse.users().createRole("Reader", "may read entries", Set.of("entries:read"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void authenticated_lets_a_signed_in_user_through_and_refuses_an_anonymous_one() {
        User user = app.newUser("authenticated");

        HttpClientSession.Reply anonymous = app.client().getJson("/api/me");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("\"authenticated\"");

        HttpClientSession.Reply me = app.signedIn(user).getJson("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("authenticated").asBoolean()).isTrue();
    }

    @Test
    void a_refused_request_never_reaches_the_handler() {
        HttpClientSession.Reply reply = app.client().getJson("/admin");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("admin");
        JsonNode json = reply.json();
        assertThat(json.path("meta").path("code").asInt()).isEqualTo(401);
    }

    @Test
    void roles_required_needs_the_role() {
        User admin = app.newUser("admin", "Admin");
        User plain = app.newUser("plain");

        assertThat(app.signedIn(admin).getJson("/admin").body()).isEqualTo("admin");
        HttpClientSession.Reply refused = app.signedIn(plain).getJson("/admin");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("meta").path("code").asInt()).isEqualTo(403);
        assertThat(refused.errors()).isNotEmpty();
        assertThat(refused.body()).doesNotContain("\"admin\"");
    }

    @Test
    void roles_required_with_two_role_names_needs_both_not_either() {
        assertThat(app.signedIn(app.newUser("staff-and-writer", "Staff", "Writer")).getJson("/staff-writers").status())
                .isEqualTo(200);
        assertThat(app.signedIn(app.newUser("staff-not-writer", "Staff")).getJson("/staff-writers").status())
                .as("first role only").isEqualTo(403);
        assertThat(app.signedIn(app.newUser("writer-not-staff", "Writer")).getJson("/staff-writers").status())
                .as("second role only").isEqualTo(403);
        assertThat(app.client().getJson("/staff-writers").status()).isEqualTo(401);
    }

    @Test
    void roles_required_with_an_any_of_group_needs_every_named_role_and_one_of_the_group() {
        User staffWriter = app.newUser("staff-writer", "Staff", "Writer");
        User staffEditor = app.newUser("staff-editor", "Staff", "Editor");
        User staffOnly = app.newUser("staff-only", "Staff");
        User writerOnly = app.newUser("writer-only", "Writer", "Editor");

        assertThat(app.signedIn(staffWriter).getJson("/mixed").status()).isEqualTo(200);
        assertThat(app.signedIn(staffEditor).getJson("/mixed").status()).isEqualTo(200);
        assertThat(app.signedIn(staffOnly).getJson("/mixed").status()).isEqualTo(403);
        assertThat(app.signedIn(writerOnly).getJson("/mixed").status()).isEqualTo(403);
    }

    @Test
    void roles_accepted_needs_any_one_of_the_roles() {
        assertThat(app.signedIn(app.newUser("writer", "Writer")).getJson("/writers").status()).isEqualTo(200);
        assertThat(app.signedIn(app.newUser("editor", "Editor")).getJson("/writers").status()).isEqualTo(200);
        assertThat(app.signedIn(app.newUser("neither", "Staff")).getJson("/writers").status()).isEqualTo(403);
        assertThat(app.client().getJson("/writers").status()).isEqualTo(401);
    }

    @Test
    void permissions_required_needs_every_permission_granted_through_roles() {
        assertThat(app.signedIn(app.newUser("deleter", "Deleter")).getJson("/perm").status()).isEqualTo(200);
        assertThat(app.signedIn(app.newUser("reader", "Reader")).getJson("/perm").status()).isEqualTo(403);
        assertThat(app.client().getJson("/perm").status()).isEqualTo(401);
    }

    @Test
    void permissions_accepted_needs_any_one_permission() {
        assertThat(app.signedIn(app.newUser("any-reader", "Reader")).getJson("/any-perm").status()).isEqualTo(200);
        assertThat(app.signedIn(app.newUser("no-perms", "Staff")).getJson("/any-perm").status()).isEqualTo(403);
    }

    @Test
    void a_role_granted_while_signed_in_counts_on_the_next_request() {
        User user = app.newUser("promoted");
        HttpClientSession browser = app.signedIn(user);
        assertThat(browser.getJson("/admin").status()).isEqualTo(403);

        app.gatehouse.users().findOrCreateRole("Admin");
        app.gatehouse.users().addRoleToUser(user.id(), "Admin");

        assertThat(browser.getJson("/admin").status()).isEqualTo(200);
    }

    @Test
    void freshness_passes_right_after_sign_in_and_asks_json_clients_to_reauthenticate_later() {
        HttpClientSession browser = app.signedIn(app.newUser("fresh"));
        assertThat(browser.getJson("/fresh").status()).isEqualTo(200);

        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply stale = browser.getJson("/fresh");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(stale.json().path("meta").path("code").asInt()).isEqualTo(401);
        assertThat(stale.errors()).isNotEmpty();
        assertThat(browser.getJson("/api/me").status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void freshness_sends_html_clients_to_verify_with_next() {
        HttpClientSession browser = app.signedIn(app.newUser("fresh-html"));
        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply stale = browser.get("/fresh?tab=2");

        assertThat(stale.status()).isEqualTo(302);
        assertThat(stale.header("Location")).isEqualTo("/verify?next=%2Ffresh%3Ftab%3D2");
    }

    @Test
    void freshness_of_a_token_is_the_time_of_the_sign_in_it_came_from() {
        User user = app.newUser("fresh-token");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);
        assertThat(app.client().getJson("/fresh", "Authentication-Token", token).status()).isEqualTo(200);

        app.t.clock.advance(Duration.ofMinutes(6));

        HttpClientSession.Reply stale = app.client().getJson("/fresh", "Authentication-Token", token);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
    }

    @Test
    void options_requests_are_never_checked() {
        HttpClientSession.Reply preflight = app.client().request("OPTIONS", "/api/me",
                "Origin", "http://elsewhere.example", "Access-Control-Request-Method", "POST");

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.body()).isEqualTo("preflight");
    }

    @Test
    void current_user_is_never_null_anonymous_on_a_public_route() {
        HttpClientSession.Reply page = app.client().get("/public");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("anonymous");
    }

    @Test
    void a_public_route_sees_the_token_user_but_not_basic_which_is_not_a_default_mechanism() {
        User user = app.newUser("public");
        String token = app.client().loginForToken(user.email(), TestApp.PASSWORD);

        assertThat(app.client().get("/public", "Authentication-Token", token).body()).isEqualTo("user " + user.email());
        assertThat(app.client().get("/public", "Authorization", HttpClientSession.basic(user.email(), TestApp.PASSWORD)).body())
                .isEqualTo("anonymous");
    }
}
