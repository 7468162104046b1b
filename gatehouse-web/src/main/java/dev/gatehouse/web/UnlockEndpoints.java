package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.UNLOCK_URL;

import dev.gatehouse.error.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * The emailed unlock link, {@code GET {unlock-url}/{token}}: mounted when lockout is on and
 * {@code lockout-unlock} is {@code email} or {@code both}. Browsers land on the sign-in page with a
 * notice; JSON clients get 200, or 400 with {@code field_errors.token}.
 */
final class UnlockEndpoints extends FlowEndpoints {

    UnlockEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        return List.of(new WebRoute("GET", url(config.get(UNLOCK_URL)) + "/{token}", this::unlock));
    }

    private void unlock(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        try {
            web.gatehouse.lockout().unlock(token(x), x.client());
        } catch (InvalidInputException e) {
            if (x.wantsJson()) {
                invalid(x, e, null);
            } else {
                done(x, "error", message(x, e), url(config.get(LOGIN_URL)));
            }
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            done(x, "success", "ACCOUNT_UNLOCKED", url(config.get(LOGIN_URL)));
        }
    }
}
