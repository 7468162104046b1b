package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.oidc.SignInBrowser.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.MailBackend;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.javalin.Access;
import dev.gatehouse.javalin.GatehousePlugin;
import dev.gatehouse.jdbc.JdbcDatabase;
import dev.gatehouse.jdbc.JdbcStores;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in with a provider end to end: a real Javalin server with {@link OidcFeature}, a real
 * in-process OpenID provider (mock-oauth2-server, which signs in at its authorize endpoint at once
 * and takes its claims from enqueued callbacks), and java.net.http clients that follow every
 * redirect by hand, as a browser would: app, provider, callback, app.
 */
class OidcSignInTest {

    private static final ObjectMapper JSON = SignInBrowser.JSON;
    private static final String PASSWORD = SignInBrowser.PASSWORD;
    private static final String ISSUER_ID = "default";

    private MockOAuth2Server provider;
    private Javalin app;
    private int port;
    private TestGatehouse t;
    private OidcFeature feature;

    @BeforeEach
    void startProvider() {
        provider = new MockOAuth2Server();
        provider.start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        provider.shutdown();
    }

    private void start() throws IOException {
        start(c -> { }, p -> { }, b -> { });
    }

    /** A server with one provider, {@code mock}, mapping its {@code roles} claim to Editor and Reviewer. */
    private void start(Consumer<GatehouseConfig.Builder> config, Consumer<Gatehouse.Builder> parts,
            Consumer<OidcProvider.Builder> providerSettings) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        t = new TestGatehouse(c -> {
            c.set(COOKIE_SECURE, false);
            c.set(RATE_LIMITS_ENABLED, false);
            c.set(MAIL_BACKEND, MailBackend.NONE);
            c.set(REGISTERABLE, true);
            c.set(EXTERNAL_URL, "http://localhost:" + port);
            config.accept(c);
        }, parts);
        OidcProvider.Builder mock = OidcProvider.builder("mock").displayName("Mock ID")
                .issuer(provider.issuerUrl(ISSUER_ID).toString()).clientId("gatehouse-test").clientSecret("client-secret-of-the-test")
                .roleClaim("roles").mappedRoles(List.of("Editor", "Reviewer"));
        providerSettings.accept(mock);
        feature = OidcFeature.builder(t.gatehouse).provider(mock.build()).build();
        GatehousePlugin plugin = new GatehousePlugin(t.gatehouse, WebOptions.builder().feature(feature).build());
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.registerPlugin(plugin);
            cfg.routes.get("/whoami", ctx -> ctx.result(ctx.with(GatehousePlugin.class).user().email()), Access.authenticated());
            cfg.routes.get("/api/token", ctx -> {
                String[] scopes = ctx.queryParam("scope") == null ? new String[0] : ctx.queryParam("scope").split(" ");
                try {
                    ctx.result(feature.accessToken(ctx.with(GatehousePlugin.class).exchange(), scopes));
                } catch (ConsentRequiredException e) {
                    ctx.status(403).header("Location", e.location()).result("consent");
                } catch (SignInRequiredException e) {
                    ctx.status(401).header("Location", e.location()).result("sign in");
                }
            }, Access.authenticated());
        }).start(port);
    }

    /** The provider's next sign-in is {@code subject} with these claims (and tokens living {@code expiry} seconds). */
    private void nextSignIn(String subject, Map<String, Object> claims, long expiry) {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, JOSEObjectType.JWT.getType(), null,
                claims, expiry));
    }

    private void nextSignIn(String subject, String email, boolean verified, String... roles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", email);
        claims.put("email_verified", verified);
        claims.put("roles", List.of(roles));
        nextSignIn(subject, claims, 3600);
    }

    private String issuer() {
        return provider.issuerUrl(ISSUER_ID).toString();
    }

    // ------------------------------------------------------------------ sign-in

    @Test
    void a_first_sign_in_with_a_verified_email_creates_a_confirmed_account_without_password_and_signs_in() throws Exception {
        start();
        nextSignIn("sub-ann", "ann@example.com", true);
        Browser browser = new Browser();
        Reply done = browser.signInWithProvider(Map.of());
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.location()).isEqualTo("/");
        assertThat(done.setsSession()).isTrue();
        assertThat(browser.get("/whoami").body()).isEqualTo("ann@example.com");

        User ann = t.gatehouse.users().findUserByEmail("ann@example.com").orElseThrow();
        assertThat(ann.passwordHash()).isEmpty();
        assertThat(ann.confirmedAt()).isPresent();
        ExternalIdentity identity = t.gatehouse.externalIdentities().find(issuer(), "sub-ann").orElseThrow();
        assertThat(identity.userId()).isEqualTo(ann.id());
        assertThat(identity.provider()).isEqualTo("mock");
        assertThat(identity.lastSignInAt()).isPresent();
        assertThat(events(ann)).contains("user_registered", "external_identity_linked", "user_authenticated");
    }

    @Test
    void the_flow_cookie_is_named_with_the_cookie_name_prefix_so_two_applications_on_one_host_keep_theirs_apart() throws Exception {
        start(c -> c.set("cookie-name-prefix", "wiki"), p -> { }, b -> { });
        nextSignIn("sub-wiki", "wiki@example.com", true);
        Browser browser = new Browser();
        browser.getJson("/login/oauthstart");

        Reply start = browser.post("/login/oauthstart/mock", Map.of("csrf_token", browser.csrf));

        assertThat(start.status()).as(start.body()).isEqualTo(302);
        assertThat(start.setCookies()).anyMatch(c -> c.startsWith("wiki_oidc=") && c.contains("Path=/login/oauthresponse"))
                .noneMatch(c -> c.startsWith("gatehouse_"));
        Reply done = browser.followProvider(start.location());
        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.setCookies()).anyMatch(c -> c.startsWith("wiki_session=") && !c.startsWith("wiki_session=;"))
                .anyMatch(c -> c.startsWith("wiki_oidc=;") && c.contains("Max-Age=0"));
        assertThat(browser.get("/whoami").body()).isEqualTo("wiki@example.com");
    }

    @Test
    void an_identity_already_linked_signs_in_its_account_whatever_email_the_provider_now_says() throws Exception {
        start();
        User bob = t.user("bob@example.com", PASSWORD);
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(bob.id(), "mock", issuer(), "sub-bob",
                Optional.empty(), Instant.now()));
        nextSignIn("sub-bob", "someone-else@example.com", false);
        Browser browser = new Browser();
        assertThat(browser.signInWithProvider(Map.of()).setsSession()).isTrue();
        assertThat(browser.get("/whoami").body()).isEqualTo("bob@example.com");
        assertThat(t.gatehouse.users().findUserByEmail("someone-else@example.com")).isEmpty();
    }

    @Test
    void the_login_page_shows_a_button_per_provider_and_json_clients_get_the_list() throws Exception {
        start();
        Browser browser = new Browser();
        Reply login = browser.get("/login");
        // Browsers apply form-action to the redirect answering the button's post: the provider must be allowed.
        URI issuer = URI.create(issuer());
        assertThat(login.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("form-action 'self' http://" + issuer.getHost() + ":" + issuer.getPort() + ";");
        String page = login.body();
        assertThat(page).contains("Sign in with Mock ID").contains("action=\"/login/oauthstart/mock\"")
                .contains("name=\"csrf_token\"");
        JsonNode list = browser.getJson("/login/oauthstart");
        JsonNode first = list.path("response").path("oauth_providers").get(0);
        assertThat(first.path("name").asText()).isEqualTo("mock");
        assertThat(first.path("display_name").asText()).isEqualTo("Mock ID");
        assertThat(first.path("start_url").asText()).isEqualTo("/login/oauthstart/mock");
        assertThat(list.path("response").path("csrf_token").asText()).isNotEmpty();
        assertThat(browser.get("/login", "Accept-Language", "fr").body()).contains("Se connecter avec Mock ID");
    }

    @Test
    void the_start_needs_the_csrf_token_and_an_anonymous_visitor() throws Exception {
        start();
        Browser browser = new Browser();
        browser.getJson("/login/oauthstart");
        Reply refused = browser.post("/login/oauthstart/mock", Map.of("csrf_token", "forged"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).isEmpty();

        Reply unknown = browser.post("/login/oauthstart/nobody", Map.of("csrf_token", browser.csrf));
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void remember_me_asked_for_at_the_start_is_granted_after_the_callback() throws Exception {
        start();
        nextSignIn("sub-cat", "cat@example.com", true);
        Browser browser = new Browser();
        Reply done = browser.signInWithProvider(Map.of("remember", "y"));
        assertThat(done.setCookies()).anyMatch(c -> c.startsWith("gatehouse_remember=") && !c.startsWith("gatehouse_remember=;"));

        nextSignIn("sub-dan", "dan@example.com", true);
        Reply notRemembered = new Browser().signInWithProvider(Map.of());
        assertThat(notRemembered.setCookies()).noneMatch(c -> c.startsWith("gatehouse_remember=") && !c.startsWith("gatehouse_remember=;"));
    }

    @Test
    void next_survives_the_round_trip_and_an_unsafe_next_is_dropped_for_browsers_and_refused_for_json() throws Exception {
        start();
        nextSignIn("sub-eve", "eve@example.com", true);
        assertThat(new Browser().signInWithProvider(Map.of("next", "/diary?page=2")).location()).isEqualTo("/diary?page=2");

        nextSignIn("sub-fay", "fay@example.com", true);
        assertThat(new Browser().signInWithProvider(Map.of("next", "https://evil.example/")).location()).isEqualTo("/");

        Browser json = new Browser();
        json.getJson("/login/oauthstart");
        Reply refused = json.send("POST", "/login/oauthstart/mock", JSON.writeValueAsString(Map.of("next", "//evil.example/")),
                "Content-Type", "application/json", "Accept", "application/json", "X-CSRFToken", json.csrf);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("Redirections outside the domain are forbidden");
    }

    // ------------------------------------------------------------------ state

    @Test
    void a_replayed_callback_is_refused_even_with_the_flow_cookie() throws Exception {
        start();
        nextSignIn("sub-gil", "gil@example.com", true);
        Browser browser = new Browser();
        String callback = browser.startAndAuthorize(Map.of());
        String flowCookie = browser.flowCookie;
        Reply first = browser.rawCallback(callback, flowCookie);
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.location()).isEqualTo("/");
        assertThat(first.setsSession()).isTrue();

        Reply replay = browser.rawCallback(callback, flowCookie);
        assertThat(replay.status()).isEqualTo(302);
        assertThat(replay.location()).isEqualTo("/login");
        assertThat(replay.setsSession()).isFalse();
        assertThat(replay.clearsFlowCookie()).isTrue();
        // Refused by the used-state marker, before the provider is asked to exchange the used code again.
        Reply replayJson = browser.rawCallback(callback, flowCookie, "Accept", "application/json");
        assertThat(replayJson.status()).isEqualTo(400);
        assertThat(replayJson.json().path("response").path("errors").get(0).asText()).contains("was already used");
        assertThat(replayJson.setsSession()).isFalse();
    }

    @Test
    void a_callback_carrying_another_browsers_state_is_refused() throws Exception {
        start();
        nextSignIn("sub-hal", "hal@example.com", true);
        Browser victim = new Browser();
        String victimsCallback = victim.startAndAuthorize(Map.of());

        Browser attacker = new Browser();
        nextSignIn("sub-ivy", "ivy@example.com", true);
        attacker.startAndAuthorize(Map.of());
        Reply refused = attacker.get(victimsCallback);
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).isEqualTo("/login");
        assertThat(refused.setsSession()).isFalse();
        assertThat(attacker.get("/login").body()).contains("was started in another browser");
        assertThat(attacker.get("/whoami", "Accept", "application/json").status()).isEqualTo(401);
        assertThat(t.gatehouse.users().findUserByEmail("hal@example.com")).isEmpty();
    }

    @Test
    void a_callback_without_the_flow_cookie_is_refused() throws Exception {
        start();
        nextSignIn("sub-jon", "jon@example.com", true);
        String callback = new Browser().startAndAuthorize(Map.of());
        Browser other = new Browser();
        Reply refused = other.get(callback, "Accept", "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("response").path("errors").get(0).asText()).contains("Please start again");
        assertThat(refused.setsSession()).isFalse();
    }

    @Test
    void a_flow_older_than_ten_minutes_is_refused() throws Exception {
        start();
        nextSignIn("sub-old", "old@example.com", true);
        Browser browser = new Browser();
        String callback = browser.startAndAuthorize(Map.of());
        t.clock.advance(Duration.ofMinutes(11));
        Reply refused = browser.get(callback, "Accept", "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("has expired");
        assertThat(refused.setsSession()).isFalse();
        assertThat(t.gatehouse.users().findUserByEmail("old@example.com")).isEmpty();
    }

    @Test
    void a_provider_refusing_the_sign_in_or_unreachable_gets_a_clear_message_and_no_session() throws Exception {
        start();
        Browser browser = new Browser();
        browser.getJson("/login/oauthstart");
        Reply start = browser.post("/login/oauthstart/mock", Map.of("csrf_token", browser.csrf));
        String state = query(URI.create(start.location())).get("state");
        Reply denied = browser.get("/login/oauthresponse/mock?error=access_denied&state=" + state);
        assertThat(denied.location()).isEqualTo("/login");
        assertThat(denied.setsSession()).isFalse();
        assertThat(browser.get("/login").body()).contains("An error occurred while communicating with Mock ID (provider_error)");
        app.stop();

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        start(c -> { }, p -> { }, b -> b.issuer("http://localhost:" + closed + "/default"));
        Browser later = new Browser();
        later.getJson("/login/oauthstart");
        Reply down = later.post("/login/oauthstart/mock", Map.of("csrf_token", later.csrf));
        assertThat(down.location()).isEqualTo("/login");
        assertThat(down.setCookies()).noneMatch(c -> c.startsWith("gatehouse_oidc=s1."));
        assertThat(later.get("/login").body()).contains("(discovery_failed)");
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void an_unverified_email_meeting_an_existing_account_neither_signs_in_nor_links() throws Exception {
        start(c -> c.set(OidcWebSettings.OAUTH_LINK_VERIFIED_EMAIL, true), p -> { }, b -> { });
        t.user("kim@example.com", PASSWORD);
        nextSignIn("sub-kim", "kim@example.com", false);
        Browser browser = new Browser();
        Reply refused = browser.signInWithProvider(Map.of());
        assertThat(refused.location()).isEqualTo("/login");
        assertThat(refused.setsSession()).isFalse();
        assertThat(browser.get("/login").body()).contains("has not verified your email address");
        assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-kim")).isEmpty();
        // And no account is created for an unverified address nobody has either: the same answer.
        nextSignIn("sub-new", "new@example.com", false);
        Browser other = new Browser();
        other.signInWithProvider(Map.of());
        assertThat(other.get("/login").body()).contains("has not verified your email address");
        assertThat(t.gatehouse.users().findUserByEmail("new@example.com")).isEmpty();
    }

    @Test
    void a_verified_email_links_to_the_existing_account_only_when_the_option_is_on() throws Exception {
        start();
        User lea = t.user("lea@example.com", PASSWORD);
        nextSignIn("sub-lea", "lea@example.com", true);
        Browser off = new Browser();
        assertThat(off.signInWithProvider(Map.of()).setsSession()).isFalse();
        assertThat(off.get("/login").body()).contains("sign in with your password, then link Mock ID from your account page");
        assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-lea")).isEmpty();
        app.stop();

        start(c -> c.set(OidcWebSettings.OAUTH_LINK_VERIFIED_EMAIL, true), p -> { }, b -> { });
        User again = t.user("lea@example.com", PASSWORD);
        nextSignIn("sub-lea", "lea@example.com", true);
        Browser on = new Browser();
        assertThat(on.signInWithProvider(Map.of()).setsSession()).isTrue();
        assertThat(on.get("/whoami").body()).isEqualTo("lea@example.com");
        assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-lea").orElseThrow().userId()).isEqualTo(again.id());
        assertThat(events(again)).contains("external_identity_linked", "user_authenticated");
        assertThat(lea.id()).isEqualTo(again.id());
    }

    @Test
    void with_registration_off_no_account_is_created() throws Exception {
        start(c -> c.set(REGISTERABLE, false), p -> { }, b -> { });
        nextSignIn("sub-max", "max@example.com", true);
        Browser browser = new Browser();
        assertThat(browser.signInWithProvider(Map.of()).setsSession()).isFalse();
        assertThat(browser.get("/login").body()).contains("No account here is linked to your Mock ID account.");
        assertThat(t.gatehouse.users().findUserByEmail("max@example.com")).isEmpty();
    }

    @Test
    void a_deactivated_account_is_refused() throws Exception {
        start();
        User ned = t.gatehouse.users().createUser(NewUser.builder("ned@example.com").build());
        t.gatehouse.users().deactivate(ned.id());
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(ned.id(), "mock", issuer(), "sub-ned", Optional.empty(),
                Instant.now()));
        nextSignIn("sub-ned", "ned@example.com", true);
        Browser browser = new Browser();
        assertThat(browser.signInWithProvider(Map.of()).setsSession()).isFalse();
        assertThat(browser.get("/login").body()).contains("Account is disabled.");
    }

    @Test
    void a_provider_proves_one_factor_so_a_two_factor_user_gets_the_second_step_and_a_session_only_after_it() throws Exception {
        start(c -> c.set(TwoFactorSettings.TWO_FACTOR, true).set(TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES, true),
                p -> { }, b -> { });
        User two = t.user("two@example.com", PASSWORD);
        TwoFactor twoFactor = t.gatehouse.twoFactor();
        EventContext context = EventContext.of(t.clock.instant(), two.id(), ClientInfo.UNKNOWN);
        twoFactor.enable(two, FactorMethod.AUTHENTICATOR, Optional.of(twoFactor.newTotpSecret(two).sealedSecret()),
                Optional.empty(), context);
        String recoveryCode = twoFactor.newRecoveryCodes(two, context).get(0);
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(two.id(), "mock", issuer(), "sub-two", Optional.empty(),
                Instant.now()));
        nextSignIn("sub-two", "two@example.com", true);
        Browser browser = new Browser();

        Reply callback = browser.signInWithProvider(Map.of("next", "/whoami"));
        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.location()).isEqualTo("/tf-validate");
        assertThat(callback.setsSession()).isFalse();
        assertThat(callback.setCookies()).anyMatch(c -> c.startsWith("gatehouse_tf_state=") && c.contains("HttpOnly"));
        assertThat(browser.get("/whoami").status()).isNotEqualTo(200);

        Reply form = browser.get("/mf-recovery");
        assertThat(form.status()).isEqualTo(200);
        String csrf = form.body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1");
        Reply done = browser.post("/mf-recovery", Map.of("code", recoveryCode, "csrf_token", csrf));
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.location()).isEqualTo("/whoami");
        assertThat(done.setsSession()).isTrue();
        assertThat(browser.get("/whoami").body()).isEqualTo("two@example.com");
    }

    @Test
    void a_missing_email_claim_is_refused_clearly() throws Exception {
        start();
        nextSignIn("sub-nomail", Map.of(), 3600);
        Browser browser = new Browser();
        assertThat(browser.signInWithProvider(Map.of()).setsSession()).isFalse();
        assertThat(browser.get("/login").body()).contains("did not share your email address");
    }

    @Test
    void the_role_claim_grants_and_revokes_only_the_mapped_roles_at_each_sign_in() throws Exception {
        start();
        nextSignIn("sub-ola", "ola@example.com", true, "Editor", "Unmapped");
        new Browser().signInWithProvider(Map.of());
        User ola = t.gatehouse.users().findUserByEmail("ola@example.com").orElseThrow();
        assertThat(ola.roleNames()).containsExactly("Editor");
        t.gatehouse.users().findOrCreateRole("Writer");
        t.gatehouse.users().addRoleToUser(ola.id(), "Writer");

        nextSignIn("sub-ola", "ola@example.com", true, "Reviewer");
        new Browser().signInWithProvider(Map.of());
        assertThat(t.gatehouse.users().findUserById(ola.id()).orElseThrow().roleNames()).containsExactlyInAnyOrder("Reviewer", "Writer");
    }

    // ------------------------------------------------------------------ linking

    @Test
    void a_signed_in_user_links_a_provider_from_the_account_page_and_unlinks_it_but_never_the_last_way_in() throws Exception {
        start();
        User pia = t.user("pia@example.com", PASSWORD);
        Browser browser = new Browser();
        browser.signInWithPassword("pia@example.com");
        nextSignIn("sub-pia", "pia-at-provider@example.com", false);
        Reply toProvider = browser.send("POST", "/oauth-identities/mock/link", "{}", "Content-Type", "application/json",
                "X-CSRFToken", browser.csrf);
        assertThat(toProvider.status()).isEqualTo(302);
        Reply back = browser.followProvider(toProvider.location());
        assertThat(back.location()).isEqualTo("/oauth-identities");
        assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-pia").orElseThrow().userId()).isEqualTo(pia.id());
        assertThat(browser.get("/oauth-identities").body()).contains("Mock ID is now linked to your account.");

        JsonNode listed = browser.getJson("/oauth-identities").path("response");
        assertThat(listed.path("identities").get(0).path("subject").asText()).isEqualTo("sub-pia");
        assertThat(listed.path("identities").get(0).path("provider").asText()).isEqualTo("mock");

        Reply unlinked = browser.send("POST", "/oauth-identities/unlink",
                JSON.writeValueAsString(Map.of("issuer", issuer(), "subject", "sub-pia")),
                "Content-Type", "application/json", "Accept", "application/json", "X-CSRFToken", browser.csrf);
        assertThat(unlinked.status()).as(unlinked.body()).isEqualTo(200);
        assertThat(t.gatehouse.externalIdentities().listForUser(pia.id())).isEmpty();
        assertThat(events(pia)).contains("external_identity_linked", "external_identity_unlinked");

        // An account made by a provider has no password: its only identity stays.
        nextSignIn("sub-quin", "quin@example.com", true);
        Browser quin = new Browser();
        quin.signInWithProvider(Map.of());
        quin.csrf = quin.getJson("/login").path("response").path("csrf_token").asText();
        Reply last = quin.send("POST", "/oauth-identities/unlink",
                JSON.writeValueAsString(Map.of("issuer", issuer(), "subject", "sub-quin")),
                "Content-Type", "application/json", "Accept", "application/json", "X-CSRFToken", quin.csrf);
        assertThat(last.status()).isEqualTo(400);
        assertThat(last.body()).contains("This is your only way to sign in");
        assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-quin")).isPresent();
    }

    @Test
    void linking_needs_a_fresh_session_and_the_identity_of_nobody_else() throws Exception {
        start();
        User ray = t.user("ray@example.com", PASSWORD);
        User sam = t.user("sam@example.com", PASSWORD);
        t.gatehouse.externalIdentities().link(ExternalIdentity.linked(sam.id(), "mock", issuer(), "sub-sam", Optional.empty(),
                Instant.now()));
        Browser browser = new Browser();
        browser.signInWithPassword("ray@example.com");
        nextSignIn("sub-sam", "sam@example.com", true);
        Reply toProvider = browser.send("POST", "/oauth-identities/mock/link", "{}", "Content-Type", "application/json",
                "X-CSRFToken", browser.csrf);
        Reply back = browser.followProvider(toProvider.location());
        assertThat(back.location()).isEqualTo("/oauth-identities");
        assertThat(browser.get("/oauth-identities").body()).contains("already linked to an account here");
        assertThat(t.gatehouse.externalIdentities().listForUser(ray.id())).isEmpty();

        t.clock.advance(Duration.ofMinutes(20));
        Reply stale = browser.send("POST", "/oauth-identities/mock/link", "{}", "Content-Type", "application/json",
                "Accept", "application/json", "X-CSRFToken", browser.csrf);
        assertThat(stale.status()).isEqualTo(401);
    }

    @Test
    void a_user_without_password_makes_a_stale_session_fresh_again_with_the_linked_provider_and_nobody_elses() throws Exception {
        start();
        nextSignIn("sub-xia", "xia@example.com", true);
        Browser browser = new Browser();
        browser.signInWithProvider(Map.of());
        browser.csrf = browser.getJson("/login").path("response").path("csrf_token").asText();
        t.clock.advance(Duration.ofMinutes(20));
        assertThat(browser.send("POST", "/oauth-identities/mock/link", "{}", "Content-Type", "application/json",
                "Accept", "application/json", "X-CSRFToken", browser.csrf).status()).isEqualTo(401);
        assertThat(browser.get("/verify").body()).contains("Confirm with Mock ID").contains("action=\"/login/oauth-verify-start/mock\"");

        nextSignIn("sub-someone-else", "else@example.com", true);
        Reply toProvider = browser.post("/login/oauth-verify-start/mock", Map.of("csrf_token", browser.csrf, "next", "/oauth-identities"));
        assertThat(toProvider.status()).isEqualTo(302);
        Reply wrong = browser.followProvider(toProvider.location());
        assertThat(wrong.location()).isEqualTo("/verify");
        assertThat(browser.get("/verify").body()).contains("as someone other than the account");

        nextSignIn("sub-xia", "xia@example.com", true);
        Reply again = browser.post("/login/oauth-verify-start/mock", Map.of("csrf_token", browser.csrf, "next", "/oauth-identities"));
        Reply back = browser.followProvider(again.location());
        assertThat(back.location()).isEqualTo("/oauth-identities");
        assertThat(back.setsSession()).as("a new session id").isTrue();
        assertThat(browser.get("/oauth-identities").body()).contains("Mock ID confirmed it is you.");
        browser.csrf = browser.getJson("/login").path("response").path("csrf_token").asText();
        assertThat(browser.send("POST", "/oauth-identities/mock/link", "{}", "Content-Type", "application/json",
                "Accept", "application/json", "X-CSRFToken", browser.csrf).status()).isEqualTo(302);
    }

    // ------------------------------------------------------------------ logout and tokens

    @Test
    void logout_ends_the_session_and_sends_the_browser_to_the_providers_end_session_endpoint() throws Exception {
        start();
        nextSignIn("sub-tom", "tom@example.com", true);
        Browser browser = new Browser();
        browser.signInWithProvider(Map.of());
        browser.csrf = browser.getJson("/login").path("response").path("csrf_token").asText();
        Reply out = browser.post("/logout", Map.of("csrf_token", browser.csrf));
        assertThat(out.status()).isEqualTo(302);
        URI location = URI.create(out.location());
        assertThat(out.location()).startsWith(provider.endSessionEndpointUrl(ISSUER_ID).toString());
        Map<String, String> query = query(location);
        assertThat(query.get("id_token_hint")).isNotEmpty();
        assertThat(query.get("post_logout_redirect_uri")).isEqualTo("http://localhost:" + port + "/");
        assertThat(browser.get("/whoami", "Accept", "application/json").status()).isEqualTo(401);
    }

    @Test
    void the_access_token_is_refreshed_near_expiry_and_a_refused_refresh_asks_for_sign_in() throws Exception {
        start();
        nextSignIn("sub-uma", Map.of("email", "uma@example.com", "email_verified", true), 30);
        Browser browser = new Browser();
        browser.signInWithProvider(Map.of());
        SessionTokens store = new SessionTokens(t.gatehouse.sessionData(), ValueSealer.create(t.gatehouse.config()));
        String family = familyOf("uma@example.com");
        String original = store.find(family, "mock").orElseThrow().tokens().accessToken();

        Reply token = browser.get("/api/token?scope=openid");
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body()).isNotEqualTo(original).contains(".");
        assertThat(store.find(family, "mock").orElseThrow().tokens().accessToken()).isEqualTo(token.body());

        SessionTokens.Held held = store.find(family, "mock").orElseThrow();
        store.put(family, t.gatehouse.users().findUserByEmail("uma@example.com").orElseThrow().id(),
                new SessionTokens.Held("mock", held.issuer(), held.subject(), new ProviderTokens(held.tokens().accessToken(),
                        Optional.of("revoked-refresh-token"), held.tokens().idToken(), Instant.now().minusSeconds(5),
                        held.tokens().scopes())), Instant.now().plusSeconds(3600));
        Reply again = browser.get("/api/token?scope=openid");
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.location()).isEqualTo("/login?next=" + URLEncoder.encode("/api/token?scope=openid", StandardCharsets.UTF_8));
    }

    @Test
    void scopes_not_granted_yet_lead_to_incremental_consent_and_back() throws Exception {
        start();
        nextSignIn("sub-vic", "vic@example.com", true);
        Browser browser = new Browser();
        browser.signInWithProvider(Map.of());
        Reply ask = browser.get("/api/token?scope=api://diary/read");
        assertThat(ask.status()).isEqualTo(403);
        assertThat(ask.location()).startsWith("/login/oauthstart/mock/consent?scope=");

        nextSignIn("sub-vic", "vic@example.com", true);
        Reply toProvider = browser.get(ask.location());
        assertThat(toProvider.status()).isEqualTo(302);
        assertThat(query(URI.create(toProvider.location())).get("scope")).contains("api://diary/read");
        Reply back = browser.followProvider(toProvider.location());
        assertThat(back.location()).isEqualTo("/api/token?scope=api://diary/read");
        Reply token = browser.get(back.location());
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body()).contains(".");
    }

    @Test
    void with_jdbc_stores_the_identity_is_stored_and_the_provider_tokens_are_sealed_at_rest() throws Exception {
        try (JdbcDatabase database = JdbcDatabase.connect("jdbc:h2:mem:oidc-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            start(c -> { }, p -> p.stores(JdbcStores.create(database.dataSource())), b -> { });
            nextSignIn("sub-wes", "wes@example.com", true);
            Browser browser = new Browser();
            assertThat(browser.signInWithProvider(Map.of()).setsSession()).isTrue();
            User wes = t.gatehouse.users().findUserByEmail("wes@example.com").orElseThrow();
            assertThat(t.gatehouse.externalIdentities().find(issuer(), "sub-wes").orElseThrow().userId()).isEqualTo(wes.id());

            String family = familyOf("wes@example.com");
            String stored = t.gatehouse.sessionData().find(family, "oidc:mock").orElseThrow().value();
            SessionTokens tokens = new SessionTokens(t.gatehouse.sessionData(), ValueSealer.create(t.gatehouse.config()));
            String accessToken = tokens.find(family, "mock").orElseThrow().tokens().accessToken();
            assertThat(stored).startsWith("s1.").doesNotContain(accessToken.substring(0, 20)).doesNotContain("sub-wes");
            assertThat(browser.get("/api/token?scope=openid").body()).isEqualTo(accessToken);

            browser.csrf = browser.getJson("/login").path("response").path("csrf_token").asText();
            browser.post("/logout", Map.of("csrf_token", browser.csrf));
            assertThat(t.gatehouse.sessionData().find(family, "oidc:mock")).isEmpty();
            app.stop();
            app = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<String> events(User user) {
        return t.gatehouse.auditLog().forUser(user.id(), 50, Optional.empty()).stream().map(e -> e.type()).toList();
    }

    private String familyOf(String email) {
        long id = t.gatehouse.users().findUserByEmail(email).orElseThrow().id();
        return t.gatehouse.sessions().store().listForUser(id).get(0).familyId();
    }

    /** One browser of these tests: {@link SignInBrowser} at this test's server, provider {@code mock}. */
    private final class Browser extends SignInBrowser {
        Browser() {
            super(port, "mock");
        }
    }
}
