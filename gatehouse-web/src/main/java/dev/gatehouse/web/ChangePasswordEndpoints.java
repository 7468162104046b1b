package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CHANGE_URL;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MAX;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MIN;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.PasswordChangeResult;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Password change by a signed-in, freshly authenticated user ({@code changeable}):
 * {@code GET|POST {change-url}} with Flask-Security's fields {@code password},
 * {@code new_password} and {@code new_password_confirm}.
 *
 * <p>A change ends every session and token of the user, this client's included; a client that
 * came with a session gets a new one (remembered if the old one was), and {@code include_auth_token}
 * gets a new API token.
 */
final class ChangePasswordEndpoints extends FlowEndpoints {

    ChangePasswordEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(CHANGE_URL));
        return List.of(new WebRoute("GET", path, this::changePage), new WebRoute("POST", path, this::change));
    }

    private void changePage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = signedInBody(x);
            body.put("active_password", x.authentication.orElseThrow().user().passwordHash().isPresent());
            web.json(x, 200, body);
        } else {
            showForm(x, 200, List.of(), Map.of());
        }
    }

    private void change(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        Authentication auth = x.authentication.orElseThrow();
        RequestFields fields = x.fields();
        Optional<String> confirm = !fields.isJson() || fields.has("new_password_confirm")
                ? Optional.of(fields.text("new_password_confirm").orElse("")) : Optional.empty();
        Form form = (status, errors, fieldErrors) -> showForm(x, status, errors, fieldErrors);
        PasswordChangeResult result;
        try {
            result = web.gatehouse.passwordChange().change(auth.user(), fields.text("password").orElse(""),
                    fields.text("new_password").orElse(""), confirm, x.client());
        } catch (InvalidInputException e) {
            invalid(x, e, form);
            return;
        }
        if (result instanceof RateLimited limited) {
            rateLimited(x, limited.retryAfter(), form);
            return;
        }
        if (result instanceof PasswordChangeResult.LockedOut locked) {
            invalid(x, Map.of("password", List.of(web.lockedMessage(x, locked.until()))), form);
            return;
        }
        PasswordChangeResult.Changed changed = (PasswordChangeResult.Changed) result;
        if (auth.mechanism().equals(Mechanism.SESSION)) {
            // Every session ended with the change; this client, which just proved the password, gets a new one.
            boolean remembered = x.request.cookie(web.cookies.remember).isPresent();
            web.login(x.request, x.response, changed.user(), remembered, Optional.empty(), true);
        } else {
            x.authentication = Optional.of(new Authentication(changed.user(), auth.mechanism(),
                    web.gatehouse.clock().instant(), Optional.empty()));
        }
        if (x.wantsJson()) {
            web.json(x, 200, web.authenticatedBody(x, changed.user()));
        } else {
            done(x, "success", "PASSWORD_CHANGE", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        }
    }

    private void showForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(CHANGE_URL)), errors, fieldErrors);
        model.put("active_password", x.authentication.orElseThrow().user().passwordHash().isPresent());
        model.put("password_length_min", config.get(PASSWORD_LENGTH_MIN));
        model.put("password_length_max", config.get(PASSWORD_LENGTH_MAX));
        web.page(x, status, "change_password", model);
    }
}
