package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MAX;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MIN;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RESET_URL;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.ResetResult;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Password reset ({@code recoverable}): {@code GET|POST {reset-url}} asks for a link (the "forgot
 * password" form), {@code GET {reset-url}/{token}} shows the form for a new password — only for a
 * valid link — and {@code POST {reset-url}/{token}} sets it.
 *
 * <p>After a reset every session and token of the user has ended. Nobody is signed in unless
 * {@code auto-login-after-reset} is on, and never when the user has a second factor to pass
 * ({@link ResetResult.Done#requiresSecondFactor()}): the reset proves the mailbox only.
 */
final class RecoveryEndpoints extends FlowEndpoints {

    RecoveryEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(RESET_URL));
        return List.of(new WebRoute("GET", path, this::forgotPage), new WebRoute("POST", path, this::forgot),
                new WebRoute("GET", path + "/{token}", this::resetPage),
                new WebRoute("POST", path + "/{token}", this::reset));
    }

    // ------------------------------------------------------------------ forgot password

    private void forgotPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else if (anonymous(x)) {
            showAddressForm(x, forgotForm());
        }
    }

    private void forgot(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymous(x) && anonymousCsrf(x)) {
            sendToAddress(x, forgotForm(), web.gatehouse.recovery()::requestReset);
        }
    }

    private AddressForm forgotForm() {
        String path = url(config.get(RESET_URL));
        return new AddressForm("forgot_password", path, "GENERIC_RECOVERY", "PASSWORD_RESET_REQUEST", path);
    }

    // ------------------------------------------------------------------ reset

    private void resetPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!anonymous(x)) {
            return;
        }
        String token = token(x);
        User user;
        try {
            user = web.gatehouse.recovery().checkToken(token);
        } catch (InvalidInputException e) {
            badLink(x, e);
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else {
            showResetForm(x, 200, List.of(), Map.of(), token, user.email());
        }
    }

    private void reset(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !anonymous(x) || !anonymousCsrf(x)) {
            return;
        }
        String token = token(x);
        RequestFields fields = x.fields();
        // Forms ask for the password twice; JSON clients may.
        Optional<String> confirm = !fields.isJson() || fields.has("password_confirm")
                ? Optional.of(fields.text("password_confirm").orElse("")) : Optional.empty();
        ResetResult.Done done;
        try {
            done = web.gatehouse.recovery().resetPassword(token, fields.text("password").orElse(""), confirm, x.client());
        } catch (InvalidInputException e) {
            if (e.field().equals("token")) {
                badLink(x, e);
            } else {
                // A refused password leaves the link usable: show its form again.
                String email;
                try {
                    email = web.gatehouse.recovery().checkToken(token).email();
                } catch (InvalidInputException meanwhile) {
                    badLink(x, meanwhile);
                    return;
                }
                invalid(x, e, (status, errors, fieldErrors) -> showResetForm(x, status, errors, fieldErrors, token, email));
            }
            return;
        }
        // The link proves the mailbox, never a second factor: no session past one, whatever the setting.
        // The link proves the mailbox only: a user with a second factor gets the second step.
        boolean signIn = done.signIn() && !done.requiresSecondFactor();
        if (signIn && !web.firstFactor(x, done.user(), false, "reset")) {
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, signIn ? web.authenticatedBody(x, x.authentication.orElseThrow().user()) : Map.of());
        } else {
            done(x, "success", signIn ? "PASSWORD_RESET" : "PASSWORD_RESET_NO_LOGIN",
                    signIn ? config.get(POST_LOGIN_VIEW) : url(config.get(LOGIN_URL)));
        }
    }

    /** A bad, used or expired link: JSON 400 on {@code token}; browsers back to the forgot-password form. */
    private void badLink(Exchange x, InvalidInputException e) {
        if (x.wantsJson()) {
            invalid(x, e, null);
        } else {
            done(x, "error", message(x, e), url(config.get(RESET_URL)));
        }
    }

    private void showResetForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String token, String email) {
        Map<String, Object> model = formModel(x, url(config.get(RESET_URL)) + "/" + token, errors, fieldErrors);
        model.put("email", email);
        model.put("password_length_min", config.get(PASSWORD_LENGTH_MIN));
        model.put("password_length_max", config.get(PASSWORD_LENGTH_MAX));
        web.page(x, status, "reset_password", model);
    }
}
