package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.REGISTERABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.ValueType;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a module plugs into the web layer: {@link AuthenticationMechanism}s and {@link WebFeature}s,
 * checked when the web layer starts and used like the built-in ones. (The same over HTTP, with a
 * real server: {@code examples/extension}.)
 */
class ExtensionPointsTest {

    private static final Mechanism BEARER = Mechanism.of("bearer-jwt");

    /** Accepts {@code X-Test-User: <email>}: a stand-in with a challenge, for the walk and the 401. */
    private record HeaderMechanism(TestGatehouse t) implements AuthenticationMechanism {
        @Override
        public Mechanism mechanism() {
            return BEARER;
        }

        @Override
        public Optional<Authentication> authenticate(Exchange exchange) {
            return exchange.request().header("X-Test-User").flatMap(t.gatehouse.users()::findUserByEmail)
                    .map(user -> new Authentication(user, BEARER, t.clock.instant(), Optional.empty()));
        }

        @Override
        public Optional<String> challenge() {
            return Optional.of("Bearer realm=\"test\"");
        }
    }

    /** {@code GET /hello}, on while {@code registerable} is; links {@code urls.hello}. */
    private record HelloFeature(String name, String link) implements WebFeature {
        @Override
        public boolean isEnabled(GatehouseConfig config) {
            return config.get(REGISTERABLE);
        }

        @Override
        public void links(GatehouseConfig config, PageLinks links) {
            links.path(link, "/hello");
        }

        @Override
        public List<WebRoute> routes(WebToolkit toolkit) {
            return List.of(new WebRoute("GET", toolkit.url("/hello"), (request, response) ->
                    toolkit.json(toolkit.exchange(request, response), 200, Map.of("hello", "world"))));
        }
    }

    @Test
    void an_added_mechanism_is_tried_where_a_rule_allows_it_and_its_challenge_answers_browsers_too() {
        TestGatehouse t = new TestGatehouse();
        User ann = t.user("ann@example.com", "correct horse battery");
        GatehouseWeb web = new GatehouseWeb(t.gatehouse, WebOptions.builder().mechanism(new HeaderMechanism(t)).build());

        InProcessExchange.Request request = new InProcessExchange.Request().header("X-Test-User", ann.email());
        assertThat(web.enforce(request, new InProcessExchange.Response(), AccessRule.mechanisms(Mechanism.TOKEN, BEARER))).isTrue();
        assertThat(web.authentication(request, null).orElseThrow().mechanism()).isEqualTo(BEARER);
        // Routes naming no mechanism allow api-enabled-methods (token and session) only.
        assertThat(web.enforce(request.copy(), new InProcessExchange.Response(), AccessRule.authenticated())).isFalse();

        InProcessExchange.Response refused = new InProcessExchange.Response();
        InProcessExchange.Request browser = new InProcessExchange.Request().header("Accept", "text/html");
        assertThat(web.enforce(browser, refused, AccessRule.mechanisms(BEARER))).isFalse();
        assertThat(refused.status).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).contains("Bearer realm=\"test\"");
    }

    @Test
    void settings_name_only_registered_mechanisms_and_names_are_unique() {
        TestGatehouse named = new TestGatehouse(c -> c.set("api-enabled-methods", "session, bearer-jwt"));
        assertThatThrownBy(() -> new GatehouseWeb(named.gatehouse))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("api-enabled-methods names the authentication mechanism \"bearer-jwt\", which is not"
                        + " registered; registered: [token, session, basic]");
        GatehouseWeb web = new GatehouseWeb(named.gatehouse, WebOptions.builder().mechanism(new HeaderMechanism(named)).build());
        User bob = named.user("bob@example.com", "correct horse battery");
        InProcessExchange.Request request = new InProcessExchange.Request().header("X-Test-User", bob.email());
        assertThat(web.enforce(request, new InProcessExchange.Response(), AccessRule.authenticated())).isTrue();

        TestGatehouse t = new TestGatehouse();
        AuthenticationMechanism impostor = new AuthenticationMechanism() {
            @Override
            public Mechanism mechanism() {
                return Mechanism.of("Token");
            }

            @Override
            public Optional<Authentication> authenticate(Exchange exchange) {
                return Optional.empty();
            }
        };
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder().mechanism(impostor).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two authentication mechanisms are named token");
    }

    @Test
    void a_feature_mounts_its_routes_behind_the_door_and_links_its_page_only_when_configuration_switches_it_on() {
        AtomicReference<Map<String, Object>> urls = new AtomicReference<>();
        WebOptions options = WebOptions.builder().feature(new HelloFeature("hello", "hello"))
                .pages((page, model) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> links = (Map<String, Object>) model.get("urls");
                    urls.set(links);
                    return "<!doctype html>";
                }).build();

        GatehouseWeb on = new GatehouseWeb(new TestGatehouse(c -> c.set(REGISTERABLE, true)).gatehouse, options);
        WebRoute hello = on.routes().stream().filter(r -> r.path().equals("/hello")).findFirst().orElseThrow();
        InProcessExchange.Response response = new InProcessExchange.Response();
        hello.handler().handle(new InProcessExchange.Request(), response);
        assertThat(response.status).isEqualTo(200);
        assertThat(response.body).isEqualTo("{\"meta\":{\"code\":200},\"response\":{\"hello\":\"world\"}}");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        on.render(new InProcessExchange.Request(), new InProcessExchange.Response(), 200, "gatehouse/error", Map.of());
        assertThat(urls.get()).containsEntry("hello", "/hello").containsEntry("register", "/register");

        GatehouseWeb off = new GatehouseWeb(new TestGatehouse(c -> c.set(REGISTERABLE, false)).gatehouse, options);
        assertThat(off.routes()).noneMatch(r -> r.path().equals("/hello") || r.path().equals("/register"));
        off.render(new InProcessExchange.Request(), new InProcessExchange.Response(), 200, "gatehouse/error", Map.of());
        assertThat(urls.get()).doesNotContainKeys("hello", "register").containsKey("login");
    }

    @Test
    void features_and_their_links_have_unique_names() {
        TestGatehouse t = new TestGatehouse(c -> c.set(REGISTERABLE, true));
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder()
                .feature(new HelloFeature("register", "hello")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two web features are named register");
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder()
                .feature(new HelloFeature("hello", "login")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two features add the page link login");
    }

    @Test
    void a_feature_whose_own_settings_are_not_registered_stops_the_web_layer_from_starting() {
        // Defined, but listed in no SettingGroup service file: a properties file could not set it.
        Setting<String> unlisted = Setting.define("hello-greeting", ValueType.urlPath(), "/hello", "Not registered.");
        TestGatehouse t = new TestGatehouse(c -> { });
        WebFeature feature = new WebFeature() {
            @Override
            public String name() {
                return "hello";
            }

            @Override
            public List<SettingKey<?>> settings() {
                return List.of(unlisted);
            }

            @Override
            public List<WebRoute> routes(WebToolkit toolkit) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> new GatehouseWeb(t.gatehouse, WebOptions.builder().feature(feature).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("web feature hello: hello-greeting: not a registered setting")
                .hasMessageContaining("META-INF/services/dev.gatehouse.config.SettingGroup");
    }
}
