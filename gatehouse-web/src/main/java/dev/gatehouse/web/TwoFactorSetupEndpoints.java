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
import java.util.LinkedHashMap;
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
        if (!signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
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
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
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
            showCodeForm(x, 200, method, token, started.get().totp(), Map.of());
        }
    }

    private void validate(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, false)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
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
            Form form = (status, errors, fieldErrors) -> showCodeForm(x, status, state.method(), token(x), Optional.empty(),
                    fieldErrors.isEmpty() && !errors.isEmpty() ? Map.of("code", errors) : fieldErrors);
            refuseCode(x, check, "code", "TWO_FACTOR_INVALID_TOKEN", form);
            return;
        }
        twoFactor.enable(user, state.method(), state.sealedSecret(), state.phone(), context(x, user));
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

    private void showCodeForm(Exchange x, int status, FactorMethod method, String token, Optional<TotpSetup> totp,
            Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(TWO_FACTOR_SETUP_URL)) + "/" + token, List.of(), fieldErrors);
        model.put("chosen_method", method.wireName());
        model.put("restart_url", url(config.get(TWO_FACTOR_SETUP_URL)));
        putAuthenticator(x, model, totp, x.authentication.orElseThrow().user());
        web.page(x, status, "two_factor_setup_code", model);
    }
}
