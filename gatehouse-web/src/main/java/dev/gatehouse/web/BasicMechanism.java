package dev.gatehouse.web;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.Optional;

/** HTTP Basic credentials, checked on every request (with a short cache, see {@link BasicCredentials}). */
final class BasicMechanism implements AuthenticationMechanism {

    private final BasicCredentials credentials;
    private final Optional<String> challenge;

    BasicMechanism(BasicCredentials credentials, String realm) {
        this.credentials = credentials;
        this.challenge = Optional.of("Basic realm=\"" + realm + "\"");
    }

    @Override
    public Mechanism mechanism() {
        return Mechanism.BASIC;
    }

    @Override
    public Optional<Authentication> authenticate(Exchange x) {
        Optional<Authentication> result = x.request.header("Authorization").flatMap(credentials::authenticate);
        result.ifPresent(auth -> AuthenticationLog.basic(x, auth.user()));
        return result;
    }

    @Override
    public Optional<String> challenge() {
        return challenge;
    }
}
