package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.DEFAULT_LOCALE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MESSAGES_FILE;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.SUPPORTED_LOCALES;
import static dev.gatehouse.config.Settings.TEMPLATES_FOLDER;
import static dev.gatehouse.config.Settings.URL_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Settings;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML pages through a real server: languages, overrides, context processors, flashes, the stylesheet. */
@HttpContract
class PagesTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(Settings.SITE_NAME, "Test site"), WebOptions.builder()
                .contextProcessor(page -> Map.of("everywhere", "from every page", "only_here", "overridden below"))
                .contextProcessor("test/app_page", page -> Map.of("only_here", "for " + page.page() + " in " + page.locale()))
                .build());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // ------------------------------------------------------------------ languages

    @Test
    void a_german_browser_gets_german_pages() {
        HttpClientSession.Reply page = app.client().get("/login", "Accept-Language", "de-CH,de;q=0.9,en;q=0.5");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Language")).isEqualTo("de");
        assertThat(page.body()).contains("<html lang=\"de\">").contains("<h1>Anmelden</h1>")
                .contains("<label for=\"password\">Passwort</label>");
    }

    @Test
    void a_german_client_gets_german_json_errors_and_a_french_one_french() {
        HttpClientSession client = app.client();

        HttpClientSession.Reply german = client.getJson("/api/me", "Accept-Language", "de");
        HttpClientSession.Reply french = client.postJson("/login", Map.of("email", "x@example.com", "password", "nope"),
                "X-CSRFToken", client.csrfToken(), "Accept-Language", "fr-FR");

        assertThat(german.status()).isEqualTo(401);
        assertThat(german.errors()).containsExactly("Sie sind nicht angemeldet. Bitte geben Sie gültige Zugangsdaten an.");
        assertThat(french.errors()).containsExactly("Identifiants non valides");
    }

    @Test
    void an_unsupported_language_gets_the_default_and_the_default_is_configurable() {
        assertThat(app.client().get("/login", "Accept-Language", "ja").body()).contains("<h1>Sign in</h1>");
        try (TestApp german = new TestApp(c -> c.set(DEFAULT_LOCALE, "de"))) {
            assertThat(german.client().get("/login").body()).contains("<h1>Anmelden</h1>");
            assertThat(german.client().getJson("/api/me").errors().get(0)).startsWith("Sie sind nicht angemeldet");
        }
        try (TestApp englishOnly = new TestApp(c -> c.set(SUPPORTED_LOCALES, java.util.List.of("en")))) {
            assertThat(englishOnly.client().get("/login", "Accept-Language", "de").body()).contains("<h1>Sign in</h1>");
        }
    }

    @Test
    void texts_are_overridden_by_the_messages_file_setting(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("messages.properties");
        Files.writeString(file, "UNAUTHENTICATED=Who are you?\nTITLE_LOGIN=Welcome back\n", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("messages_de.properties"), "UNAUTHENTICATED=Wer sind Sie?\n", StandardCharsets.UTF_8);

        try (TestApp custom = new TestApp(c -> c.set(MESSAGES_FILE, file.toString()))) {
            assertThat(custom.client().getJson("/api/me").errors()).containsExactly("Who are you?");
            assertThat(custom.client().getJson("/api/me", "Accept-Language", "de").errors()).containsExactly("Wer sind Sie?");
            assertThat(custom.client().get("/login").body()).contains("<h1>Welcome back</h1>");
        }
    }

    // ------------------------------------------------------------------ templates and context

    @Test
    void a_template_in_the_templates_folder_replaces_the_default(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("gatehouse"));
        Files.writeString(folder.resolve("gatehouse/login.html"), "{% extends \"gatehouse/base.html\" %}"
                + "{% block content %}<h1>Custom sign-in</h1><form method=\"post\" action=\"{{ action }}\">"
                + "<input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token }}\"></form>{% endblock %}",
                StandardCharsets.UTF_8);

        try (TestApp custom = new TestApp(c -> c.set(TEMPLATES_FOLDER, folder.toString()))) {
            HttpClientSession browser = custom.client();
            String page = browser.get("/login").body();

            assertThat(page).contains("<h1>Custom sign-in</h1>").contains("<a class=\"gh-brand\"");
            User user = custom.newUser("custom-template");
            HttpClientSession.Reply login = browser.postForm("/login", Map.of("email", user.email(),
                    "password", TestApp.PASSWORD, "csrf_token", LoginApiTest.hiddenCsrfToken(page)));
            assertThat(login.status()).as("the custom form's CSRF token works").isEqualTo(302);
        }
    }

    @Test
    void application_pages_share_the_layout_texts_and_context_processors_and_escape_values() {
        HttpClientSession browser = app.signedIn(app.newUser("app-page"));

        HttpClientSession.Reply page = browser.get("/app-page?value=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "Accept-Language", "fr");

        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<a class=\"gh-brand\" href=\"/\">Test site</a>")
                .contains("<p id=\"value\">&lt;script&gt;alert(1)&lt;/script&gt;</p>")
                .contains("<p id=\"greeting\">Retour à l’accueil</p>")
                .contains("<p id=\"everywhere\">from every page</p>")
                .contains("<p id=\"only-here\">for test/app_page in fr</p>")
                .contains("Se déconnecter");
        assertThat(app.client().get("/login").body()).as("the site name from the options").contains("Test site");
    }

    @Test
    void a_replacement_renderer_gets_every_page_with_its_model() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.gatehouse.web.PageRenderer renderer = (page, model) -> {
            seen.add(page + " " + new java.util.TreeSet<>(model.keySet()));
            return "<!DOCTYPE html><title>" + page + "</title><p>" + ((dev.gatehouse.web.PageTexts) model.get("texts"))
                    .get("TITLE_LOGIN") + "</p>";
        };
        try (TestApp custom = new TestApp(WebOptions.builder().pages(renderer)
                .contentSecurityPolicy(java.util.Optional.empty()).build())) {
            HttpClientSession.Reply page = custom.client().get("/login", "Accept-Language", "fr");

            assertThat(page.body()).isEqualTo("<!DOCTYPE html><title>gatehouse/login</title><p>Connexion</p>");
            assertThat(page.header("Content-Security-Policy")).isNull();
            assertThat(seen).containsExactly("gatehouse/login [action, csrf_token, current_user, email, errors, field_errors,"
                    + " flashes, lang, next, page, remember, scripts, site_name, texts, urls, username_enable]");
        }
    }

    @Test
    void pages_forbid_scripts_framing_and_foreign_forms() {
        HttpClientSession.Reply page = app.client().get("/login");

        assertThat(page.header("Content-Security-Policy")).isEqualTo(WebOptions.DEFAULT_CONTENT_SECURITY_POLICY);
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("same-origin");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        try (TestApp custom = new TestApp(c -> c.set("redirect-allowed-hosts", "app.example.com"))) {
            assertThat(custom.client().get("/login").header("Content-Security-Policy"))
                    .contains("form-action 'self' https://app.example.com;");
        }
    }

    // ------------------------------------------------------------------ flash messages

    @Test
    void signing_out_says_so_once_on_the_next_page() {
        HttpClientSession browser = app.signedIn(app.newUser("flash-logout"));

        HttpClientSession.Reply logout = browser.postForm("/logout", Map.of("csrf_token", browser.csrfToken()));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.setCookie("gatehouse_flash")).contains("HttpOnly").contains("Max-Age=120");

        HttpClientSession.Reply next = browser.get("/login");
        assertThat(next.body()).contains("<p class=\"gh-flash gh-flash--success\">You have been signed out.</p>");
        assertThat(browser.get("/login").body()).as("shown once").doesNotContain("gh-flash");
    }

    @Test
    void a_flash_is_shown_in_the_readers_language_and_application_flashes_work_too() {
        HttpClientSession browser = app.signedIn(app.newUser("flash-app"));

        HttpClientSession.Reply redirect = browser.postRaw("/flash?category=error&message=LOGOUT_DONE", "text/plain", "");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(browser.get("/app-page", "Accept-Language", "de").body())
                .contains("<p class=\"gh-flash gh-flash--error\">Sie wurden abgemeldet.</p>");

        browser.postRaw("/flash?category=info&message=" + java.net.URLEncoder.encode("Saved <b>it</b>", StandardCharsets.UTF_8),
                "text/plain", "");
        assertThat(browser.get("/app-page").body()).contains("<p class=\"gh-flash gh-flash--info\">Saved &lt;b&gt;it&lt;/b&gt;</p>");
    }

    @Test
    void a_forged_or_tampered_flash_cookie_shows_nothing() {
        HttpClientSession browser = app.client();
        browser.cookies.put("gatehouse_flash", "v1.AAAAAAAA.1700000000.W3siYyI6ImluZm8iLCJtIjoiaGkifV0.forged");

        assertThat(browser.get("/login").body()).doesNotContain("gh-flash");
    }

    @Test
    void being_sent_to_sign_in_says_why() {
        HttpClientSession browser = app.client();

        HttpClientSession.Reply refused = browser.get("/account-denied-please", "Accept", "text/html");
        HttpClientSession.Reply redirect = browser.get("/admin");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(redirect.status()).isEqualTo(302);

        assertThat(browser.get(redirect.header("Location")).body()).contains("Please sign in to see this page.");
    }

    // ------------------------------------------------------------------ logout confirmation

    @Test
    void the_logout_confirmation_page_signs_out_only_through_its_form() {
        HttpClientSession browser = app.signedIn(app.newUser("confirm"));

        String page = browser.get("/logout?next=/account").body();
        assertThat(page).contains("<input type=\"hidden\" name=\"next\" value=\"/account\">");
        assertThat(browser.getJson("/api/me").status()).isEqualTo(200);

        HttpClientSession.Reply logout = browser.postForm("/logout", Map.of("csrf_token", LoginApiTest.hiddenCsrfToken(page),
                "next", "/account"));
        assertThat(logout.header("Location")).isEqualTo("/account");
        assertThat(browser.getJson("/api/me").status()).isEqualTo(401);
        assertThat(browser.get("/logout").header("Location")).as("nobody to sign out").isEqualTo("/");
    }

    // ------------------------------------------------------------------ stylesheet

    @Test
    void the_stylesheet_is_served_by_gatehouse_with_long_caching_for_its_versioned_url() {
        HttpClientSession client = app.client();
        String page = client.get("/login").body();
        Matcher link = Pattern.compile("<link rel=\"stylesheet\" href=\"(/gatehouse/static/gatehouse\\.css\\?v=[0-9a-f]{12})\">")
                .matcher(page);
        assertThat(link.find()).as(page).isTrue();

        HttpClientSession.Reply css = client.get(link.group(1));
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(css.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(css.body()).contains(".gh-button");

        assertThat(client.get("/gatehouse/static/gatehouse.css").header("Cache-Control")).isEqualTo("no-cache");
        assertThat(client.get("/gatehouse/static/gatehouse.css", "If-None-Match", css.header("ETag")).status()).isEqualTo(304);
    }

    @Test
    void the_stylesheet_lives_under_the_url_prefix() {
        try (TestApp prefixed = new TestApp(c -> c.set(URL_PREFIX, "/auth"))) {
            String page = prefixed.client().get("/auth/login").body();
            assertThat(page).contains("href=\"/auth/gatehouse/static/gatehouse.css?v=");
            assertThat(prefixed.client().get("/auth/gatehouse/static/gatehouse.css").status()).isEqualTo(200);
        }
    }

    /**
     * ASVS 6.2.6: every password input of Gatehouse's pages masks what is typed — sign-in,
     * registration, re-authentication, password change and reset.
     */
    @Test
    void every_password_input_on_gatehouses_pages_is_type_password() {
        try (TestApp all = new TestApp(c -> c.set(REGISTERABLE, true).set(CHANGEABLE, true).set(RECOVERABLE, true)
                .set(EXTERNAL_URL, "https://app.example.com"))) {
            User user = all.newUser("masked");
            all.gatehouse.recovery().requestReset(user.email(), dev.gatehouse.request.ClientInfo.of("192.0.2.1", "JUnit"));
            String resetToken = new dev.gatehouse.testing.Mailbox(all.gatehouse).only().token("reset_link");
            HttpClientSession visitor = all.client();
            HttpClientSession member = all.client();
            String csrf = LoginApiTest.hiddenCsrfToken(member.get("/login").body());
            member.postForm("/login", Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf));
            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("/login", visitor.get("/login").body());
            pages.put("/register", visitor.get("/register").body());
            pages.put("/reset/{token}", visitor.get("/reset/" + resetToken).body());
            pages.put("/verify", member.get("/verify").body());
            pages.put("/change", member.get("/change").body());

            Pattern input = Pattern.compile("<input[^>]*>");
            pages.forEach((path, html) -> {
                List<String> passwordInputs = input.matcher(html).results().map(java.util.regex.MatchResult::group)
                        .filter(tag -> tag.matches("(?s).*name=\"[a-z_]*password[a-z_]*\".*")).toList();
                assertThat(passwordInputs).as(path + " has a password input").isNotEmpty();
                assertThat(passwordInputs).as(path).allSatisfy(tag -> assertThat(tag).contains("type=\"password\""));
            });
        }
    }
}
