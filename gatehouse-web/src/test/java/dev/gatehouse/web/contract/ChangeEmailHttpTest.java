package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Email change through a real server and a real SMTP server: the request needs the current
 * password and a fresh authentication (the default {@code freshness}); the link goes to the new
 * address and, followed through the server, makes the change; the old address is told, with a
 * link that undoes the change and signs everyone out; sessions stay otherwise.
 */
@HttpContract
class ChangeEmailHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(CHANGE_EMAIL, true).set(RECOVERABLE, true).set(CHANGEABLE, true)
                .set(RATE_LIMITS_ENABLED, true));
    }

    @AfterAll
    static void stop() {
        app.close();
        SMTP.close();
    }

    @BeforeEach
    void freshWindows() {
        app.t.clock.advance(Duration.ofMinutes(10));
    }

    private static HttpClientSession browserSignedIn(User user) {
        HttpClientSession browser = app.client();
        String csrf = LoginApiTest.hiddenCsrfToken(browser.get("/login").body());
        browser.postForm("/login", Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf));
        return browser;
    }

    private static HttpClientSession.Reply request(HttpClientSession api, String email) {
        return api.postJson("/change-email", Map.of("email", email, "password", TestApp.PASSWORD), "X-CSRFToken", api.csrfToken());
    }

    private static User stored(User user) {
        return app.gatehouse.users().findUserById(user.id()).orElseThrow();
    }

    @Test
    void the_link_mailed_to_the_new_address_changes_it_tells_the_old_one_and_keeps_the_session() {
        User user = app.newUser("mover");
        String newEmail = TestApp.email("moved");
        HttpClientSession browser = browserSignedIn(user);

        HttpClientSession.Reply page = browser.get("/change-email");
        assertThat(page.body()).contains("Your email address is " + user.email() + ".");
        assertThat(page.body()).contains("name=\"password\"");
        HttpClientSession.Reply asked = browser.postForm("/change-email", Map.of("email", newEmail,
                "password", TestApp.PASSWORD, "csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));
        assertThat(asked.header("Location")).isEqualTo("/");
        assertThat(browser.get("/app-page").body())
                .contains("Instructions to confirm your new email address have been sent to " + newEmail + ".");
        assertThat(app.gatehouse.users().findUserById(user.id()).orElseThrow().email()).as("not before the link")
                .isEqualTo(user.email());

        Inbox.Mail instructions = inbox.next(newEmail);
        assertThat(instructions.subject()).isEqualTo("Confirm your new email address");
        assertThat(instructions.text()).contains("of the account of " + user.email() + ", within 2 hours");
        HttpClientSession.Reply confirmed = browser.get(instructions.link("/change-email-confirm"));

        assertThat(confirmed.header("Location")).isEqualTo("/");
        assertThat(browser.get("/app-page").body()).contains("Your email address is now " + newEmail + ".");
        assertThat(browser.get("/public").body()).as("the session stays").isEqualTo("user " + newEmail);
        assertThat(app.client().login(newEmail, TestApp.PASSWORD).status()).isEqualTo(200);
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(400);
        Inbox.Mail notice = inbox.next(user.email());
        assertThat(notice.subject()).isEqualTo("Your email address has been changed");
        assertThat(notice.text()).contains("changed to " + newEmail);

        HttpClientSession.Reply reused = browser.get(instructions.link("/change-email-confirm"));
        assertThat(reused.header("Location")).isEqualTo("/change-email");
        assertThat(browser.follow(reused).body()).contains("Invalid confirmation token.");
    }

    @Test
    void json_clients_request_and_confirm_and_bad_links_are_400_on_token() {
        User user = app.newUser("json-mover");
        String newEmail = TestApp.email("json-moved");
        HttpClientSession api = app.signedIn(user);

        HttpClientSession.Reply page = api.getJson("/change-email");
        HttpClientSession.Reply asked = request(api, newEmail);
        String link = inbox.next(newEmail).link("/change-email-confirm");
        HttpClientSession.Reply tampered = app.client().getJson(link + "x");
        HttpClientSession.Reply confirmed = app.client().getJson(link);
        HttpClientSession.Reply reused = app.client().getJson(link);

        assertThat(page.json().path("response").path("current_email").asText()).isEqualTo(user.email());
        assertThat(asked.status()).isEqualTo(200);
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.fieldErrors("token")).containsExactly("Invalid confirmation token.");
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(api.getJson("/api/me").json().path("email").asText()).isEqualTo(newEmail);
    }

    @Test
    void an_expired_link_changes_nothing() {
        User user = app.newUser("late");
        String newEmail = TestApp.email("late-new");
        request(app.signedIn(user), newEmail);
        String link = inbox.next(newEmail).link("/change-email-confirm");
        app.t.clock.advance(Duration.ofHours(2).plusMinutes(1));

        HttpClientSession browser = app.client();
        HttpClientSession.Reply expired = browser.get(link);

        assertThat(expired.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(expired).body()).contains("You did not confirm your new email address within 2 hours.");
        assertThat(app.gatehouse.users().findUserById(user.id()).orElseThrow().email()).isEqualTo(user.email());
    }

    @Test
    void a_taken_address_is_not_revealed_at_the_request_and_refused_at_the_link() {
        User user = app.newUser("taker");
        User other = app.newUser("owner");
        String contested = TestApp.email("contested");
        HttpClientSession api = app.signedIn(user);

        HttpClientSession.Reply forTaken = request(api, other.email());
        HttpClientSession.Reply forFree = request(api, contested);
        assertThat(forTaken.status()).isEqualTo(forFree.status()).isEqualTo(200);
        assertThat(forTaken.body()).isEqualTo(forFree.body());
        String link = inbox.next(contested).link("/change-email-confirm");
        assertThat(inbox.all(other.email())).as("nothing goes to the taken address").isEmpty();

        // Someone else takes the address before the link is followed.
        app.user(contested, TestApp.PASSWORD);
        HttpClientSession.Reply refused = app.client().getJson(link);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.fieldErrors("email")).containsExactly(contested + " already belongs to an account.");
        assertThat(app.gatehouse.users().findUserById(user.id()).orElseThrow().email()).isEqualTo(user.email());
    }

    @Test
    void the_request_needs_freshness_csrf_and_a_valid_new_address() {
        User user = app.newUser("checks");
        HttpClientSession api = app.signedIn(user);

        HttpClientSession.Reply invalid = request(api, "not an address");
        HttpClientSession.Reply current = request(api, user.email());
        HttpClientSession.Reply noCsrf = api.postJson("/change-email", Map.of("email", TestApp.email("x"),
                "password", TestApp.PASSWORD));
        // The default freshness is 15 minutes.
        app.t.clock.advance(Duration.ofMinutes(14));
        HttpClientSession.Reply fresh = request(api, TestApp.email("fresh"));
        app.t.clock.advance(Duration.ofMinutes(2));
        HttpClientSession.Reply stale = request(api, TestApp.email("stale"));

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.fieldErrors("email")).containsExactly("Invalid email address");
        assertThat(current.status()).isEqualTo(400);
        assertThat(noCsrf.status()).isEqualTo(400);
        assertThat(noCsrf.fieldErrors("csrf_token")).isNotEmpty();
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(browserSignedIn(user).postForm("/change-email", Map.of("email", "bad", "csrf_token", "x")).status())
                .as("a form with a wrong token").isEqualTo(400);
    }

    @Test
    void requests_are_rate_limited_per_user_with_429_and_retry_after() {
        HttpClientSession api = app.signedIn(app.newUser("busy"));
        for (int i = 0; i < 10; i++) {
            assertThat(request(api, TestApp.email("busy-new")).status()).isEqualTo(200);
        }

        HttpClientSession.Reply limited = request(api, TestApp.email("busy-new"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void a_stolen_api_token_alone_cannot_move_the_account_to_another_mailbox() {
        User victim = app.newUser("victim");
        HttpClientSession.Reply signIn = app.client().login(victim.email(), TestApp.PASSWORD,
                Map.of("include_auth_token", true, "include_refresh_token", true));
        String token = signIn.user().path("authentication_token").asText();
        String refreshToken = signIn.user().path("refresh_token").asText();
        String attacker = TestApp.email("attacker");
        HttpClientSession thief = app.client();

        HttpClientSession.Reply withoutPassword = thief.postJson("/change-email", Map.of("email", attacker),
                "Authentication-Token", token);
        HttpClientSession.Reply wrongPassword = thief.postJson("/change-email", Map.of("email", attacker,
                "password", "a guess"), "Authentication-Token", token);
        // A token freshly minted from the refresh token still dates from the sign-in: not a recent proof.
        app.t.clock.advance(Duration.ofMinutes(16));
        String minted = app.client().postJson("/refresh-token", Map.of("refresh_token", refreshToken))
                .user().path("authentication_token").asText();
        HttpClientSession.Reply stale = thief.postJson("/change-email", Map.of("email", attacker,
                "password", TestApp.PASSWORD), "Authentication-Token", minted);

        assertThat(withoutPassword.status()).isEqualTo(400);
        assertThat(withoutPassword.fieldErrors("password")).containsExactly("Password not provided");
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.fieldErrors("password")).containsExactly("Invalid password");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
        assertThat(inbox.all(attacker)).as("nothing reaches the attacker's mailbox").isEmpty();
        assertThat(stored(victim).email()).isEqualTo(victim.email());
    }

    @Test
    void the_link_mailed_to_the_old_address_undoes_the_change_and_ends_every_session_and_token() {
        User owner = app.newUser("owner-reverts");
        String intruder = TestApp.email("intruder");
        HttpClientSession intruderApi = app.signedIn(owner);
        assertThat(request(intruderApi, intruder).status()).isEqualTo(200);
        assertThat(app.client().getJson(inbox.next(intruder).link("/change-email-confirm")).status()).isEqualTo(200);
        // The intruder also changes the password and keeps a session and a token, so only the old
        // mailbox is left to the owner.
        assertThat(intruderApi.postJson("/change", Map.of("password", TestApp.PASSWORD,
                "new_password", "the intruder's password"), "X-CSRFToken", intruderApi.csrfToken()).status()).isEqualTo(200);
        String intrudersToken = app.client().loginForToken(intruder, "the intruder's password");
        Inbox.Mail notice = inbox.next(owner.email());
        assertThat(notice.text()).contains("changed to " + intruder).contains("within 7 days");
        String link = notice.link("/change-email-revert");

        HttpClientSession visitor = app.client();
        HttpClientSession.Reply page = visitor.get(link);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(owner.email());
        assertThat(stored(owner).email()).as("a GET changes nothing").isEqualTo(intruder);
        assertThat(intruderApi.getJson("/api/me").status()).isEqualTo(200);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", intrudersToken).status()).isEqualTo(200);
        HttpClientSession.Reply undone = visitor.postForm(link, Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));

        assertThat(undone.header("Location")).isEqualTo("/reset");
        assertThat(visitor.follow(undone).body()).contains("Your email address is " + owner.email()
                + " again and everyone was signed out of your account. Choose a new password now.");
        assertThat(stored(owner).email()).isEqualTo(owner.email());
        assertThat(intruderApi.getJson("/api/me").status()).isEqualTo(401);
        assertThat(app.client().getJson("/api/me", "Authentication-Token", intrudersToken).status()).isEqualTo(401);
        assertThat(app.client().login(owner.email(), "the intruder's password").status()).isEqualTo(400);
        assertThat(app.client().login(intruder, "the intruder's password").status()).isEqualTo(400);

        HttpClientSession other = app.client();
        HttpClientSession.Reply again = other.postJson(link, Map.of(), "X-CSRFToken", other.csrfToken());
        assertThat(again.status()).as("single use").isEqualTo(400);
        assertThat(again.fieldErrors("token")).containsExactly("This link is invalid, was already used or has expired.");
    }

    @Test
    void an_expired_revert_link_changes_nothing() {
        User owner = app.newUser("late-revert");
        String newEmail = TestApp.email("late-revert-new");
        request(app.signedIn(owner), newEmail);
        app.client().getJson(inbox.next(newEmail).link("/change-email-confirm"));
        String link = inbox.next(owner.email()).link("/change-email-revert");
        app.t.clock.advance(Duration.ofDays(7).plusMinutes(2));

        HttpClientSession browser = app.client();
        HttpClientSession.Reply page = browser.get(link);
        HttpClientSession api = app.client();
        HttpClientSession.Reply json = api.postJson(link, Map.of(), "X-CSRFToken", api.csrfToken());

        assertThat(page.header("Location")).isEqualTo("/login");
        assertThat(browser.follow(page).body()).contains("This link is invalid, was already used or has expired.");
        assertThat(json.status()).isEqualTo(400);
        assertThat(stored(owner).email()).isEqualTo(newEmail);
    }

    @Test
    void a_browser_signed_in_as_someone_else_stays_signed_in_when_it_follows_a_revert_link() {
        User owner = app.newUser("shared-owner");
        String newEmail = TestApp.email("shared-new");
        request(app.signedIn(owner), newEmail);
        app.client().getJson(inbox.next(newEmail).link("/change-email-confirm"));
        String link = inbox.next(owner.email()).link("/change-email-revert");
        User someoneElse = app.newUser("shared-browser");
        HttpClientSession browser = browserSignedIn(someoneElse);

        HttpClientSession.Reply page = browser.get(link);
        HttpClientSession.Reply undone = browser.postForm(link, Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));

        assertThat(undone.header("Location")).isEqualTo("/reset");
        assertThat(stored(owner).email()).isEqualTo(owner.email());
        assertThat(browser.get("/public").body()).isEqualTo("user " + someoneElse.email());
    }
}
