package dev.gatehouse.web;

import dev.gatehouse.InvalidInputException;
import dev.gatehouse.lifecycle.ChangeEmailResult;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;

/**
 * Email address change ({@code change-email}): {@code GET|POST {change-email-url}} by a signed-in,
 * freshly authenticated user sends a link to the new address; {@code GET
 * {change-email-confirm-url}/{token}}, followed from the new mailbox, makes the change (the old
 * address is told). Sessions are kept.
 */
final class ChangeEmailEndpoints extends FlowEndpoints {

    ChangeEmailEndpoints(GatehouseWeb web, SessionEndpoints session) {
        super(web, session);
    }

    @Override
    boolean isMounted() {
        return config.changeEmail();
    }

    @Override
    List<WebRoute> endpoints() {
        String path = url(config.changeEmailUrl());
        return List.of(new WebRoute("GET", path, this::changePage), new WebRoute("POST", path, this::change),
                new WebRoute("GET", url(config.changeEmailConfirmUrl()) + "/{token}", this::confirm));
    }

    private void changePage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("current_email", x.authentication.orElseThrow().user().email());
            web.json(x, 200, body);
        } else {
            showForm(x, 200, List.of(), Map.of(), "");
        }
    }

    private void change(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        String email = text(x, "email");
        Form form = (status, errors, fieldErrors) -> showForm(x, status, errors, fieldErrors, email);
        ChangeEmailResult result;
        try {
            result = web.gatehouse.emailChange().requestChange(user, email, x.client());
        } catch (InvalidInputException e) {
            invalid(x, e, form);
            return;
        }
        if (result instanceof RateLimited limited) {
            rateLimited(x, limited.retryAfter(), form);
        } else if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            String newEmail = ((ChangeEmailResult.InstructionsSent) result).newEmail();
            done(x, "info", x.text("CHANGE_EMAIL_SENT", Map.of("email", newEmail)),
                    session.safeNext(x).orElse(config.postLoginView()));
        }
    }

    private void confirm(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        boolean signedIn = web.authenticate(x, web.defaultMechanisms).isPresent();
        ChangeEmailResult.Changed changed;
        try {
            changed = web.gatehouse.emailChange().confirmChange(token(x), x.client());
        } catch (InvalidInputException e) {
            if (x.wantsJson()) {
                invalid(x, e, null);
            } else {
                done(x, "error", message(x, e), signedIn ? url(config.changeEmailUrl()) : url(config.loginUrl()));
            }
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            done(x, "success", x.text("CHANGE_EMAIL_CONFIRMED", Map.of("email", changed.user().email())),
                    signedIn ? config.postLoginView() : url(config.loginUrl()));
        }
    }

    private void showForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String email) {
        Map<String, Object> model = formModel(x, url(config.changeEmailUrl()), errors, fieldErrors);
        model.put("email", email);
        model.put("current_email", x.authentication.orElseThrow().user().email());
        web.page(x, status, "change_email", model);
    }
}
