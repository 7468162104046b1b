package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.mail.smtp.SmtpServer;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Username change and recovery through a real server and a real SMTP server. */
@HttpContract
class UsernameHttpTest {

    private static final SmtpServer SMTP = new SmtpServer();
    private static TestApp app;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        SMTP.start();
        inbox = new Inbox(SMTP);
        app = TestApp.withMail(SMTP, c -> c.set(USERNAME_ENABLE, true).set(USERNAME_RECOVERY, true).set(RATE_LIMITS_ENABLED, true)
                .set(FRESHNESS, Duration.ofMinutes(5)));
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

    private static String uniqueName(String stem) {
        return stem + "_" + TestApp.email("x").replaceAll("\\D", "");
    }

    private static HttpClientSession.Reply recover(HttpClientSession client, String email) {
        String csrf = client.getJson("/recover-username").json().path("response").path("csrf_token").asText();
        return client.postJson("/recover-username", Map.of("email", email), "X-CSRFToken", csrf);
    }

    @Test
    void a_signed_in_user_changes_the_username_by_form_and_signs_in_with_it() {
        User user = app.newUser("renamer");
        HttpClientSession browser = app.client();
        browser.postForm("/login", Map.of("email", user.email(), "password", TestApp.PASSWORD,
                "csrf_token", LoginApiTest.hiddenCsrfToken(browser.get("/login").body())));
        String name = uniqueName("ann");

        HttpClientSession.Reply page = browser.get("/change-username");
        HttpClientSession.Reply changed = browser.postForm("/change-username", Map.of("username", name,
                "csrf_token", LoginApiTest.hiddenCsrfToken(page.body())));

        assertThat(page.body()).contains("Your account has no username yet.");
        assertThat(changed.header("Location")).isEqualTo("/");
        assertThat(browser.get("/app-page").body()).contains("You successfully changed your username.");
        assertThat(browser.get("/change-username").body()).contains("Your username is " + name + ".");
        assertThat(app.client().login(name, TestApp.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void refusals_name_the_field_and_a_stale_session_must_verify_first() {
        User taken = app.newUser("taken");
        String takenName = uniqueName("taken");
        app.gatehouse.usernames().change(taken, takenName, dev.gatehouse.request.ClientInfo.UNKNOWN);
        HttpClientSession api = app.signedIn(app.newUser("refused"));

        HttpClientSession.Reply duplicate = api.postJson("/change-username", Map.of("username", takenName.toUpperCase()),
                "X-CSRFToken", api.csrfToken());
        HttpClientSession.Reply spaces = api.postJson("/change-username", Map.of("username", "two words"),
                "X-CSRFToken", api.csrfToken());
        HttpClientSession.Reply tooShort = api.postJson("/change-username", Map.of("username", "ab"),
                "X-CSRFToken", api.csrfToken(), "Accept-Language", "de");
        app.t.clock.advance(Duration.ofMinutes(6));
        HttpClientSession.Reply stale = api.postJson("/change-username", Map.of("username", uniqueName("late")),
                "X-CSRFToken", api.csrfToken());

        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.fieldErrors("username")).containsExactly(takenName.toUpperCase() + " is already taken.");
        assertThat(spaces.fieldErrors("username")).containsExactly("A username cannot contain spaces, control or invisible characters.");
        assertThat(tooShort.fieldErrors("username")).containsExactly("Ein Benutzername hat 4 bis 32 Zeichen.");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().path("response").path("reauth_required").asBoolean()).isTrue();
    }

    @Test
    void recovery_mails_the_username_and_answers_an_unknown_address_alike() {
        User user = app.newUser("forgetful");
        String name = uniqueName("forgetful");
        app.gatehouse.usernames().change(user, name, dev.gatehouse.request.ClientInfo.UNKNOWN);
        String unknown = TestApp.email("nobody");

        HttpClientSession.Reply known = recover(app.client(), user.email());
        HttpClientSession.Reply stranger = recover(app.client(), unknown);
        String[] pages = new String[2];
        String[] addresses = {user.email(), unknown};
        for (int i = 0; i < 2; i++) {
            HttpClientSession browser = app.client();
            HttpClientSession.Reply sent = browser.postForm("/recover-username", Map.of("email", addresses[i],
                    "csrf_token", LoginApiTest.hiddenCsrfToken(browser.get("/recover-username").body())));
            assertThat(sent.header("Location")).isEqualTo("/login");
            pages[i] = HttpClientSession.withoutCsrfTokens(browser.follow(sent).body());
        }

        assertThat(known.status()).isEqualTo(stranger.status()).isEqualTo(200);
        assertThat(known.body()).isEqualTo(stranger.body());
        assertThat(pages[0]).isEqualTo(pages[1]).contains("If that email address belongs to an account, you will receive"
                + " an email with its username.");
        Inbox.Mail reminder = inbox.next(user.email());
        assertThat(reminder.subject()).isEqualTo("Your username");
        assertThat(reminder.text()).contains("Your username is: " + name);
        assertThat(inbox.next(unknown).text()).contains("a username reminder");
    }

    @Test
    void recovery_is_rate_limited_per_address() {
        String email = TestApp.email("limited");
        for (int i = 0; i < 5; i++) {
            assertThat(recover(app.client(), email).status()).isEqualTo(200);
        }

        HttpClientSession.Reply limited = recover(app.client(), email);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }
}
