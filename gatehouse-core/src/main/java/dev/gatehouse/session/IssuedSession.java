package dev.gatehouse.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A session just started: the secrets to put into cookies, and the stored records. The secrets
 * exist only here and in the client's cookies; the store has their digests.
 *
 * @param secret         value of the session cookie
 * @param record         the stored session
 * @param rememberSecret    value of the remember-me cookie, when remember-me was asked for or a
 *                          grant was rotated
 * @param rememberExpiresAt when that remember-me grant ends, if there is one
 */
public record IssuedSession(String secret, SessionRecord record, Optional<String> rememberSecret,
        Optional<Instant> rememberExpiresAt) {

    public IssuedSession {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(rememberSecret, "rememberSecret");
        Objects.requireNonNull(rememberExpiresAt, "rememberExpiresAt");
    }

    @Override
    public String toString() {
        return "IssuedSession[" + record + ", remember=" + rememberSecret.isPresent() + "]";
    }
}
