package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cookies belong to a host, not to a port: two Gatehouse applications on one host share a browser's
 * cookie jar. With different {@code cookie-name-prefix} (or {@code session-cookie-name} and
 * {@code remember-cookie-name}, Flask's {@code SESSION_COOKIE_NAME} and {@code REMEMBER_COOKIE_NAME})
 * each keeps its own sign-in; with the same names the second sign-in overwrites the first.
 */
@HttpContract
class CookieNamesHttpTest {

    /** One browser: a cookie jar shared by its clients of several servers on localhost. */
    private static final class Browser {
        final Map<String, String> jar = new LinkedHashMap<>();

        HttpClientSession.Reply on(TestApp app, Function<HttpClientSession, HttpClientSession.Reply> request) {
            HttpClientSession client = app.client();
            client.cookies.putAll(jar);
            HttpClientSession.Reply reply = request.apply(client);
            jar.clear();
            jar.putAll(client.cookies);
            return reply;
        }

        String whoAmI(TestApp app) {
            HttpClientSession.Reply me = on(app, c -> c.getJson("/api/me"));
            return me.status() == 200 ? me.json().path("email").asText() : "status " + me.status();
        }
    }

    @Test
    void two_applications_with_different_cookie_name_prefixes_on_one_host_keep_their_own_sign_ins() {
        try (TestApp diary = new TestApp(c -> { });
                TestApp wiki = new TestApp(c -> c.set("cookie-name-prefix", "wiki"))) {
            User writer = diary.newUser("diary-writer");
            User editor = wiki.newUser("wiki-editor");
            Browser browser = new Browser();

            assertThat(browser.on(diary, c -> c.login(writer.email(), TestApp.PASSWORD)).status()).isEqualTo(200);
            HttpClientSession.Reply wikiLogin = browser.on(wiki, c -> c.login(editor.email(), TestApp.PASSWORD));

            assertThat(wikiLogin.status()).as(wikiLogin.body()).isEqualTo(200);
            assertThat(wikiLogin.setCookie("wiki_session")).isNotNull();
            assertThat(wikiLogin.setCookie("gatehouse_session")).isNull();
            assertThat(browser.jar).containsKeys("gatehouse_session", "gatehouse_csrf", "wiki_session", "wiki_csrf");
            assertThat(browser.whoAmI(diary)).isEqualTo(writer.email());
            assertThat(browser.whoAmI(wiki)).isEqualTo(editor.email());
        }
    }

    @Test
    void two_applications_with_the_same_cookie_names_on_one_host_overwrite_each_others_sign_in() {
        try (TestApp diary = new TestApp(c -> { }); TestApp wiki = new TestApp(c -> { })) {
            User writer = diary.newUser("same-writer");
            User editor = wiki.newUser("same-editor");
            Browser browser = new Browser();

            browser.on(diary, c -> c.login(writer.email(), TestApp.PASSWORD));
            assertThat(browser.on(wiki, c -> c.login(editor.email(), TestApp.PASSWORD)).status()).isEqualTo(200);

            assertThat(browser.whoAmI(diary)).as("the wiki's session cookie replaced the diary's").isEqualTo("status 401");
            assertThat(browser.whoAmI(wiki)).isEqualTo(editor.email());
        }
    }

    @Test
    void the_session_and_remember_me_cookies_take_their_names_from_their_settings_with_the_host_prefix() {
        try (TestApp app = new TestApp(c -> c.set("cookie-secure", "true").set("cookie-name-prefix", "diary")
                .set("session-cookie-name", "diary_sid").set("remember-cookie-name", "diary_keep"))) {
            User user = app.newUser("named-cookies");
            HttpClientSession browser = app.client();

            HttpClientSession.Reply login = browser.login(user.email(), TestApp.PASSWORD, Map.of("remember", true));

            assertThat(login.status()).as(login.body()).isEqualTo(200);
            assertThat(login.setCookie("__Host-diary_sid")).isNotNull().contains("; Secure").contains("HttpOnly");
            assertThat(login.setCookie("__Host-diary_keep")).isNotNull().contains("; Secure").contains("Max-Age=");
            assertThat(browser.cookies).containsKey("__Host-diary_csrf")
                    .doesNotContainKeys("__Host-gatehouse_session", "__Host-gatehouse_remember", "__Host-gatehouse_csrf");
            assertThat(browser.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());

            // The remember-me cookie alone signs the browser in again, under its configured name.
            browser.cookies.remove("__Host-diary_sid");
            assertThat(browser.getJson("/api/me").json().path("email").asText()).isEqualTo(user.email());
            assertThat(browser.cookies).containsKey("__Host-diary_sid");
        }
    }
}
