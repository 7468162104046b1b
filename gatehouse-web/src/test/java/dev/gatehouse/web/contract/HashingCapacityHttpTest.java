package dev.gatehouse.web.contract;

import static dev.gatehouse.config.Settings.CHANGEABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.web.contract.HttpClientSession.basic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.password.HashingGate;
import dev.gatehouse.user.User;
import dev.gatehouse.web.WebOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password hashing on a bounded pool, over HTTP: with one hashing slot held by a sign-in at a
 * closed {@link HashingGate}, every other request that must check or hash a password is refused at
 * once with 503 and {@code Retry-After}, and succeeds again when the slot frees.
 */
@HttpContract
class HashingCapacityHttpTest {

    private static final String NEW_PASSWORD = "a long enough passphrase";
    /** Short, so that refusals come quickly; nothing here depends on how long it is. */
    private static final HashingGate GATE = new HashingGate(Duration.ofMillis(20));
    private static TestApp app;
    /** The request holding the slot in the current test, if any. */
    private static CompletableFuture<HttpClientSession.Reply> held;

    @BeforeAll
    static void start() {
        app = new TestApp(c -> c.set(REGISTERABLE, true).set(CHANGEABLE, true), WebOptions.defaults(),
                parts -> parts.passwordHasher(GATE.hasher()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** The held request gives its slot back before the next test hashes anything. */
    @AfterEach
    void openTheGate() throws Exception {
        GATE.open();
        if (held != null) {
            held.get(30, TimeUnit.SECONDS);
            held = null;
        }
    }

    @Test
    void a_sign_in_that_finds_the_only_slot_busy_gets_503_with_retry_after_and_one_after_it_frees_succeeds() throws Exception {
        User user = app.newUser("busy-login");
        CompletableFuture<HttpClientSession.Reply> first = holdTheSlot(() -> app.client().login(user.email(), TestApp.PASSWORD));

        HttpClientSession.Reply second = app.client().login(user.email(), TestApp.PASSWORD);

        assertBusy(second);
        assertThat(second.json().path("meta").path("code").asInt()).isEqualTo(503);
        assertThat(second.errors()).containsExactly("The server is busy. Please try again in a moment.");
        assertThat(second.setCookies()).noneMatch(c -> c.startsWith("gatehouse_session="));

        assertThat(release(first).status()).isEqualTo(200);
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void an_unknown_account_is_refused_alike_since_its_dummy_check_needs_a_slot_too() throws Exception {
        User user = app.newUser("busy-unknown");
        holdTheSlot(() -> app.client().login(user.email(), TestApp.PASSWORD));

        assertBusy(app.client().login(TestApp.email("nobody-busy"), TestApp.PASSWORD));
    }

    @Test
    void a_browser_gets_the_error_page_with_503_in_its_language() throws Exception {
        User user = app.newUser("busy-browser");
        holdTheSlot(() -> app.client().login(user.email(), TestApp.PASSWORD));
        HttpClientSession browser = app.client();
        String csrf = browser.csrfToken();

        HttpClientSession.Reply page = browser.postForm("/login",
                Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", csrf), "Accept-Language", "de");

        assertBusy(page);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("Der Server ist gerade ausgelastet.");
    }

    @Test
    void http_basic_is_refused_with_503_while_busy_and_accepted_after() throws Exception {
        User user = app.newUser("busy-basic");
        User holder = app.newUser("busy-basic-holder");
        CompletableFuture<HttpClientSession.Reply> first = holdTheSlot(() -> app.client().login(holder.email(), TestApp.PASSWORD));

        HttpClientSession.Reply refused = app.client().getJson("/basic", "Authorization", basic(user.email(), TestApp.PASSWORD));

        assertBusy(refused);
        assertThat(refused.header("WWW-Authenticate")).as("not a credentials problem").isNull();
        assertThat(release(first).status()).isEqualTo(200);
        assertThat(app.client().get("/basic", "Authorization", basic(user.email(), TestApp.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void an_application_handler_asking_for_the_current_user_by_http_basic_gets_503_too() throws Exception {
        HashingGate gate = new HashingGate(Duration.ofMillis(20));
        try (TestApp basicByDefault = new TestApp(c -> c.set("api-enabled-methods", "session, basic"), WebOptions.defaults(),
                parts -> parts.passwordHasher(gate.hasher()))) {
            User user = basicByDefault.newUser("busy-current-user");
            User holder = basicByDefault.newUser("busy-current-user-holder");
            CompletableFuture<HttpClientSession.Reply> first = holdTheSlot(gate,
                    () -> basicByDefault.client().login(holder.email(), TestApp.PASSWORD));

            assertBusy(basicByDefault.client().getJson("/public", "Authorization", basic(user.email(), TestApp.PASSWORD)));

            gate.open();
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(basicByDefault.client().get("/public", "Authorization", basic(user.email(), TestApp.PASSWORD)).body())
                    .contains(user.email());
        } finally {
            gate.open();
        }
    }

    @Test
    void registration_is_refused_with_503_and_creates_no_account() throws Exception {
        User holder = app.newUser("busy-register-holder");
        CompletableFuture<HttpClientSession.Reply> first = holdTheSlot(() -> app.client().login(holder.email(), TestApp.PASSWORD));
        HttpClientSession client = app.client();
        String email = TestApp.email("busy-register");

        assertBusy(client.postJson("/register", Map.of("email", email, "password", NEW_PASSWORD), "X-CSRFToken", client.csrfToken()));

        assertThat(app.gatehouse.users().findUserByEmail(email)).isEmpty();
        release(first);
        assertThat(client.postJson("/register", Map.of("email", email, "password", NEW_PASSWORD), "X-CSRFToken", client.csrfToken())
                .status()).isEqualTo(200);
    }

    @Test
    void re_authentication_and_a_password_change_are_refused_with_503_and_change_nothing() throws Exception {
        User user = app.newUser("busy-change");
        HttpClientSession signedIn = app.client();
        assertThat(signedIn.login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
        User holder = app.newUser("busy-change-holder");
        CompletableFuture<HttpClientSession.Reply> first = holdTheSlot(() -> app.client().login(holder.email(), TestApp.PASSWORD));
        String csrf = signedIn.csrfToken();

        assertBusy(signedIn.postJson("/verify", Map.of("password", TestApp.PASSWORD), "X-CSRFToken", csrf));
        assertBusy(signedIn.postJson("/change", Map.of("password", TestApp.PASSWORD, "new_password", NEW_PASSWORD,
                "new_password_confirm", NEW_PASSWORD), "X-CSRFToken", csrf));

        release(first);
        assertThat(signedIn.getJson("/api/me").status()).as("the session survived").isEqualTo(200);
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).as("the old password still works").isEqualTo(200);
    }

    private static CompletableFuture<HttpClientSession.Reply> holdTheSlot(Supplier<HttpClientSession.Reply> request)
            throws InterruptedException {
        held = holdTheSlot(GATE, request);
        return held;
    }

    /** Starts {@code requestToHold} with {@code gate} closed and returns once its password check holds the only slot. */
    private static CompletableFuture<HttpClientSession.Reply> holdTheSlot(HashingGate gate,
            Supplier<HttpClientSession.Reply> requestToHold) throws InterruptedException {
        gate.close();
        CompletableFuture<HttpClientSession.Reply> request = CompletableFuture.supplyAsync(requestToHold);
        gate.awaitHeld();
        return request;
    }

    /** Opens the gate and waits for the held request, so that its slot is free again. */
    @Test
    void a_sign_in_that_finds_every_admission_taken_gets_503_and_one_after_they_end_succeeds() throws Exception {
        User user = app.newUser("busy-admission");
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService holders = Executors.newFixedThreadPool(2);
        try {
            // Two checks in progress per slot: the one slot's admissions are all taken, no hash runs.
            Future<Boolean> first = GATE.holdAnAdmission(holders, done);
            Future<Boolean> second = GATE.holdAnAdmission(holders, done);

            assertBusy(app.client().login(user.email(), TestApp.PASSWORD));

            done.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            done.countDown();
            holders.shutdownNow();
        }
        assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
    }

    private static HttpClientSession.Reply release(CompletableFuture<HttpClientSession.Reply> request) throws Exception {
        GATE.open();
        return request.get(30, TimeUnit.SECONDS);
    }

    private static void assertBusy(HttpClientSession.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }
}
