package dev.gatehouse.passkeys;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.FRESHNESS;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.LimitedAction;
import dev.gatehouse.limit.RateLimiter;
import dev.gatehouse.mail.MailTemplates;
import dev.gatehouse.mail.Notification;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.twofactor.TwoFactorSettings;
import dev.gatehouse.user.DuplicatePasskeyException;
import dev.gatehouse.user.Passkey;
import dev.gatehouse.user.PasskeyUsage;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.PageLinks;
import dev.gatehouse.web.PageScript;
import dev.gatehouse.web.SecondStepMethod;
import dev.gatehouse.web.WebFeature;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Deleting the last way to sign in of an account without a password is refused. Renaming
 * ({@code wan-rename-url}) is Gatehouse's own. Registered with
 * {@code WebOptions.builder().feature(new PasskeysFeature())}; on when {@code webauthn} is.
 *
 * <p>Browsers get pages: the list with forms to add, rename and delete ({@code GET wan-register-url}),
 * a "sign in with a passkey" button on the login page and the re-authentication page
 * ({@code GET wan-verify-url}). Their script, {@code gatehouse-passkeys.js}, asks for the options
 * as JSON and posts the browser's credential back as a form, whose answer is a redirect with a
 * flash message, as Flask-Security's pages do. Registration and deletion email a notice and
 * publish {@link AccountEvent}s; a refused sign-in counts like a wrong password, per client
 * address and towards the owner of the passkey it presented ({@code rate-limit-login-failed}).
 *
 * <p>Thread-safe once its routes are built.
 */
public final class PasskeysFeature implements WebFeature {

    private static final Logger LOG = LoggerFactory.getLogger(PasskeysFeature.class);
    /** The script of the passkey pages and of the login page's passkey button. */
    static final String SCRIPT = "dev/gatehouse/passkeys/static/gatehouse-passkeys.js";
    static final String REGISTER_PAGE = "gatehouse/wan_register";
    static final String VERIFY_PAGE = "gatehouse/wan_verify";
    static final String SIGNIN_PAGE = "gatehouse/wan_signin";
    /** Flask-Security's {@code tf_method} for a second-factor passkey. */
    static final String METHOD = "webauthn";
    private static final DateTimeFormatter PAGE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

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
        links.path("wan_register", config.get(PasskeySettings.WAN_REGISTER_URL));
        if (config.get(PasskeySettings.WAN_ALLOW_AS_FIRST_FACTOR)) {
            // The login page's "sign in with a passkey" button shows when this link is there.
            links.path("wan_signin", config.get(PasskeySettings.WAN_SIGNIN_URL));
        }
        links.path("wan_delete", config.get(PasskeySettings.WAN_DELETE_URL))
                .path("wan_rename", config.get(PasskeySettings.WAN_RENAME_URL))
                .path("wan_verify", config.get(PasskeySettings.WAN_VERIFY_URL));
    }

    @Override
    public List<PageScript> scripts(GatehouseConfig config) {
        return List.of(new PageScript(SCRIPT, Set.of("gatehouse/login", REGISTER_PAGE, VERIFY_PAGE, SIGNIN_PAGE)));
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
        String rename = toolkit.url(config.get(PasskeySettings.WAN_RENAME_URL));
        return List.of(
                new WebRoute("GET", register, this::list),
                new WebRoute("POST", rename, this::rename),
                new WebRoute("GET", rename, this::backToList),
                new WebRoute("GET", delete, this::backToList),
                new WebRoute("GET", verify, this::verifyPage),
                new WebRoute("POST", register, this::startRegistration),
                new WebRoute("POST", register + "/{state}", (rq, rs) -> finishRegistration(rq, rs, register)),
                new WebRoute("GET", signIn, this::signInPage),
                new WebRoute("POST", signIn, this::startSignIn),
                new WebRoute("POST", signIn + "/{state}", (rq, rs) -> finishSignIn(rq, rs, signIn)),
                new WebRoute("POST", delete, this::delete),
                new WebRoute("POST", verify, this::startVerify),
                new WebRoute("POST", verify + "/{state}", (rq, rs) -> finishVerify(rq, rs, verify)));
    }

    /**
     * Second-factor passkeys (usage {@code secondary}, Flask-Security's {@code tf_method}
     * {@code webauthn}): their owners get the second step after a first factor, done at
     * {@code wan-signin-url}.
     */
    @Override
    public Optional<SecondStepMethod> secondStep(WebToolkit toolkit) {
        return Optional.of(new SecondStepMethod(METHOD, "TF_METHOD_WEBAUTHN",
                toolkit.url(toolkit.config().get(PasskeySettings.WAN_SIGNIN_URL)), passkeys::hasSecondFactor));
    }

    /** The relying party the routes use; present once {@link #routes} ran. */
    public Passkeys passkeys() {
        return passkeys;
    }

    // ================================================================ list, register, rename, delete

    private void list(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        // A browser is asked to re-authenticate first: every form on the page needs a fresh session.
        AccessRule rule = x.wantsJson() ? AccessRule.authenticated() : AccessRule.authenticated().within(web.config().get(FRESHNESS));
        if (!web.enforce(x, rule)) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        if (x.wantsJson()) {
            web.json(x, 200, listing(x, user));
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Passkey passkey : passkeys.store().listForUser(user.id())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", passkey.name());
            row.put("created_at", PAGE_TIME.format(passkey.createdAt()));
            row.put("last_used_at", passkey.lastUsedAt().map(PAGE_TIME::format).orElse(""));
            row.put("backed_up", passkey.backedUp());
            rows.add(row);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("passkeys", rows);
        model.put("name_max_length", 64);
        List<Map<String, String>> usages = new ArrayList<>();
        if (firstFactorAllowed()) {
            usages.add(Map.of("value", PasskeyUsage.FIRST.code(), "label", "LABEL_WAN_USAGE_FIRST"));
        }
        usages.add(Map.of("value", PasskeyUsage.SECONDARY.code(), "label", "LABEL_WAN_USAGE_SECONDARY"));
        model.put("usages", usages);
        web.render(x, 200, REGISTER_PAGE, model);
    }

    /**
     * A browser whose session went stale while the list was open re-authenticates with
     * {@code next} set to the form's path (rename, delete); afterwards it lands here and goes back to the list.
     */
    private void backToList(WebRequest request, WebResponse response) {
        web.redirect(web.exchange(request, response), registerUrl());
    }

    private void startRegistration(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION).within(web.config().get(FRESHNESS)))) {
            return;
        }
        if (!x.wantsJson()) {
            needsJavaScript(x, registerUrl());
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String name = x.field("name").map(String::strip).orElse("");
        Optional<PasskeyUsage> usage = PasskeyUsage.fromCode(x.field("usage").orElse("first"));
        if (usage.isEmpty()) {
            fieldError(x, "usage", x.text("WEBAUTHN_BAD_USAGE"));
            return;
        }
        if (!firstFactorAllowed()) {
            // As Flask-Security: with wan-allow-as-first-factor off every passkey is a second factor.
            usage = Optional.of(PasskeyUsage.SECONDARY);
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
        boolean hadSecondFactor = web.secondFactors().isEnabledFor(user);
        Passkey passkey;
        try {
            passkey = passkeys.finishRegistration(user, stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            LOG.info("Refused a passkey registration: {}", e.code());
            publish(new AccountEvent.PasskeyRegistrationFailed(context(x, user.id()), e.code()));
            fail(x, "credential", x.text("WEBAUTHN_FAILED"), registerUrl());
            return;
        } catch (DuplicatePasskeyException e) {
            fail(x, "credential", x.text("WEBAUTHN_CREDENTIAL_ALREADY_REGISTERED"), registerUrl());
            return;
        }
        LOG.info("User {} registered a passkey", user.id());
        notice(x, user, MailTemplates.PASSKEY_REGISTERED, Map.of("name", passkey.name()));
        publish(new AccountEvent.PasskeyRegistered(context(x, user.id()), passkey.name()));
        if (!hadSecondFactor && passkey.usage() == PasskeyUsage.SECONDARY) {
            // Two-factor is on for this user now; the passkey_registered notice told them.
            publish(new AccountEvent.SecondFactorChanged(context(x, user.id()), Optional.of(METHOD), true));
        }
        done(x, user, x.text("WEBAUTHN_REGISTER_SUCCESSFUL", Map.of("name", passkey.name())));
    }

    private void rename(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated().within(web.config().get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String name = x.field("name").orElse("");
        String newName = x.field("new_name").map(String::strip).orElse("");
        Optional<Passkey> target = named(x, passkeys.store().listForUser(user.id()), name);
        if (target.isEmpty()) {
            return;
        }
        if (!Passkey.isWellFormedName(newName)) {
            fail(x, "new_name", x.text("WEBAUTHN_INVALID_NAME"), registerUrl());
            return;
        }
        try {
            passkeys.store().rename(user.id(), target.get().credentialId(), newName);
        } catch (DuplicatePasskeyException e) {
            fail(x, "new_name", x.text("WEBAUTHN_NAME_ALREADY_USED", Map.of("name", newName)), registerUrl());
            return;
        }
        publish(new AccountEvent.PasskeyRenamed(context(x, user.id()), name, newName));
        done(x, user, x.text("WEBAUTHN_RENAMED", Map.of("name", name, "new_name", newName)));
    }

    private void delete(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated().within(web.config().get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String name = x.field("name").orElse("");
        List<Passkey> owned = passkeys.store().listForUser(user.id());
        Optional<Passkey> target = named(x, owned, name);
        if (target.isEmpty()) {
            return;
        }
        // The account must keep a way in: a password, another first-factor passkey or a linked provider.
        boolean otherWay = user.passwordHash().isPresent()
                || owned.stream().anyMatch(p -> p != target.get() && p.usage() == PasskeyUsage.FIRST)
                || !web.gatehouse().externalIdentities().listForUser(user.id()).isEmpty();
        if (!otherWay) {
            fail(x, "name", x.text("WEBAUTHN_LAST_WAY_TO_SIGN_IN"), registerUrl());
            return;
        }
        // Removing the only second factor turns two-factor off: like tf-setup's disable it needs a
        // fresh session (above) and mails a notice, and it is refused where a second factor is required.
        boolean lastSecondFactor = target.get().usage() == PasskeyUsage.SECONDARY
                && owned.stream().noneMatch(p -> p != target.get() && p.usage() == PasskeyUsage.SECONDARY)
                && !web.gatehouse().secondFactors().isEnabledFor(user);
        if (lastSecondFactor && web.gatehouse().twoFactor().isRequiredFor(user)) {
            fail(x, "name", x.text("WEBAUTHN_LAST_SECOND_FACTOR"), registerUrl());
            return;
        }
        if (passkeys.store().delete(user.id(), target.get().credentialId())) {
            LOG.info("User {} deleted a passkey", user.id());
            notice(x, user, MailTemplates.PASSKEY_DELETED, Map.of("name", name));
            publish(new AccountEvent.PasskeyDeleted(context(x, user.id()), name));
            if (lastSecondFactor) {
                LOG.info("User {} deleted their last second-factor passkey: two-factor is off", user.id());
                notice(x, user, MailTemplates.TWO_FACTOR_CHANGED, Map.of());
                publish(new AccountEvent.SecondFactorChanged(context(x, user.id()), Optional.empty(), false));
            }
        }
        done(x, user, x.text("WEBAUTHN_CREDENTIAL_DELETED", Map.of("name", name)));
    }

    // ================================================================ sign-in and re-authentication

    /**
     * {@code GET wan-signin-url}: the page of the second step of a pending sign-in (Flask-Security's
     * {@code wan_signin.html} with {@code is_secondary}), or of a first-factor passkey sign-in.
     */
    private void signInPage(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        Optional<User> pending = web.pendingSignIn(x);
        if (pending.isEmpty() && !firstFactorAllowed()) {
            notFound(x);
            return;
        }
        if (x.wantsJson()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("is_secondary", pending.isPresent());
            body.put("csrf_token", web.csrfToken(x));
            web.json(x, 200, body);
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("is_secondary", pending.isPresent());
        model.put("action", signInUrl());
        model.put("next", pending.isPresent() ? "" : web.safeNext(x).orElse(""));
        model.put("select_url", pending.isPresent() && web.config().get(TwoFactorSettings.TWO_FACTOR)
                ? web.url(web.config().get(TwoFactorSettings.TWO_FACTOR_SELECT_URL)) : "");
        web.render(x, 200, SIGNIN_PAGE, model);
    }

    private void startSignIn(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        // With a pending sign-in this is its second step (Flask-Security's is_secondary): that user's
        // second-factor passkeys only, whatever identity the request names.
        Optional<User> pending = web.pendingSignIn(x);
        if (pending.isEmpty() && !firstFactorAllowed()) {
            notFound(x);
            return;
        }
        if (!x.wantsJson()) {
            needsJavaScript(x, pending.isPresent() ? signInUrl() : withNext(x, web.url(web.config().get(LOGIN_URL))));
            return;
        }
        Ceremony ceremony;
        if (pending.isPresent()) {
            ceremony = passkeys.startSecondFactor(pending.get());
        } else {
            // An unknown identity gets the same answer as a known one without passkeys: no enumeration.
            Optional<User> user = web.config().get(PasskeySettings.WAN_ALLOW_USER_HINTS)
                    ? x.field("identity").map(String::strip).filter(s -> !s.isEmpty()).flatMap(this::findByIdentity)
                    : Optional.empty();
            ceremony = passkeys.startSignIn(user);
        }
        Map<String, Object> body = ceremonyBody(ceremony);
        body.put("is_secondary", pending.isPresent());
        web.json(x, 200, body);
    }

    /**
     * The second step of a pending sign-in with a second-factor passkey of its user: counted like
     * a password sign-in, refused for any other user's passkey, and on success the pending sign-in
     * becomes the session.
     */
    private void finishSecondFactor(Exchange x, User user, String state) {
        String back = signInUrl();
        RateLimiter limits = web.gatehouse().rateLimits();
        ClientInfo client = x.client();
        Optional<String> key = Optional.of(RateLimiter.userKey(user.id()));
        Optional<Duration> wait = limits.hit(LimitedAction.LOGIN, client, Optional.empty())
                .or(() -> limits.check(LimitedAction.LOGIN_FAILED, client, key));
        if (wait.isPresent()) {
            publish(new AccountEvent.AuthenticationFailed(EventContext.of(now(), user.id(), client), "RATE_LIMITED"));
            tooMany(x, wait.get(), back);
            return;
        }
        try {
            passkeys.finishSecondFactor(user, state, x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            limits.hit(LimitedAction.LOGIN_FAILED, client, key);
            publish(new AccountEvent.AuthenticationFailed(EventContext.of(now(), user.id(), client), e.code()));
            refuse(x, e, back);
            return;
        }
        limits.clear(LimitedAction.LOGIN_FAILED, key.get());
        LOG.info("User {} passed the second step with a passkey", user.id());
        web.completePendingSignIn(x, user);
    }

    private void finishSignIn(WebRequest request, WebResponse response, String base) {
        Exchange x = web.exchange(request, response);
        if (!web.loginCsrfPasses(x)) {
            web.csrfFailure(x);
            return;
        }
        Optional<User> pending = web.pendingSignIn(x);
        if (pending.isPresent()) {
            finishSecondFactor(x, pending.get(), stateOf(request, base));
            return;
        }
        if (!firstFactorAllowed()) {
            notFound(x);
            return;
        }
        String back = withNext(x, web.url(web.config().get(LOGIN_URL)));
        RateLimiter limits = web.gatehouse().rateLimits();
        ClientInfo client = x.client();
        // Counted like a password sign-in: every attempt, and the client's failures before any work.
        Optional<Duration> wait = limits.hit(LimitedAction.LOGIN, client, Optional.empty())
                .or(() -> limits.check(LimitedAction.LOGIN_FAILED, client, Optional.empty()));
        if (wait.isPresent()) {
            publish(new AccountEvent.AuthenticationFailed(EventContext.anonymous(now(), client), "RATE_LIMITED"));
            tooMany(x, wait.get(), back);
            return;
        }
        PasskeyAssertion assertion;
        try {
            assertion = passkeys.finishSignIn(stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            Optional<String> ownerKey = e.owner().map(RateLimiter::userKey);
            limits.hit(LimitedAction.LOGIN_FAILED, client, ownerKey);
            publish(new AccountEvent.AuthenticationFailed(new EventContext(now(), e.owner(), client), e.code()));
            refuse(x, e, back);
            return;
        }
        String ownerKey = RateLimiter.userKey(assertion.userId());
        Optional<Duration> ownerWait = limits.check(LimitedAction.LOGIN_FAILED, client, Optional.of(ownerKey));
        if (ownerWait.isPresent()) {
            // The account is over its failure limit: even its right passkey waits, as its right password does.
            publish(new AccountEvent.AuthenticationFailed(EventContext.of(now(), assertion.userId(), client), "RATE_LIMITED"));
            tooMany(x, ownerWait.get(), back);
            return;
        }
        Gatehouse gatehouse = web.gatehouse();
        Optional<User> found = gatehouse.users().findUserById(assertion.userId());
        if (found.isEmpty()) {
            refuse(x, new PasskeyException("PASSKEY_UNKNOWN_CREDENTIAL", "the passkey's account is gone"), back);
            return;
        }
        User user = found.get();
        if (!user.isActive()) {
            fail(x, "credential", x.text("DISABLED_ACCOUNT"), back);
            return;
        }
        GatehouseConfig config = web.config();
        if (config.get(CONFIRMABLE) && !config.get(LOGIN_WITHOUT_CONFIRMATION) && user.confirmedAt().isEmpty()) {
            fail(x, "credential", x.text("CONFIRMATION_REQUIRED"), back);
            return;
        }
        limits.clear(LimitedAction.LOGIN_FAILED, ownerKey);
        boolean remember = x.flag("remember").orElse(false);
        if (assertion.userVerified() && config.get(PasskeySettings.WAN_ALLOW_AS_MULTI_FACTOR)) {
            // Something the user has (the authenticator) and is or knows (its user verification):
            // two factors at once, so no second step (Flask-Security's WAN_ALLOW_AS_MULTI_FACTOR).
            web.loginMultiFactor(x, user, remember);
        } else if (!web.login(x, user, remember, true)) {
            // One factor only: a user with a second factor got the second step's tf_required answer.
            return;
        }
        proceed(x);
    }

    private void verifyPage(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("next", web.safeNext(x).orElse(""));
        web.render(x, 200, VERIFY_PAGE, model);
    }

    private void startVerify(WebRequest request, WebResponse response) {
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        if (!x.wantsJson()) {
            needsJavaScript(x, withNext(x, verifyUrl()));
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
        String back = withNext(x, verifyUrl());
        RateLimiter limits = web.gatehouse().rateLimits();
        ClientInfo client = x.client();
        Optional<String> key = Optional.of(RateLimiter.userKey(user.id()));
        // As the password's re-authentication: a session buys no extra guesses.
        Optional<Duration> wait = limits.hit(LimitedAction.LOGIN, client, key)
                .or(() -> limits.check(LimitedAction.LOGIN_FAILED, client, key));
        if (wait.isPresent()) {
            publish(new AccountEvent.AuthenticationFailed(EventContext.of(now(), user.id(), client), "RATE_LIMITED"));
            tooMany(x, wait.get(), back);
            return;
        }
        try {
            passkeys.finishVerify(user, stateOf(request, base), x.field("credential").orElse(""));
        } catch (PasskeyException e) {
            limits.hit(LimitedAction.LOGIN_FAILED, client, key);
            publish(new AccountEvent.AuthenticationFailed(EventContext.of(now(), user.id(), client), e.code()));
            refuse(x, e, back);
            return;
        }
        limits.clear(LimitedAction.LOGIN_FAILED, key.get());
        web.reauthenticated(x, user);
        proceed(x);
    }

    // ================================================================ internals

    private Optional<User> findByIdentity(String identity) {
        var users = web.gatehouse().users();
        return identity.contains("@") ? users.findUserByEmail(identity) : users.findUserByUsername(identity);
    }

    /** The user's passkey of this name; if there is none, answers so and is empty. */
    private Optional<Passkey> named(Exchange x, List<Passkey> owned, String name) {
        Optional<Passkey> found = owned.stream().filter(p -> p.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            fail(x, "name", x.text("WEBAUTHN_NO_MATCHING_CREDENTIAL", Map.of("name", name)), registerUrl());
        }
        return found;
    }

    private static String stateOf(WebRequest request, String base) {
        String path = request.path();
        return path.length() > base.length() + 1 ? path.substring(base.length() + 1) : "";
    }

    private boolean firstFactorAllowed() {
        return web.config().get(PasskeySettings.WAN_ALLOW_AS_FIRST_FACTOR);
    }

    private String signInUrl() {
        return web.url(web.config().get(PasskeySettings.WAN_SIGNIN_URL));
    }

    /** A passkey sign-in while they may not sign in on their own (wan-allow-as-first-factor off): Flask-Security's 404. */
    private void notFound(Exchange x) {
        if (x.wantsJson()) {
            web.json(x, 404, Map.of(), List.of(x.text("NOT_FOUND")), Map.of());
        } else {
            web.render(x, 404, "gatehouse/error", Map.of("status", 404, "message", x.text("NOT_FOUND")));
        }
    }

    private String registerUrl() {
        return web.url(web.config().get(PasskeySettings.WAN_REGISTER_URL));
    }

    private String verifyUrl() {
        return web.url(web.config().get(PasskeySettings.WAN_VERIFY_URL));
    }

    /** {@code url} with the request's {@code next}, if it is a safe one, so a page sent back to keeps it. */
    private String withNext(Exchange x, String url) {
        return web.safeNext(x).map(next -> url + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)).orElse(url);
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

    /**
     * A sign-in or re-authentication went through: on to the safe {@code next} or
     * {@code post-login-view}, as a redirect or as {@code location} with the new CSRF token.
     */
    private void proceed(Exchange x) {
        String location = web.safeNext(x).orElse(web.config().get(POST_LOGIN_VIEW));
        if (!x.wantsJson()) {
            web.redirect(x, location);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location", location);
        body.put("csrf_token", web.csrfToken(x));
        web.json(x, 200, body);
    }

    /** A change to the user's passkeys went through: the list and the message, or back to the page with it. */
    private void done(Exchange x, User user, String message) {
        if (x.wantsJson()) {
            Map<String, Object> body = listing(x, user);
            body.put("message", message);
            web.json(x, 200, body);
        } else {
            web.flash(x, "success", message);
            web.redirect(x, registerUrl());
        }
    }

    /** A refusal: a field error for JSON, a flash message on the page {@code back} for browsers. */
    private void fail(Exchange x, String field, String message, String back) {
        if (x.wantsJson()) {
            fieldError(x, field, message);
        } else {
            web.flash(x, "error", message);
            web.redirect(x, back);
        }
    }

    private void fieldError(Exchange x, String field, String message) {
        web.json(x, 400, Map.of(), List.of(message), Map.of(field, List.of(message)));
    }

    /** One message for every refusal: which check failed is for the log, not for the client. */
    private void refuse(Exchange x, PasskeyException e, String back) {
        LOG.info("Refused a passkey ceremony: {}", e.code());
        fail(x, "credential", x.text("WEBAUTHN_FAILED"), back);
    }

    private void tooMany(Exchange x, Duration wait, String back) {
        long seconds = Math.max(1, wait.toSeconds());
        x.response().header("Retry-After", Long.toString(seconds));
        String message = x.text("TOO_MANY_REQUESTS", Map.of("seconds", seconds));
        if (x.wantsJson()) {
            web.json(x, 429, Map.of(), List.of(message), Map.of());
        } else {
            web.flash(x, "error", message);
            web.redirect(x, back);
        }
    }

    /** A form posted without the script (JavaScript off): passkeys cannot work, say so on the page. */
    private void needsJavaScript(Exchange x, String back) {
        web.flash(x, "error", x.text("WEBAUTHN_NEEDS_JAVASCRIPT"));
        web.redirect(x, back);
    }

    /** Emails the owner that a passkey was added or removed, so an intruder's change does not go unseen. */
    private void notice(Exchange x, User user, String template, Map<String, String> extra) {
        Map<String, String> model = new LinkedHashMap<>(extra);
        model.put("email", user.email());
        web.gatehouse().outbox().enqueue(new Notification(template, user.email(),
                Notification.localeFor(Optional.of(user), x.client()), model));
    }

    private void publish(AccountEvent event) {
        web.gatehouse().events().publish(event);
    }

    private EventContext context(Exchange x, long userId) {
        return EventContext.of(now(), userId, x.client());
    }

    private Instant now() {
        return web.gatehouse().clock().instant();
    }
}
