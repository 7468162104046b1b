package dev.gatehouse.web;

import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_ENABLED_METHODS;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SETUP_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SETUP_WITHIN;

import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TotpSetup;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two-factor setup, Flask-Security's {@code two_factor_setup} and {@code two_factor_setup_validate}:
 * {@code GET {two-factor-setup-url}} (the user's state and the choices), {@code POST} with
 * {@code setup} = {@code authenticator} | {@code email} | {@code sms} (with {@code phone}) |
 * {@code disable}, then {@code POST {two-factor-setup-url}/<state>} with the {@code code}. Every
 * step but the last demands a fresh sign-in; the new method counts only once a code proved it.
 *
 * <p>The authenticator's QR code is drawn here as inline SVG ({@link QrCodeSvg}); the new secret
 * exists only sealed, inside the sealed state ({@link SetupStates}). Enabling rotates the user's
 * security stamp (every other sign-in ends); this client gets a new session at once.
 */
final class TwoFactorSetupEndpoints extends FactorEndpoints {

    private final SetupStates states;

    TwoFactorSetupEndpoints(WebToolkit web) {
        super(web);
        this.states = new SetupStates(ValueSealer.create(config), web.gatehouse.clock(), "tf-setup",
                config.get(TWO_FACTOR_SETUP_WITHIN));
    }

    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(TWO_FACTOR_SETUP_URL));
        return List.of(new WebRoute("GET", path, this::setupPage), new WebRoute("POST", path, this::setup),
                new WebRoute("POST", path + "/{token}", this::validate));
    }

    /**
     * Who sets up a factor: the signed-in user (with a fresh sign-in when {@code fresh}), or —
     * during a sign-in that {@code two-factor-required} stopped — the user of the pending sign-in
     * ({@code setup_from_login}), which has no session yet and posts with the login CSRF token.
     * Empty when refused (answered).
     */
    private record Setter(User user, Optional<PendingSignIns.Current> login) {
    }

    private Optional<Setter> setter(Exchange x, boolean fresh) {
        if (web.authenticate(x, web.defaultMechanisms).isEmpty()) {
            Optional<PendingSignIns.Current> pending = web.twoStep.pending.current(x)
                    .filter(current -> current.pending().state().equals(PendingSignIns.SETUP_FROM_LOGIN));
            if (pending.isPresent()) {
                if (Csrf.isUnsafe(x.request.method()) && !anonymousCsrf(x)) {
                    return Optional.empty();
                }
                return Optional.of(new Setter(pending.get().user(), pending));
            }
        }
        return signedIn(x, fresh) ? Optional.of(new Setter(x.authentication.orElseThrow().user(), Optional.empty()))
                : Optional.empty();
    }

    /** {@code tf_available_methods}: the enabled methods, {@code disable} first when turning off is allowed. */
    private List<String> choices(User user) {
        List<String> choices = new ArrayList<>();
        if (!twoFactor.isRequiredFor(user) && twoFactor.primaryMethod(user).isPresent()) {
            choices.add("disable");
        }
        for (FactorMethod method : config.get(TWO_FACTOR_ENABLED_METHODS)) {
            choices.add(method.wireName());
        }
        return choices;
    }

    private void setupPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        Optional<Setter> setter = setter(x, true);
        if (setter.isEmpty()) {
            return;
        }
        User user = setter.get().user();
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            Optional<String> method = twoFactor.primaryMethod(user).map(FactorMethod::wireName);
            body.put("tf_required", twoFactor.isRequiredFor(user));
            body.put("tf_primary_method", method.orElse(null));
            body.put("tf_method", method.orElse(null));
            body.put("tf_phone_number", twoFactor.phoneNumber(user).orElse(null));
            body.put("tf_available_methods", choices(user));
            web.json(x, 200, body);
        } else {
            showChoices(x, 200, user, List.of(), Map.of());
        }
    }

    private void setup(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x)) {
            return;
        }
        Optional<Setter> setter = setter(x, true);
        if (setter.isEmpty()) {
            return;
        }
        User user = setter.get().user();
        Form form = (status, errors, fieldErrors) -> showChoices(x, status, user, errors, fieldErrors);
        String choice = text(x, "setup");
        if (!choices(user).contains(choice)) {
            invalid(x, Map.of("setup", List.of(x.text(choice.isEmpty() ? "TWO_FACTOR_METHOD_NOT_CHOSEN"
                    : "TWO_FACTOR_METHOD_NOT_AVAILABLE"))), form);
            return;
        }
        if (choice.equals("disable")) {
            twoFactor.disable(user, context(x, user));
            if (x.wantsJson()) {
                web.json(x, 200, csrfBody(x));
            } else {
                done(x, "success", "TWO_FACTOR_DISABLED", url(config.get(TWO_FACTOR_SETUP_URL)));
            }
            return;
        }
        FactorMethod method = FactorMethod.fromWire(choice).orElseThrow();
        Optional<Started> started = start(x, user, method, states, form);
        if (started.isEmpty()) {
            return;
        }
        String token = states.seal(started.get().state());
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("tf_state", "validating_profile");
            body.put("tf_primary_method", method.wireName());
            body.put("tf_method", method.wireName());
            body.put("tf_state_token", token);
            started.get().totp().ifPresent(totp -> {
                body.put("tf_authr_key", totp.base32Key());
                body.put("tf_authr_b32key", totp.base32Key());
                body.put("tf_authr_username", user.email());
                body.put("tf_authr_issuer", issuer());
                body.put("tf_authr_uri", totp.otpauthUri());
            });
            web.json(x, 200, body);
        } else {
            showCodeForm(x, 200, user, method, token, started.get().totp(), Map.of());
        }
    }

    private void validate(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x)) {
            return;
        }
        Optional<Setter> setter = setter(x, false);
        if (setter.isEmpty()) {
            return;
        }
        User user = setter.get().user();
        SetupStates.Result opened = states.open(token(x), user.id());
        if (opened.state().isEmpty()) {
            refuseState(x, opened.problem().orElseThrow(), "TWO_FACTOR_SETUP_EXPIRED", states,
                    url(config.get(TWO_FACTOR_SETUP_URL)));
            return;
        }
        SetupStates.State state = opened.state().get();
        String code = text(x, "code");
        CodeCheck check = twoFactor.verify(user, state.method(), code, state.challenge(), state.sealedSecret(), x.client());
        if (!check.accepted()) {
            Form form = (status, errors, fieldErrors) -> showCodeForm(x, status, user, state.method(), token(x), Optional.empty(),
                    fieldErrors.isEmpty() && !errors.isEmpty() ? Map.of("code", errors) : fieldErrors);
            refuseCode(x, check, "code", "TWO_FACTOR_INVALID_TOKEN", form);
            return;
        }
        User enabled = twoFactor.enable(user, state.method(), state.sealedSecret(), state.phone(), context(x, user));
        if (setter.get().login().isPresent()) {
            // The sign-in two-factor-required stopped ends here, with the new factor as its second.
            web.twoStep.complete(x, setter.get().login().get().pending(), enabled, "TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL");
            return;
        }
        User updated = continueSignIn(x, user);
        if (x.wantsJson()) {
            Map<String, Object> body = web.authenticatedBody(x, updated);
            body.put("tf_method", state.method().wireName());
            body.put("tf_primary_method", state.method().wireName());
            body.put("tf_phone", twoFactor.phoneNumber(updated).orElse(null));
            web.json(x, 200, body);
        } else {
            done(x, "success", "TWO_FACTOR_CHANGE_METHOD_SUCCESSFUL", url(config.get(TWO_FACTOR_SETUP_URL)));
        }
    }

    private void showChoices(Exchange x, int status, User user, List<String> errors, Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(TWO_FACTOR_SETUP_URL)), errors, fieldErrors);
        model.put("choices", choices(user));
        model.put("primary_method", twoFactor.primaryMethod(user).map(FactorMethod::wireName).orElse(""));
        model.put("two_factor_required", twoFactor.isRequiredFor(user));
        model.put("phone", x.fields().text("phone").or(() -> twoFactor.phoneNumber(user)).orElse(""));
        web.page(x, status, "two_factor_setup", model);
    }

    private void showCodeForm(Exchange x, int status, User user, FactorMethod method, String token, Optional<TotpSetup> totp,
            Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(TWO_FACTOR_SETUP_URL)) + "/" + token, List.of(), fieldErrors);
        model.put("chosen_method", method.wireName());
        model.put("restart_url", url(config.get(TWO_FACTOR_SETUP_URL)));
        putAuthenticator(x, model, totp, user);
        web.page(x, status, "two_factor_setup_code", model);
    }
}
