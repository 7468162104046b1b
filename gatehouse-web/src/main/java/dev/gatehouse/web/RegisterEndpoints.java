package dev.gatehouse.web;

import dev.gatehouse.account.RegisterResult;
import dev.gatehouse.account.Registration;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.user.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flask-Security's {@code /register} without email confirmation: the form (with the
 * application's extra fields) and the JSON endpoint. A new account is signed in at once, as
 * Flask-Security does when confirmation is off.
 *
 * <p>Mounted when {@code registerable} is on and {@code confirmable} off. With {@code confirmable}
 * on, registration needs the confirmation email, which arrives with the account lifecycle flows;
 * until then the endpoint stays unmounted (and a warning says so) rather than create accounts
 * nobody could confirm.
 */
final class RegisterEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterEndpoints.class);

    private final GatehouseWeb web;
    private final SessionEndpoints session;
    private final GatehouseConfig config;
    private final boolean mounted;

    RegisterEndpoints(GatehouseWeb web, SessionEndpoints session) {
        this.web = web;
        this.session = session;
        this.config = web.config;
        this.mounted = config.registerable() && !config.confirmable();
        if (config.registerable() && config.confirmable()) {
            LOG.warn("registerable and confirmable are both on, but registration with email confirmation is not"
                    + " available yet: {} is not mounted", config.registerUrl());
        }
    }

    boolean isMounted() {
        return mounted;
    }

    List<WebRoute> routes() {
        if (!mounted) {
            return List.of();
        }
        String path = web.url(config.registerUrl());
        return List.of(new WebRoute("GET", path, this::registerPage), new WebRoute("POST", path, this::register));
    }

    private void registerPage(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        boolean signedIn = web.authenticate(x, web.defaultMechanisms).isPresent();
        if (x.wantsJson()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("csrf_token", web.csrfToken(x));
            body.put("registration_fields", web.options.registrationFields.stream().map(RegistrationField::name).toList());
            web.json(x, 200, body);
        } else if (signedIn) {
            web.redirect(x, session.safeNext(x).orElse(config.postLoginView()));
        } else {
            showForm(x, Map.of(), Map.of());
        }
    }

    private void register(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(web, request, response);
        RequestFields fields = x.fields();
        if (fields.isMalformed()) {
            web.json(x, 400, Map.of(), List.of(x.text("INVALID_JSON")), Map.of());
            return;
        }
        if (web.authenticate(x, web.defaultMechanisms).isPresent()) {
            if (x.wantsJson()) {
                String message = x.text("ANONYMOUS_USER_REQUIRED");
                web.json(x, 400, Map.of(), List.of(message), Map.of());
            } else {
                web.redirect(x, session.safeNext(x).orElse(config.postLoginView()));
            }
            return;
        }
        if (!session.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        Optional<String> next = SessionEndpoints.nextParameter(x);
        if (next.isPresent() && !next.get().isEmpty() && !web.redirects.isSafe(next.get()) && x.wantsJson()) {
            String message = x.text("INVALID_REDIRECT");
            web.json(x, 400, Map.of(), List.of(message), Map.of("next", List.of(message)));
            return;
        }

        String email = fields.text("email").orElse("").strip();
        String password = fields.text("password").orElse("");
        Optional<String> confirm = fields.text("password_confirm");
        Optional<String> username = config.usernameEnable() ? fields.text("username").map(String::strip) : Optional.empty();
        Map<String, List<String>> errors = new LinkedHashMap<>();

        RegistrationForm.Result extra = RegistrationForm.validate(web.options.registrationFields, fields::text);
        // A validator's problem is a message key or a text; an unknown key comes back as itself.
        extra.fieldErrors().forEach((field, problem) -> add(errors, field, x.text(problem.message(), problem.parameters())));
        // Forms ask for the password twice; JSON clients may, and are then held to it too.
        boolean formPost = !fields.isJson();
        if ((formPost || confirm.isPresent()) && !password.isEmpty() && !confirm.orElse("").equals(password)) {
            add(errors, "password_confirm", x.text("RETYPE_PASSWORD_MISMATCH"));
        }
        Registration registration = new Registration(email, username.filter(u -> !u.isEmpty()), password,
                extra.values(), web.options.registrationRoles);
        // With the form's own errors, only check (to show every problem at once); else register,
        // which checks too: the password policy, possibly a network call, runs once either way.
        List<RegisterResult.Problem> problems;
        User user = null;
        if (!errors.isEmpty()) {
            problems = web.gatehouse.register().check(registration);
        } else {
            RegisterResult result = web.gatehouse.register().register(registration);
            problems = result instanceof RegisterResult.Refused refused ? refused.problems() : List.of();
            user = result instanceof RegisterResult.Registered registered ? registered.user() : null;
        }
        for (RegisterResult.Problem problem : problems) {
            add(errors, problem.field(), x.text(problem.code(), Map.of("email", email, "username", username.orElse(""),
                    "length", problem.code().equals("PASSWORD_TOO_LONG") ? config.passwordLengthMax() : config.passwordLengthMin())));
        }
        if (user == null) {
            List<String> all = new ArrayList<>();
            errors.values().forEach(all::addAll);
            if (x.wantsJson()) {
                web.json(x, 400, Map.of(), all, errors);
            } else {
                showForm(x, errors, fields.isJson() ? Map.of() : echo(fields));
            }
            return;
        }
        web.login(x.request, x.response, user, false, Optional.empty(), true);
        if (x.wantsJson()) {
            web.json(x, 200, session.authenticatedBody(x, x.authentication.orElseThrow().user()));
        } else {
            web.flashes.add(x, "success", "REGISTERED");
            web.redirect(x, session.safeNext(x).orElse(config.postLoginView()));
        }
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
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

    private void showForm(Exchange x, Map<String, List<String>> fieldErrors, Map<String, String> values) {
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
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("action", web.url(config.registerUrl()));
        model.put("csrf_token", web.csrfToken(x));
        model.put("next", session.safeNext(x).orElse(""));
        model.put("errors", List.of());
        model.put("field_errors", fieldErrors);
        model.put("email", values.getOrDefault("email", ""));
        model.put("username", values.getOrDefault("username", ""));
        model.put("username_enable", config.usernameEnable());
        model.put("password_length_min", config.passwordLengthMin());
        model.put("password_length_max", config.passwordLengthMax());
        model.put("extra_fields", extraFields);
        web.page(x, 200, "register", model);
    }
}
