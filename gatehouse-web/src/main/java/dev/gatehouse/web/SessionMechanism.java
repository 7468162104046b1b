package dev.gatehouse.web;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.session.IssuedSession;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie, or the remember-me cookie, which re-creates a session (and hands out a
 * rotated remember-me cookie) when the session has ended.
 */
final class SessionMechanism implements AuthenticationMechanism {

    private final Gatehouse gatehouse;
    private final Cookies cookies;

    SessionMechanism(Gatehouse gatehouse, Cookies cookies) {
        this.gatehouse = gatehouse;
        this.cookies = cookies;
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.SESSION;
    }

    @Override
    public Optional<Authentication> authenticate(Exchange x) {
        Optional<String> sessionCookie = x.request.cookie(cookies.session);
        if (sessionCookie.isPresent()) {
            Optional<Authentication> resumed = gatehouse.sessions().resume(sessionCookie.get());
            if (resumed.isPresent()) {
                return resumed;
            }
        }
        Optional<String> rememberCookie = x.request.cookie(cookies.remember);
        if (rememberCookie.isEmpty() || x.response == null) {
            // Without a response the rotated remember-me cookie could not be handed out.
            return Optional.empty();
        }
        Optional<IssuedSession> restored = gatehouse.sessions().restore(rememberCookie.get(), x.client());
        if (restored.isEmpty()) {
            x.response.addHeader("Set-Cookie", cookies.expired(cookies.remember));
            return Optional.empty();
        }
        IssuedSession issued = restored.get();
        AuthenticationLog.restored(x, issued.record().userId());
        x.response.addHeader("Set-Cookie", cookies.sessionCookie(cookies.session, issued.secret()));
        issued.rememberSecret().ifPresent(rotated -> x.response.addHeader("Set-Cookie", cookies.persistentCookie(
                cookies.remember, rotated, Duration.between(gatehouse.clock().instant(), issued.rememberExpiresAt().orElseThrow()))));
        return gatehouse.sessions().resume(issued.secret());
    }
}
