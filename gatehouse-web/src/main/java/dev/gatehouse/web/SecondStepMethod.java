package dev.gatehouse.web;

import dev.gatehouse.auth.SecondFactors;
import java.util.Objects;

/**
 * A second factor a {@link WebFeature} provides besides Gatehouse's own (authenticator app, email,
 * SMS), such as gatehouse-passkeys' second-factor passkeys (Flask-Security's {@code tf_method}
 * {@code webauthn}). Users it names get the second step after a first factor; {@code /tf-select}
 * offers it, and the second step for it happens on the feature's own page, which finishes the
 * pending sign-in with {@link WebToolkit#completePendingSignIn}.
 *
 * @param method   the method's wire name in {@code tf_method} and {@code tf_setup_methods}, e.g. {@code webauthn}
 * @param labelKey message key of its name on the selection page
 * @param path     where the second step for it happens (with the {@code url-prefix}); JSON clients get it as
 *                 {@code tf_signin_url}
 * @param users    which users have it set up
 */
public record SecondStepMethod(String method, String labelKey, String path, SecondFactors users) {

    /** Checks the fields. */
    public SecondStepMethod {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(labelKey, "labelKey");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(users, "users");
    }
}
