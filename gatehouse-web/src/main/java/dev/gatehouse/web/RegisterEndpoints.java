package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MAX;
import static dev.gatehouse.config.Settings.PASSWORD_LENGTH_MIN;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.REGISTER_URL;
import static dev.gatehouse.config.Settings.USERNAME_ENABLE;
import static dev.gatehouse.config.Settings.USERNAME_REQUIRED;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.lifecycle.RateLimited;
import dev.gatehouse.lifecycle.RegisterResult;
import dev.gatehouse.lifecycle.Registration;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flask-Security's {@code /register} over the account lifecycle's registration flow: the form (with
 * the application's extra fields) and the JSON endpoint. Mounted with {@code registerable}.
 *
 * <p>What the visitor sees follows the flow's result: with generic responses (the default) the
 * same answer whether or not the address had an account, and nobody signed in; without them a
 * new account is signed in at once unless it must confirm its address first. The application's
 * extra fields are checked here, before the flow runs, and reported together; the flow then
 * reports the first problem it finds with the rest.
 */
final class RegisterEndpoints extends FlowEndpoints {

    RegisterEndpoints(WebToolkit web) {
        super(web);
    }


    @Override
    List<WebRoute> endpoints() {
        String path = url(config.get(REGISTER_URL));
        return List.of(new WebRoute("GET", path, this::registerPage), new WebRoute("POST", path, this::register));
    }

    private void registerPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        boolean signedIn = web.authenticate(x, web.defaultMechanisms).isPresent();
        if (x.wantsJson()) {
            Map<String, Object> body = csrfBody(x);
            body.put("registration_fields", web.options.registrationFields.stream().map(RegistrationField::name).toList());
            web.json(x, 200, body);
        } else if (signedIn) {
            web.redirect(x, web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        } else {
            showForm(x, 200, List.of(), Map.of(), Map.of());
        }
    }

    private void register(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        if (!wellFormed(x) || !anonymous(x) || !anonymousCsrf(x) || !nextAllowed(x)) {
            return;
        }
        RequestFields fields = x.fields();
        Map<String, String> values = fields.isJson() ? Map.of() : echo(fields);
        Form form = (status, errors, fieldErrors) -> showForm(x, status, errors, fieldErrors, values);

        String email = fields.text("email").orElse("");
        RegistrationForm.Result extra = RegistrationForm.validate(web.options.registrationFields, fields::text);
        if (!extra.isValid()) {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            try {
                Identifiers.checkEmail(email);
            } catch (InvalidInputException e) {
                errors.put(e.field(), List.of(message(x, e)));
            }
            // A validator's problem is a message key or a text; an unknown key comes back as itself.
            extra.fieldErrors().forEach((field, problem) ->
                    errors.put(field, List.of(x.text(problem.message(), problem.parameters()))));
            invalid(x, errors, form);
            return;
        }
        Registration.Builder registration = Registration.builder(email, fields.text("password").orElse(""))
                .attributes(extra.values())
                .roles(web.options.registrationRoles);
        if (config.get(USERNAME_ENABLE)) {
            fields.text("username").map(String::strip).filter(u -> !u.isEmpty()).ifPresent(registration::username);
        }
        // Forms ask for the password twice; JSON clients may, and are then held to it.
        if (!fields.isJson() || fields.has("password_confirm")) {
            registration.passwordConfirm(fields.text("password_confirm").orElse(""));
        }
        RegisterResult result;
        try {
            result = web.gatehouse.registration().register(registration.build(), x.client());
        } catch (InvalidInputException e) {
            invalid(x, e, form);
            return;
        }
        if (result instanceof RateLimited limited) {
            rateLimited(x, limited.retryAfter(), form);
        } else if (result instanceof RegisterResult.SignedUp signedUp) {
            if (!web.firstFactor(x, signedUp.user(), false, "register")) {
                return;
            }
            if (x.wantsJson()) {
                web.json(x, 200, web.authenticatedBody(x, x.authentication.orElseThrow().user()));
            } else {
                done(x, "success", "REGISTERED", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
            }
        } else if (result instanceof RegisterResult.ConfirmationSent sent) {
            if (x.wantsJson()) {
                web.json(x, 200, Map.of("user", web.userPayload(sent.user())));
            } else {
                done(x, "info", x.text("CONFIRM_REGISTRATION", Map.of("email", sent.user().email())), loginPage(x));
            }
        } else {
            // Generic: the same answer for a new and a taken address, and nobody signed in.
            RegisterResult.Accepted accepted = (RegisterResult.Accepted) result;
            if (x.wantsJson()) {
                web.json(x, 200, Map.of());
            } else {
                done(x, "info", accepted.confirmationRequired() ? "REGISTERED_CHECK_EMAIL" : "REGISTERED_SIGN_IN",
                        loginPage(x));
            }
        }
    }

    /** The sign-in page, keeping a safe {@code next}. */
    private String loginPage(Exchange x) {
        String login = url(config.get(LOGIN_URL));
        return web.safeNext(x).map(next -> login + "?next=" + java.net.URLEncoder.encode(next,
                java.nio.charset.StandardCharsets.UTF_8)).orElse(login);
    }

    /** The submitted values to show again, passwords excepted. */
    private Map<String, String> echo(RequestFields fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.text("email").ifPresent(v -> values.put("email", v));
        fields.text("username").ifPresent(v -> values.put("username", v));
        for (RegistrationField field : web.options.registrationFields) {
            fields.text(field.name()).ifPresent(v -> values.put(field.name(), v));
        }
        return values;
    }

    private void showForm(Exchange x, int status, List<String> errors, Map<String, List<String>> fieldErrors,
            Map<String, String> values) {
        PageTexts texts = new PageTexts(web.messages, x.locale());
        List<Map<String, Object>> extraFields = new ArrayList<>();
        for (RegistrationField field : web.options.registrationFields) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", field.name());
            f.put("label", texts.resolve(field.label()));
            f.put("type", field.type().html());
            f.put("required", field.required());
            f.put("max_length", field.maxLength());
            f.put("autocomplete", field.autocomplete().orElse(""));
            f.put("value", values.getOrDefault(field.name(), ""));
            f.put("errors", fieldErrors.getOrDefault(field.name(), List.of()));
            extraFields.add(f);
        }
        Map<String, Object> model = formModel(x, url(config.get(REGISTER_URL)), errors, fieldErrors);
        model.put("email", values.getOrDefault("email", ""));
        model.put("username", values.getOrDefault("username", ""));
        model.put("username_enable", config.get(USERNAME_ENABLE));
        model.put("username_required", config.get(USERNAME_REQUIRED));
        model.put("password_length_min", config.get(PASSWORD_LENGTH_MIN));
        model.put("password_length_max", config.get(PASSWORD_LENGTH_MAX));
        model.put("extra_fields", extraFields);
        web.page(x, status, "register", model);
    }
}
