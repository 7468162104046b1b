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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /**
     * {@code X-Test-Bearer: ok <email> <scope>...} authenticates with those scopes; any other value
     * is presented and invalid, which the mechanism reports with {@link Exchange#reject}.
     */
    private record RejectingMechanism(TestGatehouse t) implements AuthenticationMechanism {
        static final String INVALID = "Bearer error=\"invalid_token\", error_description=\"the token is not ok\"";

        @Override
        public Mechanism mechanism() {
            return BEARER;
        }

        @Override
        public Optional<Authentication> authenticate(Exchange exchange) {
            Optional<String> header = exchange.request().header("X-Test-Bearer");
            if (header.isEmpty()) {
                return Optional.empty();
            }
            String[] parts = header.get().split(" ");
            if (!parts[0].equals("ok") || parts.length < 2) {
                return exchange.reject(BEARER, INVALID);
            }
            Set<String> scopes = Set.of(Arrays.copyOfRange(parts, 2, parts.length));
            return t.gatehouse.users().findUserByEmail(parts[1])
                    .map(user -> new Authentication(user, BEARER, t.clock.instant(), Optional.empty(), Optional.empty(), scopes));
        }

        @Override
        public Optional<String> challenge() {
            return Optional.of("Bearer");
        }

        @Override
        public Optional<String> insufficientScope(List<String> required) {
            return Optional.of("Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", required) + "\"");
        }
    }

    /** Accepts any {@code X-Test-Bearer}: proof that the walk stopped at a rejection. */
    private record AnythingGoes(TestGatehouse t, String email) implements AuthenticationMechanism {
        @Override
        public Mechanism mechanism() {
            return Mechanism.of("anything");
        }

        @Override
        public Optional<Authentication> authenticate(Exchange exchange) {
            return exchange.request().header("X-Test-Bearer").flatMap(h -> t.gatehouse.users().findUserByEmail(email))
                    .map(user -> new Authentication(user, mechanism(), t.clock.instant(), Optional.empty()));
        }
    }

    @Test
    void rejected_credentials_end_the_walk_with_the_mechanisms_own_challenge_and_a_401_even_for_browsers() {
        TestGatehouse t = new TestGatehouse();
        User ann = t.user("ann@example.com", "correct horse battery");
        t.user("eve@example.com", "correct horse battery");
        GatehouseWeb web = new GatehouseWeb(t.gatehouse, WebOptions.builder().mechanism(new RejectingMechanism(t))
                .mechanism(new AnythingGoes(t, "eve@example.com")).build());
        AccessRule rule = AccessRule.mechanisms(Mechanism.BASIC, BEARER, Mechanism.of("anything"));

        InProcessExchange.Response nothingSent = new InProcessExchange.Response();
        assertThat(web.enforce(new InProcessExchange.Request().header("Accept", "application/json"), nothingSent, rule)).isFalse();
        assertThat(nothingSent.status).isEqualTo(401);
        assertThat(nothingSent.headers.get("www-authenticate")).containsExactly("Basic realm=\"Login Required\"", "Bearer");

        for (String accept : new String[] {"application/json", "text/html"}) {
            InProcessExchange.Request request = new InProcessExchange.Request().header("Accept", accept)
                    .header("X-Test-Bearer", "forged");
            InProcessExchange.Response refused = new InProcessExchange.Response();
            assertThat(web.enforce(request, refused, rule)).as(accept).isFalse();
            assertThat(refused.status).as(accept).isEqualTo(401);
            assertThat(refused.headers.get("www-authenticate")).as(accept).containsExactly(RejectingMechanism.INVALID);
            assertThat(refused.header("Location")).as(accept).isEmpty();
            assertThat(refused.cookiesSet().keySet()).as(accept)
                    .noneMatch(name -> name.endsWith("gatehouse_session") || name.endsWith("gatehouse_remember"));
            assertThat(web.authentication(request, null)).as("the later mechanism was not tried").isEmpty();
            if (accept.equals("application/json")) {
                assertThat(refused.body).as("the usual 401 body").isEqualTo(nothingSent.body);
            }
        }

        // A mechanism tried earlier still answers: valid Basic credentials beat a bad bearer token.
        String basic = "Basic " + Base64.getEncoder().encodeToString("ann@example.com:correct horse battery".getBytes(StandardCharsets.UTF_8));
        InProcessExchange.Request both = new InProcessExchange.Request().header("Authorization", basic).header("X-Test-Bearer", "forged");
        assertThat(web.enforce(both, new InProcessExchange.Response(), rule)).isTrue();
        assertThat(web.authentication(both, null).orElseThrow().user().id()).isEqualTo(ann.id());

        // A route that does not allow the rejecting mechanism never hears of it.
        InProcessExchange.Response basicOnly = new InProcessExchange.Response();
        assertThat(web.enforce(new InProcessExchange.Request().header("X-Test-Bearer", "forged").header("Accept", "application/json"),
                basicOnly, AccessRule.mechanisms(Mechanism.BASIC))).isFalse();
        assertThat(basicOnly.headers.get("www-authenticate")).containsExactly("Basic realm=\"Login Required\"");
    }

    @Test
    void a_missing_scope_is_a_403_with_the_mechanisms_insufficient_scope_challenge_and_the_usual_body() {
        TestGatehouse t = new TestGatehouse(c -> c.set("unauthorized-view", "/denied"));
        User ann = t.user("ann@example.com", "correct horse battery", "Staff");
        GatehouseWeb web = new GatehouseWeb(t.gatehouse, WebOptions.builder().mechanism(new RejectingMechanism(t)).build());
        AccessRule rule = AccessRule.mechanisms(BEARER).and(AccessRule.scopes("entries.read", "entries.write"));

        InProcessExchange.Request granted = new InProcessExchange.Request()
                .header("X-Test-Bearer", "ok ann@example.com entries.write entries.read");
        assertThat(web.enforce(granted, new InProcessExchange.Response(), rule)).isTrue();
        assertThat(web.authentication(granted, null).orElseThrow().scopes()).containsExactlyInAnyOrder("entries.read", "entries.write");

        for (String accept : new String[] {"application/json", "text/html", "*/*"}) {
            InProcessExchange.Response refused = new InProcessExchange.Response();
            assertThat(web.enforce(new InProcessExchange.Request().header("Accept", accept)
                    .header("X-Test-Bearer", "ok ann@example.com entries.read"), refused, rule)).as(accept).isFalse();
            assertThat(refused.status).as("no redirect to unauthorized-view: " + accept).isEqualTo(403);
            assertThat(refused.headers.get("www-authenticate")).as(accept)
                    .containsExactly("Bearer error=\"insufficient_scope\", scope=\"entries.read entries.write\"");
        }

        // A role the user lacks is the ordinary 403, without a challenge (and here the unauthorized-view redirect).
        InProcessExchange.Response lacksRole = new InProcessExchange.Response();
        assertThat(web.enforce(new InProcessExchange.Request().header("Accept", "application/json")
                .header("X-Test-Bearer", "ok ann@example.com entries.read entries.write"), lacksRole,
                rule.and(AccessRule.rolesRequired("Admin")))).isFalse();
        assertThat(lacksRole.status).isEqualTo(403);
        assertThat(lacksRole.header("WWW-Authenticate")).isEmpty();

        // A mechanism without an insufficient_scope challenge (session, token, basic): the plain 403.
        String basic = "Basic " + Base64.getEncoder().encodeToString("ann@example.com:correct horse battery".getBytes(StandardCharsets.UTF_8));
        InProcessExchange.Response basicRefused = new InProcessExchange.Response();
        assertThat(web.enforce(new InProcessExchange.Request().header("Accept", "application/json").header("Authorization", basic),
                basicRefused, AccessRule.mechanisms(Mechanism.BASIC).and(AccessRule.scopes("entries.read")))).isFalse();
        assertThat(basicRefused.status).isEqualTo(403);
        assertThat(basicRefused.header("WWW-Authenticate")).isEmpty();
        assertThat(basicRefused.body).contains("\"code\":403");
        assertThat(ann.roleNames()).containsExactly("Staff");
    }

    @Test
    void a_rejection_challenge_is_one_header_line() {
        AuthenticationMechanism echo = new AuthenticationMechanism() {
            @Override
            public Mechanism mechanism() {
                return BEARER;
            }

            @Override
            public Optional<Authentication> authenticate(Exchange exchange) {
                return exchange.reject(BEARER, exchange.request().header("X-Challenge").orElseThrow());
            }
        };
        GatehouseWeb web = new GatehouseWeb(new TestGatehouse().gatehouse, WebOptions.builder().mechanism(echo).build());
        for (String bad : new String[] {"Bearer\r\nSet-Cookie: a=b", "Bearer\u0000", " "}) {
            InProcessExchange.Request request = new InProcessExchange.Request();
            request.headers.put("x-challenge", bad);
            assertThatThrownBy(() -> web.enforce(request, new InProcessExchange.Response(), AccessRule.mechanisms(BEARER)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        InProcessExchange.Response refused = new InProcessExchange.Response();
        assertThat(web.enforce(new InProcessExchange.Request().header("X-Challenge", "Bearer error=\"invalid_token\""), refused,
                AccessRule.mechanisms(BEARER))).isFalse();
        assertThat(refused.headers.get("www-authenticate")).containsExactly("Bearer error=\"invalid_token\"");
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
