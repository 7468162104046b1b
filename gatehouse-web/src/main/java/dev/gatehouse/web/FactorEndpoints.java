package dev.gatehouse.web;

import static dev.gatehouse.twofactor.TwoFactorSettings.TOTP_ISSUER;

import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the endpoints that set up or check a user's factors share ({@code /tf-setup},
 * {@code /us-setup}, {@code /us-verify}, {@code /mf-recovery-codes}): starting a setup (new TOTP
 * secret or a sent code), mapping a {@link CodeCheck} to the answer, and keeping the client signed
 * in after a change that rotated the security stamp.
 */
abstract class FactorEndpoints extends FlowEndpoints {

    final TwoFactor twoFactor;

    FactorEndpoints(WebToolkit web) {
        super(web);
        this.twoFactor = web.gatehouse.twoFactor();
    }

    /** A setup begun: the state to seal, and for the authenticator what its QR code shows. */
    record Started(SetupStates.State state, Optional<TotpSetup> totp) {
    }

    /**
     * Begins setting up {@code method}: a new TOTP secret for the authenticator, otherwise a code
     * sent by email or to the {@code phone} field's number. Refusals (a bad phone number, a rate
     * limit, no SMS sender) have been answered when the result is empty.
     */
    Optional<Started> start(Exchange x, User user, FactorMethod method, SetupStates states, Form form) {
        Optional<String> phone = Optional.empty();
        if (method == FactorMethod.SMS) {
            phone = Optional.of(text(x, "phone"));
            if (phone.get().isEmpty()) {
                invalid(x, Map.of("phone", List.of(x.text("PHONE_INVALID"))), form);
                return Optional.empty();
            }
        }
        Optional<TotpSetup> totp = method == FactorMethod.AUTHENTICATOR ? Optional.of(twoFactor.newTotpSecret(user))
                : Optional.empty();
        SetupStates.State state = states.start(user.id(), method, totp.map(TotpSetup::sealedSecret), phone);
        if (method != FactorMethod.AUTHENTICATOR) {
            Optional<java.time.Duration> limited;
            try {
                limited = twoFactor.sendCode(user, method, state.challenge(), phone);
            } catch (InvalidInputException e) {
                invalid(x, Map.of(method == FactorMethod.SMS ? "phone" : "setup", List.of(message(x, e))), form);
                return Optional.empty();
            }
            if (limited.isPresent()) {
                rateLimited(x, limited.get(), form);
                return Optional.empty();
            }
        }
        return Optional.of(new Started(state, totp));
    }

    /** A state that does not open: JSON 400 with the reason, browsers back to {@code restartUrl} with it. */
    void refuseState(Exchange x, SetupStates.Problem problem, String expiredKey, SetupStates states, String restartUrl) {
        String message = problem == SetupStates.Problem.EXPIRED
                ? x.text(expiredKey, Map.of("within", DurationTexts.describe(states.validity(), web.messages, x.locale())))
                : x.text("API_ERROR");
        if (x.wantsJson()) {
            web.json(x, 400, Map.of(), List.of(message), Map.of());
        } else {
            done(x, "error", message, restartUrl);
        }
    }

    /**
     * A code that did not pass: 429 when rate-limited, otherwise 400 on {@code field} — wrong,
     * replayed, expired and exhausted codes alike, so a guesser learns nothing; a lock says so
     * as {@code /verify} does.
     */
    void refuseCode(Exchange x, CodeCheck check, String field, String invalidKey, Form form) {
        if (check == CodeCheck.RATE_LIMITED) {
            rateLimited(x, java.time.Duration.ofMinutes(1), form);
            return;
        }
        String message = check == CodeCheck.LOCKED_OUT ? web.lockedMessage(x, Optional.empty()) : x.text(invalidKey);
        invalid(x, Map.of(field, List.of(message)), form);
    }

    /**
     * After a change that rotated the user's security stamp (which ended every sign-in, this one
     * included): the user as stored now, and this client signed in again — a new session (kept
     * remembered if it was) or, for a token client, a fresh authentication a new token can be
     * issued from. Does nothing more when the stamp did not change.
     */
    User continueSignIn(Exchange x, User before) {
        User now = web.gatehouse.users().findUserById(before.id()).orElse(before);
        if (now.securityStamp().equals(before.securityStamp())) {
            return now;
        }
        Authentication auth = x.authentication.orElseThrow();
        if (auth.mechanism().equals(Mechanism.SESSION)) {
            boolean remembered = x.request.cookie(web.cookies.remember).isPresent();
            web.login(x.request, x.response, now, remembered, Optional.empty(), true);
        } else {
            x.authentication = Optional.of(new Authentication(now, auth.mechanism(), web.gatehouse.clock().instant(),
                    Optional.empty()));
        }
        return now;
    }

    /** The QR code, key, issuer and account name of a new authenticator secret, for a page's model. */
    void putAuthenticator(Exchange x, Map<String, Object> model, Optional<TotpSetup> totp, User user) {
        totp.ifPresent(setup -> {
            model.put("authr_qrcode", QrCodeSvg.svg(setup.otpauthUri(), x.text("LABEL_AUTHR_QRCODE")));
            model.put("authr_key", setup.base32Key());
            model.put("authr_issuer", issuer());
            model.put("authr_username", user.email());
        });
    }

    /** {@code totp-issuer}, by default the site's name: what the authenticator app lists the account under. */
    String issuer() {
        return config.get(TOTP_ISSUER).orElseGet(() -> web.config.get(Settings.SITE_NAME));
    }

    EventContext context(Exchange x, User user) {
        return EventContext.of(web.gatehouse.clock().instant(), user.id(), x.client());
    }
}
