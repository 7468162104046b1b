package dev.gatehouse.web.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.user.User;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code trackable}: sign-in times, addresses and counts, and whose address counts. */
@HttpContract
class LoginTrackingTest {

    private static User reload(TestApp app, User user) {
        return app.gatehouse.users().findUserById(user.id()).orElseThrow();
    }

    private static boolean isLoopback(String address) throws UnknownHostException {
        return InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
    }

    @Test
    void each_login_records_time_address_and_count_and_moves_the_previous_ones_to_last() throws Exception {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true"))) {
            User user = app.newUser("tracked");
            Instant first = app.t.clock.instant();

            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
            User afterFirst = reload(app, user);
            assertThat(afterFirst.loginCount()).isEqualTo(1);
            assertThat(afterFirst.currentLoginAt()).contains(first);
            assertThat(afterFirst.currentLoginIp()).hasValueSatisfying(ip -> assertThat(ip).isNotBlank());
            assertThat(isLoopback(afterFirst.currentLoginIp().orElseThrow())).isTrue();

            app.t.clock.advance(Duration.ofHours(3));
            Instant second = app.t.clock.instant();
            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);
            User afterSecond = reload(app, user);
            assertThat(afterSecond.loginCount()).isEqualTo(2);
            assertThat(afterSecond.currentLoginAt()).contains(second);
            assertThat(afterSecond.lastLoginAt()).contains(first);
            assertThat(afterSecond.lastLoginIp()).isEqualTo(afterFirst.currentLoginIp());
        }
    }

    @Test
    void a_form_login_is_tracked_too_and_a_failed_one_is_not() {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true"))) {
            User user = app.newUser("form-tracked");
            HttpClientSession browser = app.client();

            browser.postForm("/login", Map.of("email", user.email(), "password", "wrong password", "csrf_token", browser.csrfToken()));
            assertThat(reload(app, user).loginCount()).isZero();

            HttpClientSession.Reply login = browser.postForm("/login",
                    Map.of("email", user.email(), "password", TestApp.PASSWORD, "csrf_token", browser.csrfToken()));
            assertThat(login.status()).isEqualTo(302);
            assertThat(reload(app, user).loginCount()).isEqualTo(1);
        }
    }

    @Test
    void without_trackable_nothing_is_recorded() {
        try (TestApp app = new TestApp()) {
            User user = app.newUser("untracked");

            assertThat(app.client().login(user.email(), TestApp.PASSWORD).status()).isEqualTo(200);

            User after = reload(app, user);
            assertThat(after.loginCount()).isZero();
            assertThat(after.currentLoginAt()).isEmpty();
            assertThat(after.currentLoginIp()).isEmpty();
        }
    }

    @Test
    void without_trusted_proxies_a_spoofed_x_forwarded_for_is_ignored() throws Exception {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true").set("trusted-proxy-count", "0"))) {
            User user = app.newUser("spoofed");

            assertThat(app.client().login(user.email(), TestApp.PASSWORD, Map.of(), "X-Forwarded-For", "203.0.113.9").status())
                    .isEqualTo(200);

            String ip = reload(app, user).currentLoginIp().orElseThrow();
            assertThat(ip).isNotEqualTo("203.0.113.9");
            assertThat(isLoopback(ip)).isTrue();
        }
    }

    @Test
    void with_one_trusted_proxy_the_right_most_forwarded_address_is_the_client() {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true").set("trusted-proxy-count", "1"))) {
            User user = app.newUser("one-proxy");

            app.client().login(user.email(), TestApp.PASSWORD, Map.of(), "X-Forwarded-For", "198.51.100.7, 203.0.113.9");

            assertThat(reload(app, user).currentLoginIp()).contains("203.0.113.9");
        }
    }

    @Test
    void with_two_trusted_proxies_the_second_address_from_the_right_is_the_client() {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true").set("trusted-proxy-count", "2"))) {
            User user = app.newUser("two-proxies");

            app.client().login(user.email(), TestApp.PASSWORD, Map.of(), "X-Forwarded-For", "198.51.100.7, 203.0.113.9");

            assertThat(reload(app, user).currentLoginIp()).contains("198.51.100.7");
        }
    }

    @Test
    void with_a_trusted_proxy_but_no_or_a_garbage_header_the_peer_address_counts() throws Exception {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true").set("trusted-proxy-count", "1"))) {
            User plain = app.newUser("no-header");
            User garbage = app.newUser("garbage-header");

            app.client().login(plain.email(), TestApp.PASSWORD);
            app.client().login(garbage.email(), TestApp.PASSWORD, Map.of(), "X-Forwarded-For", "<script>");

            assertThat(isLoopback(reload(app, plain).currentLoginIp().orElseThrow())).isTrue();
            assertThat(isLoopback(reload(app, garbage).currentLoginIp().orElseThrow())).isTrue();
        }
    }

    @Test
    void a_programmatic_login_is_tracked_like_one_through_the_endpoint() {
        try (TestApp app = new TestApp(c -> c.set("trackable", "true"))) {
            User user = app.newUser("programmatic-tracked");

            HttpClientSession.Reply reply = app.client().postJson("/programmatic-login/" + user.id(), Map.of());

            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            User after = reload(app, user);
            assertThat(after.loginCount()).isEqualTo(1);
            assertThat(after.currentLoginAt()).contains(app.t.clock.instant());
            assertThat(after.lastLoginAt()).as("the first sign-in is also the last, as in Flask-Security").contains(app.t.clock.instant());
        }
    }
}
