package dev.gatehouse.session;

import java.util.Objects;
import java.util.Optional;

/**
 * A session just started: the secrets to put into cookies, and the stored records. The secrets
 * exist only here and in the client's cookies; the store has their digests.
 *
 * @param secret         value of the session cookie
 * @param record         the stored session
 * @param rememberSecret value of the remember-me cookie, when remember-me was asked for
 */
public record IssuedSession(String secret, SessionRecord record, Optional<String> rememberSecret) {

    public IssuedSession {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(rememberSecret, "rememberSecret");
    }

    @Override
    public String toString() {
        return "IssuedSession[" + record + ", remember=" + rememberSecret.isPresent() + "]";
    }
}
