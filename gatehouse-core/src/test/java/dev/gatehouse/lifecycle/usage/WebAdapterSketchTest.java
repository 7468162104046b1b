package dev.gatehouse.lifecycle.usage;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.LoginCodeResult;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.lifecycle.RegisterResult;
import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.lifecycle.SendResult;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.testing.Mailbox;
import dev.gatehouse.testing.TestGatehouse;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a web adapter (stage two) does with the lifecycle flows, written from outside Gatehouse's
 * packages: only public API, each result turned into a status and a Flask-Security message key.
 * If something an adapter needs were not public, this would not compile.
 */
class WebAdapterSketchTest {

    /** An HTTP answer: status, message key, Retry-After seconds (0 for none). */
    private record Answer(int status, String message, long retryAfter) {
    }

    private static Answer register(Gatehouse g, Map<String, String> form, ClientInfo client) {
        try {
            RegisterResult result = g.registration().register(Registration.builder(form.get("email"), form.get("password"))
                    .passwordConfirm(form.get("password_confirm")).build(), client);
            if (result instanceof RateLimited limited) {
                return new Answer(429, "RATE_LIMITED", limited.retryAfter().toSeconds());
            }
            if (result instanceof RegisterResult.SignedUp) {
                return new Answer(200, "REGISTERED_AND_SIGNED_IN", 0);
            }
            if (result instanceof RegisterResult.ConfirmationSent
                    || result instanceof RegisterResult.Accepted accepted && accepted.confirmationRequired()) {
                return new Answer(200, "CONFIRM_REGISTRATION", 0);
            }
            return new Answer(200, "REGISTERED", 0);
        } catch (InvalidInputException e) {
            return new Answer(400, e.field() + ":" + e.code(), 0);
        }
    }

    private static Answer forgot(Gatehouse g, String email, ClientInfo client) {
        SendResult result = g.recovery().requestReset(email, client);
        return result instanceof RateLimited limited
                ? new Answer(429, "RATE_LIMITED", limited.retryAfter().toSeconds())
                : new Answer(200, "GENERIC_RECOVERY", 0);
    }

    private static Answer signIn(Gatehouse g, SignInResult result) {
        boolean generic = g.config().get(RETURN_GENERIC_RESPONSES);
        if (result instanceof SignInResult.SignedIn) {
            return new Answer(200, "SIGNED_IN", 0);
        }
        if (result instanceof SignInResult.RateLimited limited) {
            return new Answer(429, "RATE_LIMITED", limited.retryAfter().toSeconds());
        }
        if (result instanceof SignInResult.LockedOut && !generic) {
            return new Answer(400, "LOCKED_OUT", 0);
        }
        if (result instanceof SignInResult.InvalidCredentials invalid && !generic) {
            return new Answer(400, invalid.reason().name(), 0);
        }
        return new Answer(400, "GENERIC_AUTHN_FAILED", 0);
    }

    @Test
    void an_adapter_maps_every_outcome_without_internal_types() {
        TestGatehouse t = new TestGatehouse(c -> c.set(REGISTERABLE, true).set(CONFIRMABLE, true).set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true)
                .set(EXTERNAL_URL, "https://app.example.com"));
        Gatehouse g = t.gatehouse;
        ClientInfo client = ClientInfo.of("203.0.113.1", "Browser").withLocale(Locale.FRENCH);
        Mailbox mail = new Mailbox(g);

        assertThat(register(g, Map.of("email", "a@example.com", "password", "correct horse battery",
                "password_confirm", "correct horse battery"), client)).isEqualTo(new Answer(200, "CONFIRM_REGISTRATION", 0));
        assertThat(register(g, Map.of("email", "a@example.com", "password", "correct horse battery",
                "password_confirm", "typo"), client)).isEqualTo(new Answer(400, "password_confirm:RETYPE_PASSWORD_MISMATCH", 0));
        assertThat(forgot(g, "nobody@example.com", client)).isEqualTo(new Answer(200, "GENERIC_RECOVERY", 0));

        g.confirmation().confirm(mail.deliver().get(0).token("confirmation_link"), client);
        assertThat(signIn(g, g.signIn().signIn("a@example.com", "wrong password", client)))
                .isEqualTo(new Answer(400, "GENERIC_AUTHN_FAILED", 0));
        LoginCodeResult.CodeSent sent = (LoginCodeResult.CodeSent) g.passwordless().sendCode("a@example.com", client);
        String code = mail.deliver().stream().filter(d -> d.template().equals("login_instructions")).findFirst()
                .orElseThrow().get("code");
        assertThat(signIn(g, g.passwordless().verifyCode(sent.challenge(), code, client)))
                .isEqualTo(new Answer(200, "SIGNED_IN", 0));
    }
}
