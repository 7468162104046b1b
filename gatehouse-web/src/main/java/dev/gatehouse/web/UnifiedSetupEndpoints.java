package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_ENABLED_METHODS;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_SETUP_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_SETUP_WITHIN;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_VERIFY_SEND_CODE_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.US_VERIFY_URL;

import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.token.ValueSealer;
import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Unified sign-in setup and re-authentication with a code, Flask-Security's {@code us_setup},
 * {@code us_setup_validate}, {@code us_verify} and {@code us_verify_send_code}:
 * <ul>
 *   <li>{@code GET|POST {us-setup-url}} (fresh sign-in required): the methods {@code /us-signin}
 *       accepts for this user; {@code chosen_method} adds one ({@code authenticator}: QR code and
 *       key; {@code sms}: a code texted to {@code phone}), {@code delete_method} removes some.</li>
 *   <li>{@code POST {us-setup-url}/<state>} with {@code passcode}: the new method works once its code did.</li>
 *   <li>{@code GET|POST {us-verify-url}} with {@code passcode} (and {@code chosen_method}): the
 *       password, an authenticator code, or a code sent by {@code POST {us-verify-send-code-url}};
 *       success makes the sign-in fresh again, as {@code /verify} does with the password.</li>
 * </ul>
 * The email code is every account's (its address is confirmed), so it needs no setup here.
 */
final class UnifiedSetupEndpoints extends FactorEndpoints {

    private static final Pattern DIGITS = Pattern.compile("\\d{6,8}");

    private final SetupStates setupStates;
    /** The challenge of a code sent for re-authentication, in the verify cookie: bound to this user and client. */
    private final SetupStates verifyStates;

    UnifiedSetupEndpoints(WebToolkit web) {
        super(web);
        ValueSealer sealer = ValueSealer.create(config);
        this.setupStates = new SetupStates(sealer, web.gatehouse.clock(), "us-setup", config.get(US_SETUP_WITHIN));
        this.verifyStates = new SetupStates(sealer, web.gatehouse.clock(), "us-verify", config.get(US_SETUP_WITHIN));
    }

    @Override
    List<WebRoute> endpoints() {
        String setup = url(config.get(US_SETUP_URL));
        String verify = url(config.get(US_VERIFY_URL));
        return List.of(new WebRoute("GET", setup, this::setupPage), new WebRoute("POST", setup, this::setup),
                new WebRoute("POST", setup + "/{token}", this::validate),
                new WebRoute("GET", verify, this::verifyPage), new WebRoute("POST", verify, this::verify),
                new WebRoute("POST", url(config.get(US_VERIFY_SEND_CODE_URL)), this::sendVerifyCode));
    }

    // ------------------------------------------------------------------ methods

    /** {@code available_methods}: password and the enabled code methods, by wire name. */
    private List<String> available() {
        List<String> methods = new ArrayList<>(List.of("password"));
        config.get(US_ENABLED_METHODS).forEach(m -> methods.add(m.wireName()));
        return methods;
    }

    /** {@code setup_methods}: what this page can add (the email code needs no setup). */
    private List<FactorMethod> setupMethods() {
        return config.get(US_ENABLED_METHODS).stream().filter(m -> m != FactorMethod.EMAIL).toList();
    }

    /** {@code active_methods}: what {@code /us-signin} accepts from {@code user}. */
    private List<String> active(User user) {
        List<String> methods = new ArrayList<>();
        if (user.passwordHash().isPresent()) {
            methods.add("password");
        }
        Set<FactorMethod> set = twoFactor.signInMethods(user);
        for (FactorMethod method : config.get(US_ENABLED_METHODS)) {
            if (method == FactorMethod.EMAIL || set.contains(method)) {
                methods.add(method.wireName());
            }
        }
        return methods;
    }

    /** {@code code_methods}: the active methods a code can be sent for. */
    private List<String> codeMethods(User user) {
        return active(user).stream().filter(m -> m.equals("email") || m.equals("sms")).toList();
    }

    // ------------------------------------------------------------------ /us-setup

    private void setupPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("identity_attributes", List.of("email"));
            body.put("available_methods", available());
            body.put("active_methods", active(user));
            body.put("setup_methods", setupMethods().stream().map(FactorMethod::wireName).toList());
            body.put("phone", twoFactor.phoneNumber(user).orElse(null));
            web.json(x, 200, body);
        } else {
            showSetup(x, 200, user, List.of(), Map.of());
        }
    }

    private void setup(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        User signedIn = x.authentication.orElseThrow().user();
        Form form = (status, errors, fieldErrors) -> showSetup(x, status, signedIn, errors, fieldErrors);
        User user = signedIn;
        String chosen = text(x, "chosen_method");
        List<String> deletes = x.fields().texts("delete_method");
        if (chosen.isEmpty() && deletes.isEmpty()) {
            invalid(x, Map.of("chosen_method", List.of(x.text("API_ERROR"))), form);
            return;
        }
        Optional<FactorMethod> adding = FactorMethod.fromWire(chosen).filter(setupMethods()::contains);
        if (!chosen.isEmpty() && adding.isEmpty()) {
            invalid(x, Map.of("chosen_method", List.of(x.text("US_METHOD_NOT_AVAILABLE"))), form);
            return;
        }
        Set<FactorMethod> current = EnumSet.noneOf(FactorMethod.class);
        current.addAll(twoFactor.signInMethods(user));
        for (String delete : deletes) {
            Optional<FactorMethod> method = FactorMethod.fromWire(delete);
            if (method.isEmpty() || !current.contains(method.get())) {
                invalid(x, Map.of("delete_method", List.of(x.text("US_METHOD_NOT_AVAILABLE"))), form);
                return;
            }
        }
        if (!deletes.isEmpty()) {
            deletes.forEach(delete -> current.remove(FactorMethod.fromWire(delete).orElseThrow()));
            twoFactor.setSignInMethods(user, current, Optional.empty(), Optional.empty(), context(x, user));
            user = continueSignIn(x, user);
        }
        if (adding.isEmpty()) {
            if (x.wantsJson()) {
                web.json(x, 200, csrfBody(x));
            } else {
                done(x, "success", "US_SETUP_SUCCESSFUL", url(config.get(US_SETUP_URL)));
            }
            return;
        }
        Optional<Started> started = start(x, user, adding.get(), setupStates, form);
        if (started.isEmpty()) {
            return;
        }
        String state = setupStates.seal(started.get().state());
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("chosen_method", adding.get().wireName());
            body.put("phone", started.get().state().phone().orElse(null));
            body.put("state", state);
            User owner = user;
            started.get().totp().ifPresent(totp -> {
                body.put("authr_key", totp.base32Key());
                body.put("authr_b32key", totp.base32Key());
                body.put("authr_username", owner.email());
                body.put("authr_issuer", issuer());
                body.put("authr_uri", totp.otpauthUri());
            });
            web.json(x, 200, body);
        } else {
            Map<String, Object> model = formModel(x, url(config.get(US_SETUP_URL)) + "/" + state, List.of(), Map.of());
            model.put("chosen_method", adding.get().wireName());
            model.put("restart_url", url(config.get(US_SETUP_URL)));
            putAuthenticator(x, model, started.get().totp(), user);
            web.page(x, 200, "us_setup_code", model);
        }
    }

    private void validate(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, false)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        SetupStates.Result opened = setupStates.open(token(x), user.id());
        if (opened.state().isEmpty()) {
            refuseState(x, opened.problem().orElseThrow(), "US_SETUP_EXPIRED", setupStates, url(config.get(US_SETUP_URL)));
            return;
        }
        SetupStates.State state = opened.state().get();
        CodeCheck check = twoFactor.verify(user, state.method(), passcode(x), state.challenge(), state.sealedSecret(),
                x.client());
        if (!check.accepted()) {
            Form form = (status, errors, fieldErrors) -> {
                Map<String, Object> model = formModel(x, x.request.path(), List.of(),
                        fieldErrors.isEmpty() ? Map.of("passcode", errors) : fieldErrors);
                model.put("chosen_method", state.method().wireName());
                model.put("restart_url", url(config.get(US_SETUP_URL)));
                web.page(x, status, "us_setup_code", model);
            };
            refuseCode(x, check, "passcode", "INVALID_PASSWORD_CODE", form);
            return;
        }
        Set<FactorMethod> methods = EnumSet.of(state.method());
        methods.addAll(twoFactor.signInMethods(user));
        twoFactor.setSignInMethods(user, methods, state.sealedSecret(), state.phone(), context(x, user));
        User updated = continueSignIn(x, user);
        if (x.wantsJson()) {
            Map<String, Object> body = web.authenticatedBody(x, updated);
            body.put("chosen_method", state.method().wireName());
            body.put("phone", twoFactor.phoneNumber(updated).orElse(null));
            web.json(x, 200, body);
        } else {
            done(x, "success", "US_SETUP_SUCCESSFUL", url(config.get(US_SETUP_URL)));
        }
    }

    private void showSetup(Exchange x, int status, User user, List<String> errors, Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(US_SETUP_URL)), errors, fieldErrors);
        List<String> active = active(user);
        model.put("active_methods", active);
        model.put("setup_methods", setupMethods().stream().map(FactorMethod::wireName).filter(m -> !active.contains(m)).toList());
        model.put("delete_methods", twoFactor.signInMethods(user).stream().map(FactorMethod::wireName).sorted().toList());
        model.put("phone", x.fields().text("phone").or(() -> twoFactor.phoneNumber(user)).orElse(""));
        web.page(x, status, "us_setup", model);
    }

    // ------------------------------------------------------------------ /us-verify

    private void verifyPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, false)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        if (x.wantsJson()) {
            Map<String, Object> body = signedInBody(x);
            body.put("available_methods", available());
            body.put("code_methods", codeMethods(user));
            web.json(x, 200, body);
        } else {
            showVerify(x, 200, user, List.of(), Map.of(), "");
        }
    }

    /** Sends a code for re-authentication by {@code chosen_method} (email or sms); its challenge goes into a cookie. */
    private void sendVerifyCode(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, false)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        String chosen = text(x, "chosen_method");
        Form form = (status, errors, fieldErrors) -> showVerify(x, status, user, errors, fieldErrors, chosen);
        Optional<FactorMethod> method = FactorMethod.fromWire(chosen).filter(m -> codeMethods(user).contains(m.wireName()));
        if (method.isEmpty()) {
            invalid(x, Map.of("chosen_method", List.of(x.text("US_METHOD_NOT_AVAILABLE"))), form);
            return;
        }
        SetupStates.State state = verifyStates.start(user.id(), method.get(), Optional.empty(), Optional.empty());
        Optional<java.time.Duration> limited;
        try {
            limited = twoFactor.sendCode(user, method.get(), state.challenge(), Optional.empty());
        } catch (InvalidInputException e) {
            invalid(x, Map.of("chosen_method", List.of(message(x, e))), form);
            return;
        }
        if (limited.isPresent()) {
            rateLimited(x, limited.get(), form);
            return;
        }
        x.response.addHeader("Set-Cookie", web.cookies.sessionCookie(web.cookies.verifyChallenge, verifyStates.seal(state)));
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else {
            showVerify(x, 200, user, List.of(x.text("CODE_HAS_BEEN_SENT")), Map.of(), chosen);
        }
    }

    private void verify(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, false) || !nextAllowed(x)) {
            return;
        }
        Authentication auth = x.authentication.orElseThrow();
        User user = auth.user();
        String passcode = passcode(x);
        String chosen = text(x, "chosen_method");
        Form form = (status, errors, fieldErrors) -> showVerify(x, status, user, errors, fieldErrors, chosen);
        Optional<SetupStates.State> sent = x.request.cookie(web.cookies.verifyChallenge)
                .flatMap(cookie -> verifyStates.open(cookie, user.id()).state());
        // Without chosen_method: digits are the code just sent (or else the authenticator's), anything else the password.
        Optional<FactorMethod> method = !chosen.isEmpty() ? FactorMethod.fromWire(chosen)
                : !DIGITS.matcher(passcode).matches() ? Optional.empty()
                : sent.map(SetupStates.State::method).or(() -> Optional.of(FactorMethod.AUTHENTICATOR)
                        .filter(m -> active(user).contains(m.wireName())));
        if (passcode.isEmpty()) {
            invalid(x, Map.of("passcode", List.of(x.text("INVALID_PASSWORD_CODE"))), form);
            return;
        }
        if (method.isPresent()) {
            if (!active(user).contains(method.get().wireName())) {
                invalid(x, Map.of("chosen_method", List.of(x.text("US_METHOD_NOT_AVAILABLE"))), form);
                return;
            }
            String challenge = sent.filter(s -> s.method() == method.get()).map(SetupStates.State::challenge).orElse("");
            CodeCheck check = twoFactor.verify(user, method.get(), passcode, challenge, Optional.empty(), x.client());
            if (!check.accepted()) {
                refuseCode(x, check, "passcode", "INVALID_PASSWORD_CODE", form);
                return;
            }
            x.response.addHeader("Set-Cookie", web.cookies.expired(web.cookies.verifyChallenge));
        } else {
            SignInResult result = web.gatehouse.signIn().checkPassword(user, passcode, x.client());
            if (result instanceof SignInResult.RateLimited limited) {
                rateLimited(x, limited.retryAfter(), form);
                return;
            }
            if (result instanceof SignInResult.LockedOut locked) {
                invalid(x, Map.of("passcode", List.of(web.lockedMessage(x, locked.until()))), form);
                return;
            }
            if (!(result instanceof SignInResult.SignedIn)) {
                invalid(x, Map.of("passcode", List.of(x.text("INVALID_PASSWORD_CODE"))), form);
                return;
            }
        }
        AuthenticationLog.reauthenticated(x, user);
        if (auth.session().isPresent()) {
            web.renewSession(x, auth.session().get(), user);
        } else {
            x.authentication = Optional.of(new Authentication(user, auth.mechanism(), web.gatehouse.clock().instant(),
                    Optional.empty(), auth.familyId()));
        }
        if (x.wantsJson()) {
            web.json(x, 200, web.authenticatedBody(x, user));
        } else {
            done(x, "success", "REAUTHENTICATION_SUCCESSFUL", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        }
    }

    private void showVerify(Exchange x, int status, User user, List<String> notices, Map<String, List<String>> fieldErrors,
            String chosen) {
        Map<String, Object> model = formModel(x, url(config.get(US_VERIFY_URL)), List.of(), fieldErrors);
        model.put("notices", status == 200 ? notices : List.of());
        if (status != 200) {
            model.put("errors", notices);
        }
        model.put("code_methods", codeMethods(user));
        model.put("send_code_url", url(config.get(US_VERIFY_SEND_CODE_URL)));
        model.put("chosen_method", chosen);
        web.page(x, status, "us_verify", model);
    }

    /** Flask-Security's {@code passcode}, or {@code code}. */
    private static String passcode(Exchange x) {
        return x.fields().text("passcode").or(() -> x.fields().text("code")).map(String::strip).orElse("");
    }
}
