package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.DEFAULT_REMEMBER_ME;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.LOGOUT_METHODS;
import static dev.gatehouse.config.Settings.LOGOUT_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.POST_LOGOUT_VIEW;
import static dev.gatehouse.config.Settings.REFRESH_TOKEN_URL;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.VERIFY_URL;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.RefreshTokens;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.LogoutMethod;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Flask-Security's session endpoints: {@code /login}, {@code /logout}, {@code /verify} and
 * {@code /refresh-token}, answering JSON or HTML as the client prefers. The flows themselves
 * (credential checks, sessions, tokens) live in core; this class only translates.
 */
final class SessionEndpoints {

    private static final Set<Mechanism> SESSION_ONLY = Set.of(Mechanism.SESSION);

    private final WebToolkit web;
    private final GatehouseConfig config;

    SessionEndpoints(WebToolkit web) {
        this.web = web;
        this.config = web.config;
    }

    List<WebRoute> routes() {
        List<WebRoute> routes = new ArrayList<>();
        String login = web.url(config.get(LOGIN_URL));
        routes.add(new WebRoute("GET", login, this::loginPage));
        routes.add(new WebRoute("POST", login, this::login));
        for (LogoutMethod method : config.get(LOGOUT_METHODS)) {
            routes.add(new WebRoute(method.name(), web.url(config.get(LOGOUT_URL)), this::logout));
        }
        if (config.get(LOGOUT_METHODS).contains(LogoutMethod.POST) && !config.get(LOGOUT_METHODS).contains(LogoutMethod.GET)) {
            // A link to the logout URL shows a confirmation page whose form signs out: GET itself
            // must not, or any site could sign users out with an image tag.
            routes.add(new WebRoute("GET", web.url(config.get(LOGOUT_URL)), this::logoutPage));
        }
        String verify = web.url(config.get(VERIFY_URL));
        routes.add(new WebRoute("GET", verify, this::verifyPage));
        routes.add(new WebRoute("POST", verify, this::verify));
        routes.add(new WebRoute("POST", web.url(config.get(REFRESH_TOKEN_URL)), this::refreshToken));
        return List.copyOf(routes);
    }

    // ------------------------------------------------------------------ login

    private void loginPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        Optional<Authentication> auth = web.authenticate(x, web.defaultMechanisms);
        if (x.wantsJson()) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (auth.isPresent()) {
                body.put("user", web.userPayload(auth.get().user()));
            } else {
                body.put("identity_attributes", config.get(USERNAME_ENABLE) ? List.of("email", "username") : List.of("email"));
            }
            body.put("csrf_token", web.csrfToken(x));
            web.json(x, 200, body);
            return;
        }
        if (auth.isPresent()) {
            web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
            return;
        }
        showLoginForm(x, 200, List.of(), Map.of(), "");
    }

    private void showLoginForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String email) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", web.url(config.get(LOGIN_URL)));
        model.put("csrf_token", web.csrfToken(x));
        model.put("next", web.safeNext(x).orElse(""));
        model.put("errors", errors);
        model.put("field_errors", fieldErrors);
        model.put("email", email);
        model.put("remember", x.fields().flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME)));
        model.put("username_enable", config.get(USERNAME_ENABLE));
        web.page(x, status, "login", model);
    }

    private void login(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        RequestFields fields = x.fields();
        if (fields.isMalformed()) {
            web.json(x, 400, Map.of(), List.of(x.text("INVALID_JSON")), Map.of());
            return;
        }
        if (web.authenticate(x, web.defaultMechanisms).isPresent()) {
            if (x.wantsJson()) {
                fail(x, "ANONYMOUS_USER_REQUIRED", null);
            } else {
                web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
            }
            return;
        }
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        Optional<String> next = WebToolkit.nextParameter(x);
        if (next.isPresent() && !next.get().isEmpty() && !web.redirects.isSafe(next.get()) && x.wantsJson()) {
            RefusalLog.offSiteNext(x);
            fail(x, "INVALID_REDIRECT", "next");
            return;
        }
        String identity = fields.text("email").or(() -> fields.text("username")).orElse("").strip();
        Optional<String> password = fields.text("password").filter(p -> !p.isEmpty());
        Map<String, List<String>> missing = new LinkedHashMap<>();
        if (identity.isEmpty()) {
            missing.put("email", List.of(x.text("EMAIL_NOT_PROVIDED")));
        }
        if (password.isEmpty()) {
            missing.put("password", List.of(x.text("PASSWORD_NOT_PROVIDED")));
        }
        if (!missing.isEmpty()) {
            formErrors(x, missing, identity);
            return;
        }
        SignInResult result = web.gatehouse.signIn().signIn(identity, password.get(), x.client());
        if (result instanceof SignInResult.SignedIn signedIn) {
            boolean remember = fields.flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME));
            if (!web.firstFactor(x, signedIn.user(), remember, "password")) {
                return;
            }
            User user = x.authentication.orElseThrow().user();
            if (x.wantsJson()) {
                web.json(x, 200, web.authenticatedBody(x, user));
            } else {
                web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
            }
        } else if (result instanceof SignInResult.InvalidCredentials invalid) {
            if (config.get(RETURN_GENERIC_RESPONSES)) {
                formErrors(x, Map.of(), identity, List.of(x.text("GENERIC_AUTHN_FAILED")));
            } else if (invalid.reason() == SignInResult.Reason.USER_DOES_NOT_EXIST) {
                formErrors(x, Map.of("email", List.of(x.text("USER_DOES_NOT_EXIST"))), identity);
            } else {
                formErrors(x, Map.of("password", List.of(x.text(invalid.reason().name()))), identity);
            }
        } else if (result instanceof SignInResult.LockedOut locked) {
            if (config.get(RETURN_GENERIC_RESPONSES)) {
                // The flow did the same work as for a wrong password; the answer must not differ either.
                formErrors(x, Map.of(), identity, List.of(x.text("GENERIC_AUTHN_FAILED")));
            } else {
                String message = locked.until().isPresent()
                        ? x.text("LOCKED_OUT", Map.of("until", Lockout.untilText(locked.until().get())))
                        : x.text("LOCKED_OUT_EMAIL");
                formErrors(x, Map.of("email", List.of(message)), identity);
            }
        } else if (result instanceof SignInResult.RateLimited limited) {
            RefusalLog.rateLimited(x);
            long seconds = Math.max(1, limited.retryAfter().toSeconds());
            x.response.header("Retry-After", Long.toString(seconds));
            String message = x.text("TOO_MANY_REQUESTS", Map.of("seconds", seconds));
            if (x.wantsJson()) {
                web.json(x, 429, Map.of(), List.of(message), Map.of());
            } else {
                showLoginForm(x, 429, List.of(message), Map.of(), identity);
            }
        } else if (result instanceof SignInResult.ConfirmationRequired) {
            formErrors(x, Map.of("email", List.of(x.text("CONFIRMATION_REQUIRED"))), identity);
        } else {
            formErrors(x, Map.of("email", List.of(x.text("DISABLED_ACCOUNT"))), identity);
        }
    }

    // ------------------------------------------------------------------ logout

    /**
     * Ends what the request authenticated with, each by its own rule: the session of a valid
     * session (or remember-me) cookie, which needs the session's CSRF token whatever else the
     * request carries; the sign-in of a valid API token; the family of a refresh token handed back.
     */
    private void logout(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        boolean unsafe = Csrf.isUnsafe(request.method());
        // The session first, so that CSRF is checked against it (its binding comes from x.authentication).
        Optional<Authentication> bySession = web.authenticate(x, SESSION_ONLY);
        if (unsafe && bySession.isPresent() && !web.csrfValid(x)) {
            web.csrfFailure(x);
            return;
        }
        Optional<String> sessionFamily = bySession.flatMap(Authentication::familyId);
        Optional<Authentication> byToken = web.tokenAuthentication(x);
        // Features hear of the sign-out while its session and data still exist (a provider's logout).
        Optional<String> elsewhere = Optional.empty();
        Optional<Authentication> ending = bySession.or(() -> byToken);
        if (ending.isPresent()) {
            for (WebFeature feature : web.features) {
                elsewhere = feature.onLogout(x, ending.get());
                if (elsewhere.isPresent()) {
                    break;
                }
            }
        }
        byToken.filter(token -> token.familyId().isPresent() && !token.familyId().equals(sessionFamily))
                .ifPresent(token -> web.gatehouse.sessions().endFamily(token.user().id(), token.familyId().get(), x.client()));
        web.logout(request, response);
        // An API client hands its refresh token back so that its family ends with the sign-out.
        x.fields().text("refresh_token").ifPresent(web.gatehouse.refreshTokens()::revoke);
        if (x.wantsJson()) {
            web.json(x, 200, elsewhere.<Map<String, Object>>map(location -> Map.of("location", location)).orElse(Map.of()));
        } else {
            web.flashes.add(x, "success", "LOGOUT_DONE");
            web.redirect(x, elsewhere.orElseGet(() -> web.safeNext(x).orElse(config.get(POST_LOGOUT_VIEW))));
        }
    }

    private void logoutPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.wantsJson()) {
            response.header("Allow", config.get(LOGOUT_METHODS).stream().map(LogoutMethod::name).collect(Collectors.joining(", ")));
            web.json(x, 405, Map.of(), List.of(x.text("METHOD_NOT_ALLOWED")), Map.of());
            return;
        }
        if (web.authenticate(x, SESSION_ONLY).isEmpty()) {
            web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGOUT_VIEW)));
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", web.url(config.get(LOGOUT_URL)));
        model.put("next", web.safeNext(x).orElse(""));
        web.page(x, 200, "logout", model);
    }

    // ------------------------------------------------------------------ verify (re-authenticate)

    private void verifyPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!web.enforce(request, response, AccessRule.authenticated())) {
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, Map.of("user", web.userPayload(x.authentication.orElseThrow().user()),
                    "csrf_token", web.csrfToken(x)));
        } else {
            showVerifyForm(x, 200, List.of());
        }
    }

    private void showVerifyForm(Exchange x, int status, List<String> passwordErrors) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", web.url(config.get(VERIFY_URL)));
        model.put("csrf_token", web.csrfToken(x));
        model.put("next", web.safeNext(x).orElse(""));
        model.put("errors", List.of());
        model.put("field_errors", passwordErrors.isEmpty() ? Map.of() : Map.of("password", passwordErrors));
        web.page(x, status, "verify", model);
    }

    private void verify(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.fields().isMalformed()) {
            web.json(x, 400, Map.of(), List.of(x.text("INVALID_JSON")), Map.of());
            return;
        }
        // enforce() also checks the CSRF token of session-authenticated requests.
        if (!web.enforce(request, response, AccessRule.authenticated())) {
            return;
        }
        Authentication auth = x.authentication.orElseThrow();
        Optional<String> next = WebToolkit.nextParameter(x);
        if (next.isPresent() && !next.get().isEmpty() && !web.redirects.isSafe(next.get()) && x.wantsJson()) {
            RefusalLog.offSiteNext(x);
            fail(x, "INVALID_REDIRECT", "next");
            return;
        }
        String password = x.fields().text("password").orElse("");
        if (password.isEmpty()) {
            verifyFailed(x, "PASSWORD_NOT_PROVIDED");
            return;
        }
        SignInResult result = web.gatehouse.signIn().checkPassword(auth.user(), password, x.client());
        if (result instanceof SignInResult.RateLimited limited) {
            long seconds = Math.max(1, limited.retryAfter().toSeconds());
            x.response.header("Retry-After", Long.toString(seconds));
            String message = x.text("TOO_MANY_REQUESTS", Map.of("seconds", seconds));
            if (x.wantsJson()) {
                web.json(x, 429, Map.of(), List.of(message), Map.of());
            } else {
                showVerifyForm(x, 429, List.of(message));
            }
            return;
        }
        if (result instanceof SignInResult.LockedOut locked) {
            verifyFailedWith(x, web.lockedMessage(x, locked.until()));
            return;
        }
        if (!(result instanceof SignInResult.SignedIn signedIn)) {
            verifyFailed(x, result instanceof SignInResult.InvalidCredentials invalid ? invalid.reason().name() : "INVALID_PASSWORD");
            return;
        }
        User user = signedIn.user();
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
            web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        }
    }

    private void verifyFailed(Exchange x, String messageKey) {
        verifyFailedWith(x, x.text(messageKey));
    }

    private void verifyFailedWith(Exchange x, String message) {
        if (x.wantsJson()) {
            web.json(x, 400, Map.of(), List.of(message), Map.of("password", List.of(message)));
        } else {
            showVerifyForm(x, 200, List.of(message));
        }
    }

    // ------------------------------------------------------------------ refresh tokens

    private void refreshToken(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.fields().isMalformed()) {
            web.json(x, 400, Map.of(), List.of(x.text("INVALID_JSON")), Map.of());
            return;
        }
        Optional<RefreshTokens.Issued> issued = x.fields().text("refresh_token")
                .flatMap(token -> web.gatehouse.refreshTokens().exchange(token, x.client()));
        if (issued.isEmpty()) {
            fail(x, "INVALID_REFRESH_TOKEN", "refresh_token");
            return;
        }
        AuthenticationLog.refreshed(x, issued.get().user());
        Map<String, Object> user = web.userPayload(issued.get().user());
        user.put("authentication_token", issued.get().authToken());
        user.put("refresh_token", issued.get().refreshToken());
        user.put("refresh_token_expires", issued.get().expiresAt().toEpochMilli());
        web.json(x, 200, Map.of("user", user));
    }

    // ------------------------------------------------------------------ shared

    private void fail(Exchange x, String messageKey, String field) {
        String message = x.text(messageKey);
        if (x.wantsJson()) {
            web.json(x, 400, Map.of(), List.of(message), field == null ? Map.of() : Map.of(field, List.of(message)));
        } else {
            web.errorPage(x, 400, message);
        }
    }

    private void formErrors(Exchange x, Map<String, List<String>> fieldErrors, String identity) {
        List<String> all = new ArrayList<>();
        fieldErrors.values().forEach(all::addAll);
        formErrors(x, fieldErrors, identity, all);
    }

    private void formErrors(Exchange x, Map<String, List<String>> fieldErrors, String identity, List<String> errors) {
        if (x.wantsJson()) {
            web.json(x, 400, Map.of(), errors, fieldErrors);
        } else {
            // The page shows field errors beside their fields, and only the others above the form.
            List<String> general = new ArrayList<>(errors);
            fieldErrors.values().forEach(general::removeAll);
            showLoginForm(x, 200, general, fieldErrors, identity);
        }
    }
}
