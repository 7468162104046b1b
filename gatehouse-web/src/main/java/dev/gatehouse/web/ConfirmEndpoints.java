package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.AUTO_LOGIN_AFTER_CONFIRM;
import static dev.gatehouse.config.Settings.CONFIRM_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.ConfirmResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Email confirmation ({@code confirmable}): {@code GET|POST {confirm-url}} asks for a new link
 * (Flask-Security's send-confirmation), {@code GET {confirm-url}/{token}} is the emailed link.
 *
 * <p>The link is followed by a browser, so it answers with a redirect and a notice: to the sign-in
 * page, or — when {@code auto-login-after-confirm} signs the user in — to {@code post-login-view}
 * after a confirming click ({@code POST {confirm-url}/{token}}) on the page the link shows.
 * A client asking for JSON gets the outcome as JSON instead (400 with {@code field_errors.token}).
 */
final class ConfirmEndpoints extends FlowEndpoints {

    ConfirmEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(CONFIRM_URL));
        return List.of(new WebRoute("GET", path, this::sendPage), new WebRoute("POST", path, this::send),
                new WebRoute("GET", path + "/{token}", this::linkPage), new WebRoute("POST", path + "/{token}", this::confirm));
    }

    private void sendPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else {
            showAddressForm(x, sendForm());
        }
    }

    private void send(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymousCsrf(x)) {
            sendToAddress(x, sendForm(), web.gatehouse.confirmation()::sendConfirmation);
        }
    }

    private AddressForm sendForm() {
        String path = url(config.get(CONFIRM_URL));
        return new AddressForm("send_confirmation", path, "GENERIC_CONFIRMATION_REQUEST", "CONFIRMATION_REQUEST", path);
    }

    /**
     * The emailed link. When confirming signs the user in ({@code auto-login-after-confirm}), the
     * link itself only shows a page whose button confirms and signs in, with this browser's CSRF
     * token: an attacker's own confirmation link followed here must not sign this browser in as
     * the attacker (login CSRF). Otherwise following it confirms at once, as in Flask-Security.
     */
    private void linkPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!config.get(AUTO_LOGIN_AFTER_CONFIRM)) {
            useLink(x);
        } else if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else {
            Map<String, Object> model = formModel(x, x.request.path(), List.of(), Map.of());
            model.put("title", "TITLE_CONFIRM_LINK");
            model.put("text", "TEXT_CONFIRM_LINK");
            model.put("button", "BUTTON_CONFIRM_LINK");
            model.put("offer_remember", false);
            web.page(x, 200, "email_link", model);
        }
    }

    private void confirm(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymousCsrf(x)) {
            useLink(x);
        }
    }

    private void useLink(Exchange x) {
        ConfirmResult.Confirmed confirmed;
        try {
            confirmed = web.gatehouse.confirmation().confirm(token(x), x.client());
        } catch (InvalidInputException e) {
            if (x.wantsJson()) {
                invalid(x, e, null);
            } else {
                // A used link of a confirmed address: nothing to do but sign in.
                String next = e.code().equals("ALREADY_CONFIRMED") ? url(config.get(LOGIN_URL)) : url(config.get(CONFIRM_URL));
                done(x, e.code().equals("ALREADY_CONFIRMED") ? "info" : "error", message(x, e), next);
            }
            return;
        }
        if (confirmed.signIn() && !web.firstFactor(x, confirmed.user(), false, "confirm")) {
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, confirmed.signIn() ? web.authenticatedBody(x, x.authentication.orElseThrow().user())
                    : Map.of());
        } else {
            done(x, "success", "EMAIL_CONFIRMED", confirmed.signIn() ? config.get(POST_LOGIN_VIEW) : url(config.get(LOGIN_URL)));
        }
    }
}
