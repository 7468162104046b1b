package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code next} parameter never sends anyone off-site; the login redirect remembers where they were going. */
@HttpContract
class RedirectSafetyTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<String> offSite() {
        return List.of(
                "//evil.com",
                "\\\\\\evil.com",
                "/\\evil.com",
                "////evil.com",
                "https:evil.com",
                "https://evil.com",
                "http://evil.com/account",
                "javascript:alert(1)",
                "JavaScript:alert(1)",
                "/\t/evil.com",
                "/\n/evil.com",
                "\t//evil.com",
                "\n//evil.com",
                "\u0000//evil.com",
                "/\u0000/evil.com",
                " //evil.com",
                "/%2F/evil.com",
                "/%2f/evil.com",
                "/%5Cevil.com",
                "\\/evil.com",
                "https://localhost@evil.com",
                "data:text/html,<script>alert(1)</script>");
    }

    private static Map<String, String> formLogin(HttpClientSession browser, User user, String next) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", user.email());
        form.put("password", TestApp.PASSWORD);
        form.put("csrf_token", browser.csrfToken());
        form.put("next", next);
        return form;
    }

    private static boolean isOnSite(String location) {
        return location != null && location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\")
                && location.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\');
    }

    @ParameterizedTest
    @MethodSource("offSite")
    void a_form_login_never_redirects_off_site(String next) {
        User user = app.newUser("form-next");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply login = browser.postForm("/login", formLogin(browser, user, next));

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/");
        assertThat(browser.get("/public").body()).as("the login itself succeeded").isEqualTo("user " + user.email());
    }

    @ParameterizedTest
    @MethodSource("offSite")
    void a_form_login_never_redirects_off_site_with_next_in_the_query(String next) {
        User user = app.newUser("query-next");
        HttpClientSession browser = app.client();
        Map<String, String> form = formLogin(browser, user, next);
        form.remove("next");

        HttpClientSession.Reply login = browser.postForm("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), form);

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/");
    }

    @ParameterizedTest
    @MethodSource("offSite")
    void a_json_login_with_an_off_site_next_is_refused_with_a_next_field_error(String next) {
        User user = app.newUser("json-next");
        HttpClientSession client = app.client();

        HttpClientSession.Reply login = client.login(user.email(), TestApp.PASSWORD, Map.of("next", next));

        assertThat(login.status()).isEqualTo(400);
        assertThat(login.fieldErrors("next")).containsExactly("Redirections outside the domain are forbidden");
        assertThat(login.setCookie("gatehouse_session")).isNull();
        assertThat(login.header("Location")).isNull();
    }

    @ParameterizedTest
    @MethodSource("offSite")
    void a_signed_in_browser_visiting_login_is_never_sent_off_site(String next) {
        HttpClientSession browser = app.signedIn(app.newUser("visit-next"));

        HttpClientSession.Reply page = browser.get("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/");
    }

    @ParameterizedTest
    @MethodSource("offSite")
    void the_login_form_never_carries_an_off_site_next(String next) {
        HttpClientSession.Reply page = app.client().get("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("name=\"next\"");
    }

    @Test
    void a_safe_next_is_honoured_by_a_form_login() {
        User user = app.newUser("safe");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply login = browser.postForm("/login", formLogin(browser, user, "/account?x=1"));

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).isEqualTo("/account?x=1");
        assertThat(isOnSite(login.header("Location"))).isTrue();
    }

    @Test
    void a_safe_next_is_accepted_by_a_json_login() {
        User user = app.newUser("safe-json");

        HttpClientSession.Reply login = app.client().login(user.email(), TestApp.PASSWORD, Map.of("next", "/account?x=1"));

        assertThat(login.status()).isEqualTo(200);
    }

    @Test
    void an_html_client_sent_to_login_comes_back_to_the_page_it_asked_for_with_its_query() {
        User user = app.newUser("round-trip");
        HttpClientSession browser = app.client();

        HttpClientSession.Reply refused = browser.get("/api/me?x=1&y=a%20b");
        assertThat(refused.status()).isEqualTo(302);
        String location = refused.header("Location");
        assertThat(location).isEqualTo("/login?next=" + URLEncoder.encode("/api/me?x=1&y=a%20b", StandardCharsets.UTF_8));

        HttpClientSession.Reply form = browser.get(location);
        assertThat(form.body()).contains("name=\"next\" value=\"/api/me?x=1&amp;y=a%20b\"");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", user.email());
        fields.put("password", TestApp.PASSWORD);
        fields.put("csrf_token", LoginApiTest.hiddenCsrfToken(form.body()));
        fields.put("next", "/api/me?x=1&y=a%20b");
        HttpClientSession.Reply login = browser.postForm("/login", fields);

        assertThat(login.header("Location")).isEqualTo("/api/me?x=1&y=a%20b");
    }

    @Test
    void an_allowed_host_may_be_redirected_to_when_configured() {
        try (TestApp custom = new TestApp(c -> c.set("redirect-allowed-hosts", "app.example.com"))) {
            User user = custom.newUser("allowed");
            HttpClientSession browser = custom.client();
            Map<String, String> form = new LinkedHashMap<>();
            form.put("email", user.email());
            form.put("password", TestApp.PASSWORD);
            form.put("csrf_token", browser.csrfToken());
            form.put("next", "https://app.example.com/home");

            assertThat(browser.postForm("/login", form).header("Location")).isEqualTo("https://app.example.com/home");

            HttpClientSession other = custom.client();
            form.put("csrf_token", other.csrfToken());
            form.put("next", "https://evil.com/home");
            assertThat(other.postForm("/login", form).header("Location")).isEqualTo("/");
        }
    }
}
