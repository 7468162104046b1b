package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.MAIL_BACKEND;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.MailBackend;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.user.User;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link GatehouseWeb#csrfToken} asked for by an application on a route without an access rule,
 * where nothing has authenticated the request yet: a signed-in user still gets the token bound
 * to their session, the one a protected unsafe route checks.
 */
class CsrfTokenBindingTest {

    private final TestGatehouse t = new TestGatehouse(c -> c.set(COOKIE_SECURE, false).set(RATE_LIMITS_ENABLED, false).set(MAIL_BACKEND, MailBackend.NONE));
    private final GatehouseWeb web = new GatehouseWeb(t.gatehouse);

    @Test
    void aTokenAskedForOnAnUnprotectedRouteIsBoundToTheSession() {
        User user = t.user("csrf@example.com", "correct horse battery");
        String session = t.gatehouse.sessions().start(user, false, Optional.empty(), ClientInfo.UNKNOWN).secret();

        InProcessExchange.Request page = new InProcessExchange.Request().cookieHeader("gatehouse_session=" + session);
        String token = web.csrfToken(page, new InProcessExchange.Response());

        assertThat(post(session, token)).as("with the token").isTrue();
        assertThat(post(session, "x" + token)).as("with another token").isFalse();
    }

    /** Whether a POST with this session cookie and CSRF token passes a route that needs sign-in. */
    private boolean post(String session, String token) {
        InProcessExchange.Request post = new InProcessExchange.Request().cookieHeader("gatehouse_session=" + session)
                .header("X-CSRF-Token", token);
        post.method = "POST";
        post.path = "/note";
        return web.enforce(post, new InProcessExchange.Response(), AccessRule.authenticated());
    }
}
