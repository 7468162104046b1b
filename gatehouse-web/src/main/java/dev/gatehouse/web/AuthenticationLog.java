package dev.gatehouse.web;

import dev.gatehouse.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per authentication that is not a sign-in (ASVS 16.3.1), on the same logger as
 * {@link RefusalLog}: a re-authentication at {@code /verify}, a refresh-token exchange, a session
 * restored from a remember-me cookie, a request signed in by HTTP Basic. Sign-ins and failed
 * attempts are audit events already ({@code user_authenticated}, {@code authentication_failed}).
 *
 * <p>Who (user id, client address), how and on which path; never a credential. Levels: INFO for
 * the three that happen at most every few minutes per client; DEBUG for Basic, which
 * authenticates every request and at INFO would log each one.
 */
final class AuthenticationLog {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.NAME);

    private AuthenticationLog() {
    }

    static void reauthenticated(Exchange x, User user) {
        LOG.info("Authenticated {} {}: re-authenticated with the password (user {}, client {})", x.request.method(),
                RefusalLog.path(x), user.id(), RefusalLog.address(x));
    }

    static void refreshed(Exchange x, User user) {
        LOG.info("Authenticated {} {}: refresh token exchanged (user {}, client {})", x.request.method(),
                RefusalLog.path(x), user.id(), RefusalLog.address(x));
    }

    static void restored(Exchange x, long userId) {
        LOG.info("Authenticated {} {}: session restored from the remember-me cookie (user {}, client {})",
                x.request.method(), RefusalLog.path(x), userId, RefusalLog.address(x));
    }

    static void basic(Exchange x, User user) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Authenticated {} {}: HTTP Basic (user {}, client {})", x.request.method(), RefusalLog.path(x),
                    user.id(), RefusalLog.address(x));
        }
    }
}
