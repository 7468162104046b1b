package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.DEFAULT_REMEMBER_ME;
import static dev.gatehouse.config.Settings.EMAIL_LINK_SIGNIN;
import static dev.gatehouse.config.Settings.LOGIN_CODE_WITHIN;
import static dev.gatehouse.config.Settings.LOGIN_WITHIN;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.US_SIGNIN_URL;
import static dev.gatehouse.config.Settings.US_VERIFY_LINK_URL;

import dev.gatehouse.auth.Lockout;
import dev.gatehouse.auth.SignInResult;
import dev.gatehouse.config.EmailLinkSignin;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.LoginCodeResult;
import dev.gatehouse.lifecycle.RateLimited;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Passwordless sign-in by email ({@code unified-signin}), with Flask-Security's paths and fields:
 * {@code GET {us-signin-url}} (the form), {@code POST {us-signin-url}/send-code} ({@code identity}:
 * the email address), {@code POST {us-signin-url}} ({@code passcode}) and the emailed link
 * {@code GET {us-verify-link-url}/{token}}, which shows a page whose button signs in through
 * {@code POST {us-verify-link-url}/{token}} (Gatehouse's addition against login CSRF).
 *
 * <p>The code works only with the challenge of the request that asked for it. The challenge
 * travels in an {@code HttpOnly} cookie set by send-code — so the code is bound to the browser (or
 * cookie-keeping API client) that asked, never shown to script, never logged — and is deleted once
 * the code worked. Wrong codes, expired or used ones, and codes of another challenge all answer
 * alike ({@code INVALID_CODE}); after three wrong attempts the challenge is dead.
 */
final class PasswordlessEndpoints extends FlowEndpoints {

    private final UnifiedSignIn unified;

    PasswordlessEndpoints(WebToolkit web) {
        super(web);
        this.unified = new UnifiedSignIn(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(US_SIGNIN_URL));
        return List.of(new WebRoute("GET", path, this::signinPage),
                new WebRoute("POST", path + "/send-code", this::sendCode),
                new WebRoute("POST", path, this::verifyCode),
                new WebRoute("GET", url(config.get(US_VERIFY_LINK_URL)) + "/{token}", this::linkPage),
                new WebRoute("POST", url(config.get(US_VERIFY_LINK_URL)) + "/{token}", this::verifyLink));
    }

    private void signinPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (x.wantsJson()) {
            // A signed-in client learns who it is, as from Flask-Security's handle_already_auth.
            Map<String, Object> body = web.authenticate(x, web.defaultMechanisms).isPresent() ? signedInBody(x) : csrfBody(x);
            body.put("available_methods", unified.availableMethods());
            body.put("code_methods", unified.codeMethods());
            body.put("identity_attributes", List.of("email"));
            web.json(x, 200, body);
        } else if (anonymous(x)) {
            showEmailForm(x, 200, List.of(), Map.of(), "");
        }
    }

    private void sendCode(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !anonymous(x) || !anonymousCsrf(x) || !nextAllowed(x)) {
            return;
        }
        String email = identity(x);
        Form form = (status, errors, fieldErrors) -> showEmailForm(x, status, errors, fieldErrors, email);
        if (text(x, "chosen_method").equals("sms") && unified.codeMethods().contains("sms")) {
            // A text to the account's phone, if it set up SMS sign-in; the answer is the same either way.
            Optional<Duration> limited = unified.sendSms(x, email);
            if (limited.isPresent()) {
                rateLimited(x, limited.get(), form);
            } else if (x.wantsJson()) {
                web.json(x, 200, Map.of());
            } else {
                showCodeForm(x, 200, List.of(x.text("CODE_HAS_BEEN_SENT")), List.of(), Map.of());
            }
            return;
        }
        LoginCodeResult result;
        try {
            result = web.gatehouse.passwordless().sendCode(email, x.client());
        } catch (InvalidInputException e) {
            // Flask-Security names the field identity; the flow, email.
            invalid(x, Map.of("identity", List.of(message(x, e))), form);
            return;
        }
        if (result instanceof RateLimited limited) {
            rateLimited(x, limited.retryAfter(), form);
            return;
        }
        String challenge = ((LoginCodeResult.CodeSent) result).challenge();
        x.response.addHeader("Set-Cookie", web.cookies.persistentCookie(web.cookies.signInChallenge, challenge,
                config.get(LOGIN_CODE_WITHIN)));
        if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            List<String> notice = List.of(config.get(RETURN_GENERIC_RESPONSES) ? x.text("GENERIC_US_SIGNIN")
                    : x.text("US_CODE_SENT", Map.of("email", email)));
            showCodeForm(x, 200, notice, List.of(), Map.of());
        }
    }

    private void verifyCode(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !anonymous(x) || !anonymousCsrf(x) || !nextAllowed(x)) {
            return;
        }
        String passcode = x.fields().text("passcode").or(() -> x.fields().text("code")).orElse("");
        // No challenge cookie: a code asked for elsewhere, or long ago. The flow refuses it like any wrong code.
        String challenge = x.request.cookie(web.cookies.signInChallenge).orElse("");
        String identity = identity(x);
        SignInResult result;
        if (!identity.isEmpty()) {
            // Flask-Security's us-signin: the identity with the password or an authenticator code.
            result = unified.signIn(identity, passcode, x.client());
            if (result instanceof SignInResult.InvalidCredentials) {
                // Unknown account, wrong password, wrong code: one answer.
                invalid(x, Map.of("passcode", List.of(x.text("INVALID_PASSWORD_CODE"))),
                        (status, errors, fieldErrors) -> showEmailForm(x, status, errors, fieldErrors, identity));
                return;
            }
        } else if (UnifiedSignIn.isSmsChallenge(challenge)) {
            result = unified.verifySms(challenge, passcode, x.client());
        } else {
            result = web.gatehouse.passwordless().verifyCode(challenge, passcode, x.client());
        }
        finish(x, result, "passcode", (status, errors, fieldErrors) -> showCodeForm(x, status, List.of(), errors, fieldErrors));
    }

    /**
     * The emailed link. Following it signs nobody in (a link sent to someone else's mailbox and
     * followed here would sign this browser in as them: login CSRF): browsers get a page whose
     * button posts the link with this browser's CSRF token, JSON clients the token to post it
     * with. With {@code email-link-signin=same-browser}, the browser holding the challenge of the
     * request that asked for this very link is signed in at once.
     */
    private void linkPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!anonymous(x)) {
            return;
        }
        String token = token(x);
        Optional<String> challenge = x.request.cookie(web.cookies.signInChallenge);
        if (config.get(EMAIL_LINK_SIGNIN).equals(EmailLinkSignin.SAME_BROWSER) && challenge.isPresent()
                && web.gatehouse.passwordless().isLinkOf(token, challenge.get())) {
            useLink(x);
            return;
        }
        Optional<SignInResult.Reason> problem = web.gatehouse.passwordless().checkLink(token);
        if (problem.isPresent()) {
            refuseLink(x, List.of(x.text(problem.get().name(), Map.of("within",
                    DurationTexts.describe(config.get(LOGIN_WITHIN), web.messages, x.locale())))), Map.of());
            return;
        }
        if (x.wantsJson()) {
            web.json(x, 200, csrfBody(x));
            return;
        }
        Map<String, Object> model = formModel(x, x.request.path(), List.of(), Map.of());
        model.put("title", "TITLE_US_VERIFY_LINK");
        model.put("text", "TEXT_US_VERIFY_LINK");
        model.put("button", "BUTTON_US_VERIFY_LINK");
        model.put("offer_remember", true);
        model.put("remember", config.get(DEFAULT_REMEMBER_ME));
        web.page(x, 200, "email_link", model);
    }

    /** The confirming click on the link's page (or a JSON client's POST): signs in, once. */
    private void verifyLink(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (wellFormed(x) && anonymous(x) && anonymousCsrf(x) && nextAllowed(x)) {
            useLink(x);
        }
    }

    private void useLink(Exchange x) {
        SignInResult result = web.gatehouse.passwordless().verifyLink(token(x), x.client());
        finish(x, result, "token", (status, errors, fieldErrors) -> refuseLink(x, errors, fieldErrors));
    }

    /** A link that cannot sign in: JSON 400 on {@code token}; browsers back to the form, with the problem as a notice. */
    private void refuseLink(Exchange x, List<String> errors, Map<String, List<String>> fieldErrors) {
        List<String> all = new java.util.ArrayList<>(errors);
        fieldErrors.values().forEach(all::addAll);
        if (x.wantsJson()) {
            web.json(x, 400, Map.of(), all, Map.of("token", all));
            return;
        }
        for (String error : all) {
            web.flashes.add(x, "error", error);
        }
        web.redirect(x, url(config.get(US_SIGNIN_URL)));
    }

    /** Maps a sign-in result: a session for success, one message for every failure the client may not tell apart. */
    private void finish(Exchange x, SignInResult result, String field, Form form) {
        if (result instanceof SignInResult.SignedIn signedIn) {
            x.response.addHeader("Set-Cookie", web.cookies.expired(web.cookies.signInChallenge));
            boolean remember = x.fields().flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME));
            if (!web.firstFactor(x, signedIn.user(), remember, field.equals("token") ? "us-link" : "us-code")) {
                return;
            }
            if (x.wantsJson()) {
                web.json(x, 200, web.authenticatedBody(x, x.authentication.orElseThrow().user()));
            } else {
                done(x, "success", "PASSWORDLESS_LOGIN_SUCCESSFUL", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
            }
            return;
        }
        if (result instanceof SignInResult.RateLimited limited) {
            rateLimited(x, limited.retryAfter(), form);
            return;
        }
        String key;
        if (result instanceof SignInResult.InvalidCredentials invalid) {
            key = invalid.reason().name();
        } else if (result instanceof SignInResult.LockedOut locked) {
            key = config.get(RETURN_GENERIC_RESPONSES) ? (field.equals("token") ? "INVALID_LOGIN_TOKEN" : "INVALID_CODE")
                    : locked.until().isPresent() ? "LOCKED_OUT" : "LOCKED_OUT_EMAIL";
        } else if (result instanceof SignInResult.ConfirmationRequired) {
            key = "CONFIRMATION_REQUIRED";
        } else {
            key = "DISABLED_ACCOUNT";
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("within", DurationTexts.describe(config.get(LOGIN_WITHIN), web.messages, x.locale()));
        if (result instanceof SignInResult.LockedOut locked) {
            parameters.put("until", locked.until().map(Lockout::untilText).orElse(""));
        }
        invalid(x, Map.of(field, List.of(x.text(key, parameters))), form);
    }

    /** The email address: Flask-Security's {@code identity}, or {@code email}. */
    private static String identity(Exchange x) {
        return x.fields().text("identity").or(() -> x.fields().text("email")).map(String::strip).orElse("");
    }

    private void showEmailForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            String email) {
        Map<String, Object> model = formModel(x, url(config.get(US_SIGNIN_URL)) + "/send-code", errors, fieldErrors);
        model.put("identity", email);
        web.page(x, status, "us_signin", model);
    }

    private void showCodeForm(Exchange x, int status, List<String> notices, List<String> errors,
            Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = formModel(x, url(config.get(US_SIGNIN_URL)), errors, fieldErrors);
        model.put("notices", notices);
        model.put("send_code_url", url(config.get(US_SIGNIN_URL)));
        model.put("within", DurationTexts.describe(config.get(LOGIN_CODE_WITHIN), web.messages, x.locale()));
        model.put("remember", x.fields().flag("remember").orElse(config.get(DEFAULT_REMEMBER_ME)));
        web.page(x, status, "us_signin_code", model);
    }
}
