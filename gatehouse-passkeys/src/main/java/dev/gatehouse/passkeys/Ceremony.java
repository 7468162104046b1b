package dev.gatehouse.passkeys;

import java.util.Objects;

/**
 * The first half of a WebAuthn ceremony: the options for {@code navigator.credentials.create} or
 * {@code .get} (WebAuthn's JSON form, base64url for binary values; browsers read it with
 * {@code PublicKeyCredential.parseCreationOptionsFromJSON}/{@code parseRequestOptionsFromJSON}),
 * and the sealed state the client hands back with the credential. The state carries the
 * challenge and whom the ceremony is for; any node with the secret can finish it, once.
 *
 * @param optionsJson the public-key credential options as a JSON object
 * @param state       opaque, sealed, single-use; Flask-Security's {@code wan_state}
 */
public record Ceremony(String optionsJson, String state) {

    /** Checks the fields. */
    public Ceremony {
        Objects.requireNonNull(optionsJson, "optionsJson");
        Objects.requireNonNull(state, "state");
    }
}
