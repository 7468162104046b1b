package dev.gatehouse.passkeys;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.user.DuplicatePasskeyException;
import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyUsage;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.PageLinks;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flask-Security's WebAuthn endpoints over {@link Passkeys}, for JSON clients: list and register
 * ({@code wan-register-url}), sign in ({@code wan-signin-url}), delete ({@code wan-delete-url}) and
 * re-authenticate ({@code wan-verify-url}). Each ceremony is two posts: the first answers
 * {@code credential_options} (the options as a JSON string, for
 * {@code PublicKeyCredential.parse*OptionsFromJSON}) and {@code wan_state}; the second,
 * to {@code <url>/<wan_state>}, carries {@code credential} (the JSON of
 * {@code PublicKeyCredential.toJSON()}, as a string).
 *
 * <p>Registering needs a fresh session ({@code freshness}); signing in is for anonymous visitors,
 * with the login CSRF token, and refuses disabled and unconfirmed accounts as the login does.
 * Deleting the last way to sign in of an account without a password is refused. Registered with
 * {@code WebOptions.builder().feature(new PasskeysFeature())}; on when {@code webauthn} is.
 *
 * <p>Thread-safe once its routes are built.
 */
public final class PasskeysFeature implements WebFeature {

    private static final Logger LOG = LoggerFactory.getLogger(PasskeysFeature.class);

    private WebToolkit web;
    private Passkeys passkeys;

    /** The feature; its settings come from the Gatehouse configuration. */
    public PasskeysFeature() {
    }

    @Override
    public String name() {
        return "passkeys";
    }

    @Override
    public List<SettingKey<?>> settings() {
        return new PasskeySettings().settings();
    }

    @Override
    public boolean isEnabled(GatehouseConfig config) {
        return config.get(PasskeySettings.WEBAUTHN);
    }

    @Override
    public void links(GatehouseConfig config, PageLinks links) {
        links.path("wan_register", config.get(PasskeySettings.WAN_REGISTER_URL))
                .path("wan_signin", config.get(PasskeySettings.WAN_SIGNIN_URL))
                .path("wan_delete", config.get(PasskeySettings.WAN_DELETE_URL))
                .path("wan_verify", config.get(PasskeySettings.WAN_VERIFY_URL));
    }

    @Override
    public List<WebRoute> routes(WebToolkit toolkit) {
        this.web = toolkit;
        // Checked here, at start: a missing relying party id or origin stops the application, not the first ceremony.
        this.passkeys = Passkeys.create(toolkit.gatehouse());
        GatehouseConfig config = toolkit.config();
        String register = toolkit.url(config.get(PasskeySettings.WAN_REGISTER_URL));
        String signIn = toolkit.url(config.get(PasskeySettings.WAN_SIGNIN_URL));
        String delete = toolkit.url(config.get(PasskeySettings.WAN_DELETE_URL));
        String verify = toolkit.url(config.get(PasskeySettings.WAN_VERIFY_URL));
        return List.of(
                new WebRoute("GET", register, this::list),
                new WebRoute("POST", register, this::startRegistration),
                new WebRoute("POST", register + "/{state}", (rq, rs) -> finishRegistration(rq, rs, register)),
                new WebRoute("POST", signIn, this::startSignIn),
                new WebRoute("POST", signIn + "/{state}", (rq, rs) -> finishSignIn(rq, rs, signIn)),
                new WebRoute("POST", delete, this::delete),
                new WebRoute("POST", verify, this::startVerify),
                new WebRoute("POST", verify + "/{state}", (rq, rs) -> finishVerify(rq, rs, verify)));
    }

    /** The relying party the routes use; present once {@link #routes} ran. */
    public Passkeys passkeys() {
        return passkeys;
    }

    // ================================================================ list, register, delete

    private void list(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated())) {
            return;
        }
        web.json(x, 200, listing(x, x.authentication().orElseThrow().user()));
    }

    private void startRegistration(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION).within(web.config().get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String name = x.field("name").map(String::strip).orElse("");
        Optional<PasskeyUsage> usage = PasskeyUsage.fromCode(x.field("usage").orElse("first"));
        if (usage.isEmpty() || usage.get() != PasskeyUsage.FIRST) {
            // Second-factor passkeys come with two-factor sign-in; until then only first-factor ones are offered.
            fieldError(x, "usage", x.text("WEBAUTHN_BAD_USAGE"));
            return;
        }
        Ceremony ceremony;
        try {
            ceremony = passkeys.startRegistration(user, name, usage.get());
        } catch (InvalidInputException e) {
            fieldError(x, "name", x.text("WEBAUTHN_INVALID_NAME"));
            return;
        } catch (DuplicatePasskeyException e) {
            fieldError(x, "name", x.text("WEBAUTHN_NAME_ALREADY_USED", Map.of("name", name)));
            return;
        }
        web.json(x, 200, ceremonyBody(ceremony));
    }

    private void finishRegistration(WebRequest request, WebResponse response, String base) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION).within(web.config().get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        Passkey passkey;
        try {
            passkey = passkeys.finishRegistration(user, stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            refuse(x, e);
            return;
        } catch (DuplicatePasskeyException e) {
            fieldError(x, "credential", x.text("WEBAUTHN_CREDENTIAL_ALREADY_REGISTERED"));
            return;
        }
        LOG.info("User {} registered a passkey", user.id());
        Map<String, Object> body = listing(x, user);
        body.put("message", x.text("WEBAUTHN_REGISTER_SUCCESSFUL", Map.of("name", passkey.name())));
        web.json(x, 200, body);
    }

    private void delete(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated().within(web.config().get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String name = x.field("name").orElse("");
        List<Passkey> owned = passkeys.store().listForUser(user.id());
        Optional<Passkey> target = owned.stream().filter(p -> p.name().equals(name)).findFirst();
        if (target.isEmpty()) {
            fieldError(x, "name", x.text("WEBAUTHN_NO_MATCHING_CREDENTIAL", Map.of("name", name)));
            return;
        }
        // The account must keep a way in: a password, another first-factor passkey or a linked provider.
        boolean otherWay = user.passwordHash().isPresent()
                || owned.stream().anyMatch(p -> p != target.get() && p.usage() == PasskeyUsage.FIRST)
                || !web.gatehouse().externalIdentities().listForUser(user.id()).isEmpty();
        if (!otherWay) {
            fieldError(x, "name", x.text("WEBAUTHN_LAST_WAY_TO_SIGN_IN"));
            return;
        }
        passkeys.store().delete(user.id(), target.get().credentialId());
        LOG.info("User {} deleted a passkey", user.id());
        Map<String, Object> body = listing(x, user);
        body.put("message", x.text("WEBAUTHN_CREDENTIAL_DELETED", Map.of("name", name)));
        web.json(x, 200, body);
    }

    // ================================================================ sign-in and re-authentication

    private void startSignIn(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        // An unknown identity gets the same answer as a known one without passkeys: no enumeration.
        Optional<User> user = x.field("identity").map(String::strip).filter(s -> !s.isEmpty())
                .flatMap(this::findByIdentity);
        web.json(x, 200, ceremonyBody(passkeys.startSignIn(user)));
    }

    private void finishSignIn(WebRequest request, WebResponse response, String base) {
        Exchange x = web.exchange(request, response);
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        PasskeyAssertion assertion;
        try {
            assertion = passkeys.finishSignIn(stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            refuse(x, e);
            return;
        }
        Gatehouse gatehouse = web.gatehouse();
        Optional<User> found = gatehouse.users().findUserById(assertion.userId());
        if (found.isEmpty()) {
            refuse(x, new PasskeyException("PASSKEY_UNKNOWN_CREDENTIAL", "the passkey's account is gone"));
            return;
        }
        User user = found.get();
        if (!user.isActive()) {
            web.json(x, 400, Map.of(), List.of(x.text("DISABLED_ACCOUNT")), Map.of());
            return;
        }
        GatehouseConfig config = web.config();
        if (config.get(CONFIRMABLE) && !config.get(LOGIN_WITHOUT_CONFIRMATION) && user.confirmedAt().isEmpty()) {
            web.json(x, 400, Map.of(), List.of(x.text("CONFIRMATION_REQUIRED")), Map.of());
            return;
        }
        // A passkey counts as one factor here (Flask-Security lets one with user verification
        // count as two, WAN_ALLOW_AS_MULTI_FACTOR; Gatehouse does not record verification yet):
        // a user with a second factor gets the second step's tf_required answer instead.
        if (!web.login(x, user, x.flag("remember").orElse(false), true)) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", web.safeNext(x).orElse(config.get(POST_LOGIN_VIEW)));
        body.put("csrf_token", web.csrfToken(x));
        web.json(x, 200, body);
    }

    private void startVerify(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        web.json(x, 200, ceremonyBody(passkeys.startVerify(x.authentication().orElseThrow().user())));
    }

    private void finishVerify(WebRequest request, WebResponse response, String base) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        try {
            passkeys.finishVerify(user, stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            refuse(x, e);
            return;
        }
        web.reauthenticated(x, user);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", web.safeNext(x).orElse(web.config().get(POST_LOGIN_VIEW)));
        body.put("csrf_token", web.csrfToken(x));
        web.json(x, 200, body);
    }

    // ================================================================ internals

    private Optional<User> findByIdentity(String identity) {
        var users = web.gatehouse().users();
        return identity.contains("@") ? users.findUserByEmail(identity) : users.findUserByUsername(identity);
    }

    private static String stateOf(WebRequest request, String base) {
        String path = request.path();
        return path.length() > base.length() + 1 ? path.substring(base.length() + 1) : "";
    }

    private Map<String, Object> ceremonyBody(Ceremony ceremony) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credential_options", ceremony.optionsJson());
        body.put("wan_state", ceremony.state());
        return body;
    }

    private Map<String, Object> listing(Exchange x, User user) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Passkey passkey : passkeys.store().listForUser(user.id())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", passkey.name());
            entry.put("credential_id", passkey.credentialId());
            entry.put("transports", List.copyOf(passkey.transports()));
            entry.put("usage", passkey.usage().code());
            entry.put("backup_state", passkey.backedUp());
            entry.put("device_type", passkey.backupEligible() ? "multi_device" : "single_device");
            entry.put("created_at", passkey.createdAt().toString());
            passkey.lastUsedAt().ifPresent(at -> entry.put("lastuse", at.toString()));
            listed.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("registered_credentials", listed);
        body.put("csrf_token", web.csrfToken(x));
        return body;
    }

    private void fieldError(Exchange x, String field, String message) {
        web.json(x, 400, Map.of(), List.of(message), Map.of(field, List.of(message)));
    }

    /** One message for every refusal: which check failed is for the log, not for the client. */
    private void refuse(Exchange x, PasskeyException e) {
        LOG.info("Refused a passkey ceremony: {}", e.code());
        fieldError(x, "credential", x.text("WEBAUTHN_FAILED"));
    }
}
