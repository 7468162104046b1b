package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CHANGE_EMAIL_CONFIRM_URL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_REVERT_URL;
import static dev.gatehouse.config.Settings.CHANGE_EMAIL_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RESET_URL;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.ChangeEmailResult;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.user.User;
import java.util.List;
import java.util.Map;

/**
 * Email address change ({@code change-email}): {@code GET|POST {change-email-url}} by a signed-in,
 * freshly authenticated user who gives the current {@code password} sends a link to the new
 * address; {@code GET {change-email-confirm-url}/{token}}, followed from the new mailbox, makes the
 * change (sessions are kept). The old address is told, with a link to {@code GET
 * {change-email-revert-url}/{token}} — a page that asks first, since a GET changes nothing — whose
 * form posts to the same path to undo the change and sign everyone out.
 */
final class ChangeEmailEndpoints extends FlowEndpoints {

    ChangeEmailEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(CHANGE_EMAIL_URL));
        return List.of(new WebRoute("GET", path, this::changePage), new WebRoute("POST", path, this::change),
                new WebRoute("GET", url(config.get(CHANGE_EMAIL_CONFIRM_URL)) + "/{token}", this::confirm),
                new WebRoute("GET", url(config.get(CHANGE_EMAIL_REVERT_URL)) + "/{token}", this::revertPage),
                new WebRoute("POST", url(config.get(CHANGE_EMAIL_REVERT_URL)) + "/{token}", this::revert));
    }

    private void changePage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = signedInBody(x);
            body.put("current_email", x.authentication.orElseThrow().user().email());
            body.put("active_password", x.authentication.orElseThrow().user().passwordHash().isPresent());
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
            result = web.gatehouse.emailChange().requestChange(user, email, x.fields().text("password").orElse(""),
                    x.client());
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
                    web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
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
                done(x, "error", message(x, e), signedIn ? url(config.get(CHANGE_EMAIL_URL)) : url(config.get(LOGIN_URL)));
            }
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            done(x, "success", x.text("CHANGE_EMAIL_CONFIRMED", Map.of("email", changed.user().email())),
                    signedIn ? config.get(POST_LOGIN_VIEW) : url(config.get(LOGIN_URL)));
        }
    }

    private void revertPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        // A browser signed in (as anyone) gets a CSRF token bound to its session, as the post checks.
        web.authenticate(x, web.defaultMechanisms);
        String token = token(x);
        String email;
        try {
            email = web.gatehouse.emailChange().checkRevert(token);
        } catch (InvalidInputException e) {
            badRevertLink(x, e);
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("email", email);
            web.json(x, 200, body);
        } else {
            Map<String, Object> model = formModel(x, url(config.get(CHANGE_EMAIL_REVERT_URL)) + "/" + token, List.of(), Map.of());
            model.put("email", email);
            web.page(x, 200, "change_email_revert", model);
        }
    }

    private void revert(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        // Whoever follows the link may be signed in (as the intruder, even): the form's CSRF token
        // binds to whatever the page was shown to, as a visitor's forms do.
        if (!wellFormed(x) || !anonymousCsrf(x)) {
            return;
        }
        ChangeEmailResult.Reverted reverted;
        try {
            reverted = web.gatehouse.emailChange().revertChange(token(x), x.client());
        } catch (InvalidInputException e) {
            badRevertLink(x, e);
            return;
        }
        // Every session of the user ended: clear this client's cookies if they named one of them
        // (a browser signed in as someone else stays so).
        if (x.authentication != null && x.authentication.filter(a -> a.user().id() == reverted.user().id()).isPresent()) {
            web.logout(x.request, x.response);
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            String email = reverted.user().email();
            boolean reset = reverted.passwordCleared();
            done(x, "success", x.text(reset ? "CHANGE_EMAIL_REVERTED" : "CHANGE_EMAIL_REVERTED_SIGN_IN", Map.of("email", email)),
                    url(reset ? config.get(RESET_URL) : config.get(LOGIN_URL)));
        }
    }

    /** A bad, used or expired revert link: JSON 400 on {@code token}; browsers to the sign-in page. */
    private void badRevertLink(Exchange x, InvalidInputException e) {
        if (x.wantsJson()) {
            invalid(x, e, null);
        } else {
            done(x, "error", message(x, e), url(config.get(LOGIN_URL)));
        }
    }

    private void showForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String email) {
        Map<String, Object> model = formModel(x, url(config.get(CHANGE_EMAIL_URL)), errors, fieldErrors);
        model.put("email", email);
        model.put("current_email", x.authentication.orElseThrow().user().email());
        model.put("active_password", x.authentication.orElseThrow().user().passwordHash().isPresent());
        web.page(x, status, "change_email", model);
    }
}
