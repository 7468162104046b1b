package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.lifecycle.SendResult;
import dev.gatehouse.password.PasswordPolicyException;
import dev.gatehouse.request.ClientInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What the account lifecycle's endpoints share: the checks every request passes first, and the
 * translation of the flows' outcomes into JSON envelopes or pages. No business rule lives here or
 * in a subclass: they read the request, call a flow, and map its result — an
 * {@link InvalidInputException} to 400 with {@code field_errors}, a rate limit to 429 with
 * {@code Retry-After}, success to a JSON body or a redirect with a flash message.
 */
abstract class FlowEndpoints {

    /** Shows a form again: with its status (200, or 429 when rate-limited) and the problems to show. */
    @FunctionalInterface
    interface Form {
        void show(int status, List<String> errors, Map<String, List<String>> fieldErrors);
    }

    final WebToolkit web;
    final GatehouseConfig config;

    FlowEndpoints(WebToolkit web) {
        this.web = web;
        this.config = web.config;
    }

    /** The endpoints; mounted when the group's feature is on (see {@link BuiltInFeatures}). */
    abstract List<WebRoute> endpoints();

    // ------------------------------------------------------------------ checks; each answers a refusal itself

    /** A JSON body that is not an object is refused before anything else. */
    boolean wellFormed(Exchange x) {
        if (x.fields().isMalformed()) {
            web.json(x, 400, Map.of(), List.of(x.text("INVALID_JSON")), Map.of());
            return false;
        }
        return true;
    }

    /**
     * Endpoints for visitors (registration, reset, passwordless sign-in) refuse signed-in clients,
     * as Flask-Security's {@code anonymous_user_required}: JSON with 400, browsers are sent on.
     */
    boolean anonymous(Exchange x) {
        if (web.authenticate(x, web.defaultMechanisms).isEmpty()) {
            return true;
        }
        if (x.wantsJson()) {
            fail(x, 400, "ANONYMOUS_USER_REQUIRED", null);
        } else {
            web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        }
        return false;
    }

    /** A visitor's form carries a CSRF token bound to the anonymous nonce cookie, as the login form does. */
    boolean anonymousCsrf(Exchange x) {
        // A signed-in client's forms carry a token bound to its session: authenticate first, so
        // the check binds to the same thing the page did.
        web.authenticate(x, web.defaultMechanisms);
        if (web.loginCsrfPasses(x)) {
            return true;
        }
        web.csrfFailure(x);
        return false;
    }

    /**
     * A signed-in user, by the default mechanisms; with {@code fresh}, one who proved who they are
     * within {@code freshness} (else JSON 401 {@code reauth_required}, browsers to the verify page).
     * Checks the CSRF token of session-authenticated unsafe requests too.
     */
    boolean signedIn(Exchange x, boolean fresh) {
        AccessRule rule = fresh ? AccessRule.authenticated().within(config.get(FRESHNESS)) : AccessRule.authenticated();
        return web.enforce(x.request, x.response, rule);
    }

    /** An off-site {@code next} is an error for JSON clients (browsers' forms just ignore it). */
    boolean nextAllowed(Exchange x) {
        Optional<String> next = WebToolkit.nextParameter(x);
        if (next.isPresent() && !next.get().isEmpty() && !web.redirects.isSafe(next.get()) && x.wantsJson()) {
            RefusalLog.offSiteNext(x);
            fail(x, 400, "INVALID_REDIRECT", "next");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ outcomes

    /** A refused input: 400 with {@code field_errors} for JSON, the form again with the message beside its field. */
    void invalid(Exchange x, InvalidInputException e, Form form) {
        Map<String, List<String>> fieldErrors = new LinkedHashMap<>();
        fieldErrors.put(e.field(), List.of(message(x, e)));
        invalid(x, fieldErrors, form);
    }

    void invalid(Exchange x, Map<String, List<String>> fieldErrors, Form form) {
        if (x.wantsJson()) {
            List<String> all = new ArrayList<>();
            fieldErrors.values().forEach(all::addAll);
            web.json(x, 400, Map.of(), all, fieldErrors);
        } else {
            form.show(200, List.of(), fieldErrors);
        }
    }

    /** A rate limit: 429 with {@code Retry-After} (whole seconds), JSON or the form with the message. */
    void rateLimited(Exchange x, Duration retryAfter, Form form) {
        RefusalLog.rateLimited(x);
        long seconds = Math.max(1, retryAfter.toSeconds());
        x.response.header("Retry-After", Long.toString(seconds));
        String message = x.text("TOO_MANY_REQUESTS", Map.of("seconds", seconds));
        if (x.wantsJson()) {
            web.json(x, 429, Map.of(), List.of(message), Map.of());
        } else {
            form.show(429, List.of(message), Map.of());
        }
    }

    /** An error not tied to a form: JSON with {@code status}, browsers an error page. */
    void fail(Exchange x, int status, String messageKey, String field) {
        String message = x.text(messageKey);
        if (x.wantsJson()) {
            web.json(x, status, Map.of(), List.of(message), field == null ? Map.of() : Map.of(field, List.of(message)));
        } else {
            web.errorPage(x, status, message);
        }
    }

    /** A browser's step is done: a notice for the next page, and a redirect there. */
    void done(Exchange x, String category, String message, String location) {
        web.flashes.add(x, category, message);
        web.redirect(x, location);
    }

    /**
     * The text of a flow's refusal in the client's language: the text of its code, filled from its
     * arguments (durations in words). A code without a text (a custom policy's, say) shows the
     * flow's English message.
     */
    String message(Exchange x, InvalidInputException e) {
        if (!web.messages.has(e.code())) {
            return e.getMessage();
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        e.arguments().forEach((name, value) -> parameters.put(name,
                value instanceof Duration d ? DurationTexts.describe(d, web.messages, x.locale()) : value));
        String text = x.text(e.code(), parameters);
        // The strength estimator's own advice ("Repeats like "aaa" are easy to guess."), translated by it.
        String advice = e instanceof PasswordPolicyException refused ? refused.violation().advice(x.locale()) : "";
        return advice.isEmpty() ? text : text + " " + advice;
    }

    // ------------------------------------------------------------------ forms that mail an address something

    /**
     * A form that asks for an email address and has a flow mail it something: a confirmation link,
     * a reset link, a forgotten username.
     *
     * @param page          the template
     * @param action        where the form posts
     * @param genericNotice the message key shown when generic responses are on: it must depend
     *                      neither on the account nor echo the address
     * @param notice        the message key shown otherwise, naming the address as {@code {email}}
     * @param doneUrl       where the browser goes after a successful post
     */
    record AddressForm(String page, String action, String genericNotice, String notice, String doneUrl) {
    }

    /** The form, empty. */
    void showAddressForm(Exchange x, AddressForm form) {
        showAddressForm(x, form, 200, List.of(), Map.of(), "");
    }

    /**
     * Posts an address form: {@code flow} mails the address; invalid input and rate limits show
     * the form again, a JSON client gets an empty 200, a browser the form's notice. The caller has
     * passed the request's checks.
     */
    void sendToAddress(Exchange x, AddressForm form, BiFunction<String, ClientInfo, SendResult> flow) {
        String email = text(x, "email");
        Form again = (status, errors, fieldErrors) -> showAddressForm(x, form, status, errors, fieldErrors, email);
        SendResult result;
        try {
            result = flow.apply(email, x.client());
        } catch (InvalidInputException e) {
            invalid(x, e, again);
            return;
        }
        if (result instanceof RateLimited limited) {
            rateLimited(x, limited.retryAfter(), again);
        } else if (x.wantsJson()) {
            web.json(x, 200, Map.of());
        } else {
            String notice = config.get(RETURN_GENERIC_RESPONSES) ? form.genericNotice()
                    : x.text(form.notice(), Map.of("email", ((SendResult.Sent) result).email()));
            done(x, "info", notice, form.doneUrl());
        }
    }

    private void showAddressForm(Exchange x, AddressForm form, int status, List<String> errors,
            Map<String, List<String>> fieldErrors, String email) {
        Map<String, Object> model = formModel(x, form.action(), errors, fieldErrors);
        model.put("email", email);
        web.page(x, status, form.page(), model);
    }

    /** The model every lifecycle form starts with. */
    Map<String, Object> formModel(Exchange x, String action, List<String> errors, Map<String, List<String>> fieldErrors) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", action);
        model.put("csrf_token", web.csrfToken(x));
        model.put("next", web.safeNext(x).orElse(""));
        model.put("errors", errors);
        model.put("field_errors", fieldErrors);
        return model;
    }

    /** {@code csrf_token} for a JSON client about to post a form. */
    Map<String, Object> csrfBody(Exchange x) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csrf_token", web.csrfToken(x));
        return body;
    }

    /**
     * The JSON body of an authenticated GET: {@code user} (the user payload) and {@code csrf_token},
     * as Flask-Security's {@code base_render_json} answers every view that sets {@code form.user}
     * (a single-page app refreshing its page learns who is signed in from any of them).
     */
    Map<String, Object> signedInBody(Exchange x) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", web.userPayload(x.authentication.orElseThrow().user()));
        body.put("csrf_token", web.csrfToken(x));
        return body;
    }

    /** A configured path with the {@code url-prefix}. */
    String url(String path) {
        return web.url(path);
    }

    /** A text field, trimmed; empty when missing. */
    static String text(Exchange x, String name) {
        return x.fields().text(name).map(String::strip).orElse("");
    }

    /** The path parameter {@code token}, as the adapter passes it: the last path segment. */
    static String token(Exchange x) {
        String path = x.request.path();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
