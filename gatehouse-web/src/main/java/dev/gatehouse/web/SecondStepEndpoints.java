package dev.gatehouse.web;

import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_CODES;
import static dev.gatehouse.twofactor.TwoFactorSettings.MULTI_FACTOR_RECOVERY_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_RESCUE_EMAIL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_RESCUE_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_SELECT_URL;
import static dev.gatehouse.twofactor.TwoFactorSettings.TWO_FACTOR_TOKEN_VALIDATION_URL;

import dev.gatehouse.twofactor.CodeCheck;
import dev.gatehouse.twofactor.FactorMethod;
import dev.gatehouse.twofactor.TwoFactor;
import dev.gatehouse.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second step of a sign-in, Flask-Security's paths and shapes: {@code /tf-validate} (the code
 * of the user's method), {@code /tf-select} (another of the user's methods), {@code /tf-rescue}
 * (a code by email instead, or a recovery code) and {@code /mf-recovery} (a recovery code). Each
 * needs the {@link PendingSignIns pending sign-in} of a first factor and an anonymous client; each
 * POST the login CSRF token. Wrong codes are counted by the core service like wrong passwords.
 */
final class SecondStepEndpoints extends FlowEndpoints {

    private final TwoStepSignIn twoStep;

    SecondStepEndpoints(WebToolkit web) {
        super(web);
        this.twoStep = web.twoStep;
    }

    @Override
    List<WebRoute> endpoints() {
        String validate = url(config.get(TWO_FACTOR_TOKEN_VALIDATION_URL));
        String select = url(config.get(TWO_FACTOR_SELECT_URL));
        String rescue = url(config.get(TWO_FACTOR_RESCUE_URL));
        String recovery = url(config.get(MULTI_FACTOR_RECOVERY_URL));
        return List.of(
                new WebRoute("GET", validate, (request, response) -> get(request, response, this::showValidate)),
                new WebRoute("POST", validate, (request, response) -> post(request, response, this::validate)),
                new WebRoute("GET", select, (request, response) -> get(request, response, this::showSelect)),
                new WebRoute("POST", select, (request, response) -> post(request, response, this::select)),
                new WebRoute("GET", rescue, (request, response) -> get(request, response, this::showRescue)),
                new WebRoute("POST", rescue, (request, response) -> post(request, response, this::rescue)),
                new WebRoute("GET", recovery, (request, response) -> get(request, response, this::showRecovery)),
                new WebRoute("POST", recovery, (request, response) -> post(request, response, this::recover)));
    }

    @FunctionalInterface
    private interface Step {
        void run(Exchange x, PendingSignIns.Current current);
    }

    private void get(WebRequest request, WebResponse response, Step step) {
        Exchange x = Exchange.of(web, request, response);
        if (anonymous(x)) {
            withPending(x, step);
        }
    }

    private void post(WebRequest request, WebResponse response, Step step) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymous(x) && anonymousCsrf(x)) {
            withPending(x, step);
        }
    }

    /** Runs {@code step} with the request's pending sign-in, if it is good and waits for a second factor. */
    private void withPending(Exchange x, Step step) {
        Optional<PendingSignIns.Current> current = twoStep.pending.current(x)
                .filter(c -> c.pending().state().equals(PendingSignIns.READY));
        if (current.isEmpty()) {
            twoStep.illegalState(x);
            return;
        }
        step.run(x, current.get());
    }

    private TwoFactor twoFactor() {
        return web.gatehouse.twoFactor();
    }

    /** The method the pending sign-in waits for: the one chosen, else the user's primary one. */
    private Optional<FactorMethod> method(PendingSignIns.Current current) {
        return current.pending().method().flatMap(FactorMethod::fromWire).or(() -> twoFactor().primaryMethod(current.user()));
    }

    // ------------------------------------------------------------------ /tf-validate

    private void showValidate(Exchange x, PendingSignIns.Current current) {
        showValidate(x, current, 200, List.of(), Map.of());
    }

    private void showValidate(Exchange x, PendingSignIns.Current current, int status, List<String> errors,
            Map<String, List<String>> fieldErrors) {
        Optional<FactorMethod> method = method(current);
        Optional<SecondStepMethod> other = chosenFeatureMethod(current, method);
        if (other.isPresent() && !x.wantsJson()) {
            web.redirect(x, other.get().path());
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("tf_method", other.map(SecondStepMethod::method).orElse(method.map(FactorMethod::wireName).orElse(null)));
            other.ifPresent(m -> body.put("tf_signin_url", m.path()));
            body.put("recovery_options", recoveryOptions(current.user()));
            if (!errors.isEmpty() || !fieldErrors.isEmpty()) {
                web.json(x, status, body, errors, fieldErrors);
            } else {
                web.json(x, status, body);
            }
            return;
        }
        Map<String, Object> model = formModel(x, url(config.get(TWO_FACTOR_TOKEN_VALIDATION_URL)), errors, fieldErrors);
        model.put("next", "");
        model.put("chosen_method", method.map(m -> x.text("TF_METHOD_" + m.name())).orElse(""));
        model.put("rescue_action", url(config.get(TWO_FACTOR_RESCUE_URL)));
        model.put("rescue_options", rescueChoices(x, current.user()));
        model.put("select_url", selectable(current.user()).size() + twoStep.featureMethods(current.user()).size() > 1
                ? url(config.get(TWO_FACTOR_SELECT_URL)) : "");
        List<Map<String, String>> others = new ArrayList<>();
        for (SecondStepMethod m : twoStep.featureMethods(current.user())) {
            others.add(Map.of("url", m.path(), "label", x.text(m.labelKey())));
        }
        model.put("other_methods", others);
        web.page(x, status, "two_factor_verify_code", model);
    }

    private void validate(Exchange x, PendingSignIns.Current current) {
        String code = text(x, "code").replace(" ", "");
        Optional<FactorMethod> method = method(current);
        Form form = (status, errors, fieldErrors) -> showValidate(x, current, status, errors, fieldErrors);
        if (code.isEmpty() || method.isEmpty()) {
            codeRefused(x, "code", "CODE_NOT_PROVIDED", form);
            return;
        }
        CodeCheck check = twoFactor().verify(current.user(), method.get(), code, current.pending().challenge(),
                Optional.empty(), x.client());
        if (check == CodeCheck.ACCEPTED) {
            // verify() may have stored the TOTP step; the user is re-read for the session.
            User user = web.gatehouse.users().findUserById(current.user().id()).orElse(current.user());
            twoStep.complete(x, current.pending(), user, "TWO_FACTOR_LOGIN_SUCCESSFUL");
            return;
        }
        refused(x, check, "code", "INVALID_CODE", form);
    }

    /** A refused code: 429 for a rate limit, else 400 (or the form again) with the message on {@code field}. */
    private void refused(Exchange x, CodeCheck check, String field, String invalidKey, Form form) {
        switch (check) {
            case RATE_LIMITED -> rateLimited(x, Duration.ofMinutes(1), form);
            case LOCKED_OUT -> invalid(x, Map.of(field, List.of(web.lockedMessage(x, Optional.empty()))), form);
            case EXPIRED -> codeRefused(x, field, "TWO_FACTOR_CODE_EXPIRED", form);
            case ATTEMPTS_EXHAUSTED -> codeRefused(x, field, "TWO_FACTOR_ATTEMPTS_EXHAUSTED", form);
            default -> codeRefused(x, field, invalidKey, form);
        }
    }

    private void codeRefused(Exchange x, String field, String key, Form form) {
        invalid(x, Map.of(field, List.of(x.text(key))), form);
    }

    // ------------------------------------------------------------------ /tf-select

    /**
     * The feature's factor (a passkey) the pending sign-in waits for: the one chosen on
     * {@code /tf-select}, or the user's only one when they have no method of Gatehouse's own.
     */
    private Optional<SecondStepMethod> chosenFeatureMethod(PendingSignIns.Current current, Optional<FactorMethod> own) {
        List<SecondStepMethod> theirs = twoStep.featureMethods(current.user());
        Optional<String> chosen = current.pending().method();
        if (chosen.isPresent()) {
            return theirs.stream().filter(m -> m.method().equals(chosen.get())).findFirst();
        }
        return own.isPresent() ? Optional.empty() : theirs.stream().findFirst();
    }

    /** The methods a pending sign-in may use: the primary one, and a code by email. */
    private List<FactorMethod> selectable(User user) {
        List<FactorMethod> methods = new ArrayList<>();
        twoFactor().primaryMethod(user).ifPresent(methods::add);
        if (config.get(TWO_FACTOR_RESCUE_EMAIL) && !methods.contains(FactorMethod.EMAIL)) {
            methods.add(FactorMethod.EMAIL);
        }
        return methods;
    }

    private void showSelect(Exchange x, PendingSignIns.Current current) {
        List<FactorMethod> methods = selectable(current.user());
        List<SecondStepMethod> others = twoStep.featureMethods(current.user());
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("tf_select", true);
            List<String> names = new ArrayList<>(methods.stream().map(FactorMethod::wireName).toList());
            others.forEach(m -> names.add(m.method()));
            body.put("tf_setup_methods", names);
            web.json(x, 200, body);
            return;
        }
        showSelectForm(x, methods, others, 200, Map.of());
    }

    private void showSelectForm(Exchange x, List<FactorMethod> methods, List<SecondStepMethod> others, int status,
            Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(TWO_FACTOR_SELECT_URL)), List.of(), fieldErrors);
        model.put("next", "");
        List<Map<String, String>> choices = new ArrayList<>();
        for (FactorMethod method : methods) {
            choices.add(Map.of("value", method.wireName(), "label", x.text("TF_METHOD_" + method.name())));
        }
        for (SecondStepMethod method : others) {
            choices.add(Map.of("value", method.method(), "label", x.text(method.labelKey())));
        }
        model.put("choices", choices);
        web.page(x, status, "two_factor_select", model);
    }

    private void select(Exchange x, PendingSignIns.Current current) {
        List<FactorMethod> methods = selectable(current.user());
        List<SecondStepMethod> others = twoStep.featureMethods(current.user());
        String wanted = text(x, "which");
        Optional<SecondStepMethod> other = others.stream().filter(m -> m.method().equals(wanted)).findFirst();
        if (other.isPresent()) {
            // A feature's factor: its page does the second step; the pending state remembers the choice.
            twoStep.pending.write(x, current.pending().withMethod(other.get().method()));
            if (x.wantsJson()) {
                Map<String, Object> body = csrfBody(x);
                body.put("tf_required", true);
                body.put("tf_state", PendingSignIns.READY);
                body.put("tf_method", other.get().method());
                body.put("tf_signin_url", other.get().path());
                web.json(x, 200, body);
            } else {
                web.redirect(x, other.get().path());
            }
            return;
        }
        Optional<FactorMethod> which = FactorMethod.fromWire(wanted).filter(methods::contains);
        if (which.isEmpty()) {
            invalid(x, Map.of("which", List.of(x.text("TF_INVALID_CHOICE"))),
                    (status, errors, fieldErrors) -> showSelectForm(x, methods, others, status, fieldErrors));
            return;
        }
        PendingSignIns.Pending chosen = current.pending().withMethod(which.get().wireName());
        if (which.get() != FactorMethod.AUTHENTICATOR && !twoStep.sendCode(x, current.user(), which.get(), chosen)) {
            return;
        }
        twoStep.pending.write(x, chosen);
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("tf_required", true);
            body.put("tf_state", PendingSignIns.READY);
            body.put("tf_primary_method", twoFactor().primaryMethod(current.user()).map(FactorMethod::wireName).orElse(null));
            body.put("tf_method", which.get().wireName());
            web.json(x, 200, body);
        } else {
            web.redirect(x, url(config.get(TWO_FACTOR_TOKEN_VALIDATION_URL)));
        }
    }

    // ------------------------------------------------------------------ /tf-rescue

    /** Flask-Security's {@code recovery_options}: where a user who cannot use their method can turn. */
    private Map<String, String> recoveryOptions(User user) {
        Map<String, String> options = new LinkedHashMap<>();
        if (config.get(TWO_FACTOR_RESCUE_EMAIL)) {
            options.put("email", url(config.get(TWO_FACTOR_RESCUE_URL)));
        }
        if (recoveryCodesUsable(user)) {
            options.put("recovery_code", url(config.get(MULTI_FACTOR_RECOVERY_URL)));
        }
        return options;
    }

    private boolean recoveryCodesUsable(User user) {
        return config.get(MULTI_FACTOR_RECOVERY_CODES) && twoFactor().recoveryCodesLeft(user) > 0;
    }

    private List<Map<String, String>> rescueChoices(Exchange x, User user) {
        List<Map<String, String>> choices = new ArrayList<>();
        if (config.get(TWO_FACTOR_RESCUE_EMAIL)) {
            choices.add(Map.of("value", "email", "label", x.text("TF_RESCUE_EMAIL")));
        }
        if (recoveryCodesUsable(user)) {
            choices.add(Map.of("value", "recovery_code", "label", x.text("TF_RESCUE_RECOVERY_CODE")));
        }
        return choices;
    }

    private void showRescue(Exchange x, PendingSignIns.Current current) {
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("recovery_options", recoveryOptions(current.user()));
            web.json(x, 200, body);
        } else {
            showValidate(x, current);
        }
    }

    private void rescue(Exchange x, PendingSignIns.Current current) {
        String choice = text(x, "help_setup");
        if (choice.equals("email") && config.get(TWO_FACTOR_RESCUE_EMAIL)) {
            PendingSignIns.Pending byEmail = current.pending().withMethod(FactorMethod.EMAIL.wireName());
            if (!twoStep.sendCode(x, current.user(), FactorMethod.EMAIL, byEmail)) {
                return;
            }
            twoStep.pending.write(x, byEmail);
            if (x.wantsJson()) {
                Map<String, Object> body = csrfBody(x);
                body.put("recovery_options", recoveryOptions(current.user()));
                body.put("tf_method", FactorMethod.EMAIL.wireName());
                web.json(x, 200, body);
            } else {
                done(x, "info", "TF_RESCUE_CODE_SENT", url(config.get(TWO_FACTOR_TOKEN_VALIDATION_URL)));
            }
        } else if (choice.equals("recovery_code") && recoveryCodesUsable(current.user())) {
            web.redirect(x, url(config.get(MULTI_FACTOR_RECOVERY_URL)));
        } else {
            invalid(x, Map.of("help_setup", List.of(x.text("TF_INVALID_CHOICE"))),
                    (status, errors, fieldErrors) -> showValidate(x, current, status, errors, fieldErrors));
        }
    }

    // ------------------------------------------------------------------ /mf-recovery

    private void showRecovery(Exchange x, PendingSignIns.Current current) {
        showRecovery(x, current, 200, List.of(), Map.of());
    }

    private void showRecovery(Exchange x, PendingSignIns.Current current, int status, List<String> errors,
            Map<String, List<String>> fieldErrors) {
        if (x.wantsJson()) {
            if (!errors.isEmpty() || !fieldErrors.isEmpty()) {
                web.json(x, status, csrfBody(x), errors, fieldErrors);
            } else {
                web.json(x, status, csrfBody(x));
            }
            return;
        }
        Map<String, Object> model = formModel(x, url(config.get(MULTI_FACTOR_RECOVERY_URL)), errors, fieldErrors);
        model.put("next", "");
        web.page(x, status, "mf_recovery", model);
    }

    private void recover(Exchange x, PendingSignIns.Current current) {
        String code = text(x, "code");
        Form form = (status, errors, fieldErrors) -> showRecovery(x, current, status, errors, fieldErrors);
        if (code.isEmpty()) {
            codeRefused(x, "code", "CODE_NOT_PROVIDED", form);
            return;
        }
        CodeCheck check = twoFactor().useRecoveryCode(current.user(), code, x.client());
        if (check == CodeCheck.ACCEPTED) {
            twoStep.complete(x, current.pending(), current.user(), "TWO_FACTOR_LOGIN_SUCCESSFUL");
            return;
        }
        refused(x, check, "code", "INVALID_RECOVERY_CODE", form);
    }
}
