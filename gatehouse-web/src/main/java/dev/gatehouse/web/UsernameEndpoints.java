package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.CHANGE_USERNAME_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_MAX_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_MIN_LENGTH;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY;
import static dev.gatehouse.config.Settings.USERNAME_RECOVERY_URL;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Usernames: {@code GET|POST {change-username-url}} for a signed-in, freshly authenticated user
 * ({@code username-enable}), and {@code GET|POST {username-recovery-url}}, which emails a
 * forgotten username ({@code username-recovery}).
 */
final class UsernameEndpoints extends FlowEndpoints {

    UsernameEndpoints(WebToolkit web) {
        super(web);
    }


    /** Whether the recovery form is mounted. */
    boolean recoveryMounted() {
        return config.get(USERNAME_ENABLE) && config.get(USERNAME_RECOVERY);
    }

    @Override
    List<WebRoute> endpoints() {
        List<WebRoute> routes = new ArrayList<>();
        String change = url(config.get(CHANGE_USERNAME_URL));
        routes.add(new WebRoute("GET", change, this::changePage));
        routes.add(new WebRoute("POST", change, this::change));
        if (recoveryMounted()) {
            String recover = url(config.get(USERNAME_RECOVERY_URL));
            routes.add(new WebRoute("GET", recover, this::recoverPage));
            routes.add(new WebRoute("POST", recover, this::recover));
        }
        return List.copyOf(routes);
    }

    // ------------------------------------------------------------------ change

    private void changePage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!signedIn(x, true)) {
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = signedInBody(x);
            x.authentication.orElseThrow().user().username().ifPresent(u -> body.put("current_username", u));
            web.json(x, 200, body);
        } else {
            showChangeForm(x, 200, List.of(), Map.of(), "");
        }
    }

    private void change(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !signedIn(x, true)) {
            return;
        }
        User user = x.authentication.orElseThrow().user();
        String username = text(x, "username");
        User changed;
        try {
            changed = web.gatehouse.usernames().change(user, username, x.client());
        } catch (InvalidInputException e) {
            invalid(x, e, (status, errors, fieldErrors) -> showChangeForm(x, status, errors, fieldErrors, username));
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("user", web.userPayload(changed)));
        } else {
            done(x, "success", "USERNAME_CHANGE", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        }
    }

    private void showChangeForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String username) {
        Map<String, Object> model = formModel(x, url(config.get(CHANGE_USERNAME_URL)), errors, fieldErrors);
        model.put("username", username);
        model.put("current_username", x.authentication.orElseThrow().user().username().orElse(""));
        model.put("username_min_length", config.get(USERNAME_MIN_LENGTH));
        model.put("username_max_length", config.get(USERNAME_MAX_LENGTH));
        web.page(x, status, "change_username", model);
    }

    // ------------------------------------------------------------------ recovery

    private void recoverPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
        } else {
            showAddressForm(x, recoverForm());
        }
    }

    private void recover(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymousCsrf(x)) {
            sendToAddress(x, recoverForm(), web.gatehouse.usernames()::recoverUsername);
        }
    }

    private AddressForm recoverForm() {
        return new AddressForm("recover_username", url(config.get(USERNAME_RECOVERY_URL)), "GENERIC_USERNAME_RECOVERY",
                "USERNAME_RECOVERY_REQUEST", url(config.get(LOGIN_URL)));
    }
}
