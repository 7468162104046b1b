package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.web.GatehouseWeb;
import dev.gatehouse.web.PageScript;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebOptions;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A feature's scripts ({@link WebFeature#scripts}): served by Gatehouse with a content hash, linked
 * from the pages the feature names, and allowed by those pages' Content-Security-Policy only.
 */
@HttpContract
class PageScriptsHttpTest {

    private static final String RESOURCE = "dev/gatehouse/web/contract/scripted.js";

    /** Adds {@code scripted.js} to the login page. */
    private record ScriptedFeature(String name, String resource) implements WebFeature {
        @Override
        public List<PageScript> scripts(GatehouseConfig config) {
            return List.of(new PageScript(resource, Set.of("gatehouse/login")));
        }

        @Override
        public List<WebRoute> routes(WebToolkit toolkit) {
            return List.of();
        }
    }

    private static WebOptions scripted() {
        return WebOptions.builder().feature(new ScriptedFeature("scripted", RESOURCE)).build();
    }

    @Test
    void only_the_named_pages_load_the_script_and_allow_scripts_of_this_site() {
        try (TestApp app = new TestApp(c -> c.set(REGISTERABLE, true), scripted())) {
            HttpClientSession client = app.client();
            HttpClientSession.Reply login = client.get("/login");
            Matcher script = Pattern.compile("<script src=\"(/gatehouse/static/scripted\\.js\\?v=[0-9a-f]{12})\" defer></script>")
                    .matcher(login.body());
            assertThat(script.find()).as(login.body()).isTrue();
            assertThat(login.header("Content-Security-Policy"))
                    .isEqualTo(WebOptions.DEFAULT_CONTENT_SECURITY_POLICY + "; script-src 'self'; connect-src 'self'")
                    .doesNotContain("unsafe");

            HttpClientSession.Reply register = client.get("/register");
            assertThat(register.status()).isEqualTo(200);
            assertThat(register.body()).doesNotContain("<script");
            assertThat(register.header("Content-Security-Policy")).isEqualTo(WebOptions.DEFAULT_CONTENT_SECURITY_POLICY);

            HttpClientSession.Reply js = client.get(script.group(1));
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.header("Content-Type")).startsWith("text/javascript");
            assertThat(js.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
            assertThat(js.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(js.body()).contains("dataset.scripted");
            assertThat(client.get("/gatehouse/static/scripted.js", "If-None-Match", js.header("ETag")).status()).isEqualTo(304);
        }
    }

    @Test
    void without_the_feature_no_page_allows_scripts_and_the_script_is_not_served() {
        try (TestApp app = new TestApp()) {
            HttpClientSession.Reply login = app.client().get("/login");
            assertThat(login.header("Content-Security-Policy")).doesNotContain("script-src");
            assertThat(login.body()).doesNotContain("<script");
            assertThat(app.client().get("/gatehouse/static/scripted.js").status()).isEqualTo(404);
        }
    }

    @Test
    void an_application_policy_gets_the_script_sources_added_unless_it_names_them() {
        WebOptions own = WebOptions.builder().feature(new ScriptedFeature("scripted", RESOURCE))
                .contentSecurityPolicy(Optional.of("default-src 'self'")).build();
        try (TestApp app = new TestApp(own)) {
            assertThat(app.client().get("/login").header("Content-Security-Policy"))
                    .isEqualTo("default-src 'self'; script-src 'self'; connect-src 'self'");
        }
        WebOptions strict = WebOptions.builder().feature(new ScriptedFeature("scripted", RESOURCE))
                .contentSecurityPolicy(Optional.of("default-src 'none'; script-src https://cdn.example.com")).build();
        try (TestApp app = new TestApp(strict)) {
            assertThat(app.client().get("/login").header("Content-Security-Policy"))
                    .isEqualTo("default-src 'none'; script-src https://cdn.example.com; connect-src 'self'");
        }
    }

    @Test
    void a_missing_script_a_non_script_and_two_scripts_of_one_name_stop_the_start() {
        TestGatehouse t = new TestGatehouse();
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder()
                .feature(new ScriptedFeature("scripted", "dev/gatehouse/web/contract/missing.js")).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.js is missing from the class path");
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder()
                .feature(new ScriptedFeature("scripted", "dev/gatehouse/web/static/gatehouse.css")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a .js file");
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder()
                .feature(new ScriptedFeature("one", RESOURCE)).feature(new ScriptedFeature("two", RESOURCE)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another asset is served at /gatehouse/static/scripted.js");
    }
}
