package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.DEFAULT_LOCALE;
import static dev.gatehouse.config.Settings.MESSAGES_FILE;
import static dev.gatehouse.config.Settings.REDIRECT_ALLOWED_HOSTS;
import static dev.gatehouse.config.Settings.SUPPORTED_LOCALES;
import static dev.gatehouse.config.Settings.TEMPLATES_FOLDER;
import static dev.gatehouse.config.Settings.URL_PREFIX;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.OptionalSetting;
import dev.gatehouse.config.Setting;
import dev.gatehouse.config.SettingKey;
import dev.gatehouse.config.Settings;
import dev.gatehouse.mail.MailComposer;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Identity;
import dev.gatehouse.user.User;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Gatehouse's HTTP protocol, written once for every web framework: authenticating requests,
 * enforcing {@link AccessRule}s, CSRF protection, cookies, and the endpoints of Flask-Security's
 * JSON API (login, logout, verify, refresh-token, and the account lifecycle's: register, confirm,
 * reset, change password, email and username, username recovery, passwordless sign-in, unlock) and
 * their HTML pages; the emails' templates and their delivery ({@link #background()}). A framework
 * adapter wraps its request and response in {@link WebRequest}/{@link WebResponse}, mounts
 * {@link #routes()}, and calls {@link #enforce} before each protected handler. Applications may
 * render their own pages through Gatehouse's renderer ({@link #render}), with the same layout,
 * texts and flash messages ({@link #flash}).
 *
 * <p>A facade over three layers: the {@link WebToolkit} at the bottom (request context,
 * authentication by the ordered {@link AuthenticationMechanism}s, CSRF, replies and pages), the
 * {@link WebFeature}s above it — Gatehouse's own endpoint groups and the modules' — each of which
 * gets the toolkit and contributes its routes and page links, and this class on top, which builds
 * both and answers the adapter. Nothing below calls back up.
 *
 * <p>Per request, authentication runs at most once and caches its result in a request attribute;
 * {@link #currentUser} afterwards costs a lookup. Thread-safe; one instance per application.
 */
public final class GatehouseWeb {

    private final Gatehouse gatehouse;
    private final WebToolkit toolkit;
    private final List<StaticAssets> assets = new ArrayList<>();
    private final List<WebRoute> routes;
    private final MailComposer mailComposer;
    private final BackgroundWork background;

    public GatehouseWeb(Gatehouse gatehouse) {
        this(gatehouse, WebOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException if two mechanisms or features share a name, a feature's own
     *         settings are not registered, or a setting
     *                                  ({@code api-enabled-methods}, {@code csrf-protect-mechanisms})
     *                                  names a mechanism that is not registered
     */
    public GatehouseWeb(Gatehouse gatehouse, WebOptions options) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        Objects.requireNonNull(options, "options");
        GatehouseConfig config = gatehouse.config();
        Messages messages = config.get(MESSAGES_FILE).map(file -> options.messages.withFile(Path.of(file))).orElse(options.messages);
        Languages languages = new Languages(config.get(SUPPORTED_LOCALES), config.get(DEFAULT_LOCALE));
        ClassLoader applicationLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : GatehouseWeb.class.getClassLoader();
        PageRenderer pages = options.pages.orElseGet(() -> new PebblePages(config.get(TEMPLATES_FOLDER).map(Path::of),
                applicationLoader, languages.fallback()));
        String prefix = config.get(URL_PREFIX).orElse("");
        StaticAssets stylesheet = new StaticAssets(prefix);
        assets.add(stylesheet);
        List<WebFeature> features = enabledFeatures(config, options);
        Map<String, List<String>> pageScripts = pageScripts(config, features, prefix);
        List<String> formTargets = new ArrayList<>();
        config.get(REDIRECT_ALLOWED_HOSTS).forEach(host -> formTargets.add("https://" + host));
        features.forEach(feature -> formTargets.addAll(feature.formTargets(config)));
        Optional<String> contentSecurityPolicy = options.contentSecurityPolicy.map(policy -> policy.equals(WebOptions.DEFAULT_CONTENT_SECURITY_POLICY)
                ? withFormTargets(policy, formTargets) : policy);

        PageLinks links = new PageLinks(config.get(URL_PREFIX));
        links.value("stylesheet", stylesheet.versionedUrl());
        for (WebFeature feature : features) {
            feature.links(config, links);
        }
        this.toolkit = new WebToolkit(gatehouse, options, messages, languages, pages, links.toMap(), contentSecurityPolicy,
                pageScripts);
        toolkit.features = List.copyOf(features);
        List<WebRoute> all = new ArrayList<>();
        for (WebFeature feature : features) {
            all.addAll(feature.routes(toolkit));
        }
        List<SecondStepMethod> secondSteps = new ArrayList<>();
        for (WebFeature feature : features) {
            feature.secondStep(toolkit).ifPresent(secondSteps::add);
        }
        toolkit.secondSteps = List.copyOf(secondSteps);
        toolkit.authenticator.basic.secondFactors(toolkit.secondFactors());
        for (StaticAssets asset : assets) {
            all.add(new WebRoute("GET", asset.path(), asset::serve));
        }
        this.routes = admitted(all);
        this.mailComposer = new PebbleMailComposer(config.get(TEMPLATES_FOLDER).map(Path::of), applicationLoader, messages,
                languages, config.get(Settings.SITE_NAME));
        this.background = new BackgroundWork(gatehouse, options, mailComposer);
    }

    /**
     * A feature's own settings must be on the class path's registry (its {@code SettingGroup}
     * listed as a service): a forgotten service file then stops the start, not the first request
     * that reads the setting, and a properties file could not have set it either.
     */
    private static void requireRegistered(GatehouseConfig config, WebFeature feature) {
        for (SettingKey<?> setting : feature.settings()) {
            try {
                if (setting instanceof Setting<?> always) {
                    config.get(always);
                } else if (setting instanceof OptionalSetting<?> optional) {
                    config.get(optional);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("web feature " + feature.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The built-in features, then the application's, those that configuration switches on. */
    private static List<WebFeature> enabledFeatures(GatehouseConfig config, WebOptions options) {
        List<WebFeature> all = new ArrayList<>(BuiltInFeatures.all());
        all.addAll(options.features);
        Set<String> names = new HashSet<>();
        List<WebFeature> enabled = new ArrayList<>();
        for (WebFeature feature : all) {
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("two web features are named " + feature.name());
            }
            requireRegistered(config, feature);
            if (feature.isEnabled(config)) {
                enabled.add(feature);
            }
        }
        return enabled;
    }

    /** Loads the features' scripts into {@link #assets}; answers the versioned URLs each page links. */
    private Map<String, List<String>> pageScripts(GatehouseConfig config, List<WebFeature> features, String prefix) {
        Map<String, List<String>> byPage = new HashMap<>();
        for (WebFeature feature : features) {
            for (PageScript script : feature.scripts(config)) {
                StaticAssets asset = StaticAssets.script(prefix, feature.getClass().getClassLoader(), script.resource());
                if (assets.stream().anyMatch(a -> a.path().equals(asset.path()))) {
                    throw new IllegalArgumentException("web feature " + feature.name() + ": another asset is served at " + asset.path());
                }
                assets.add(asset);
                for (String page : script.pages()) {
                    byPage.computeIfAbsent(page, p -> new ArrayList<>()).add(asset.versionedUrl());
                }
            }
        }
        Map<String, List<String>> copy = new HashMap<>();
        byPage.forEach((page, urls) -> copy.put(page, List.copyOf(urls)));
        return Map.copyOf(copy);
    }

    /**
     * Every route passes the door first: security headers, and a refused request charset. A password
     * check or hash that found no free hashing slot, wherever in the endpoint, is answered 503.
     */
    private List<WebRoute> admitted(List<WebRoute> routes) {
        List<WebRoute> admitted = new ArrayList<>();
        for (WebRoute route : routes) {
            WebRoute.Handler handler = route.handler();
            admitted.add(new WebRoute(route.method(), route.path(), (request, response) -> {
                Exchange x = Exchange.of(toolkit, request, response);
                if (toolkit.guard.admit(x)) {
                    try {
                        handler.handle(request, response);
                    } catch (HashingCapacityException e) {
                        toolkit.replies.busy(x, e);
                    }
                }
            }));
        }
        return List.copyOf(admitted);
    }

    /**
     * Lets forms redirect to the configured other hosts and the features' targets too (browsers
     * apply form-action to redirects).
     */
    private static String withFormTargets(String policy, List<String> origins) {
        StringBuilder targets = new StringBuilder("form-action 'self'");
        for (String origin : new LinkedHashSet<>(origins)) {
            targets.append(' ').append(origin);
        }
        return policy.replace("form-action 'self'", targets.toString());
    }

    /** The Gatehouse this web layer serves. */
    public Gatehouse gatehouse() {
        return gatehouse;
    }

    /** The endpoints to mount, with the configured paths: those of every enabled feature. */
    public List<WebRoute> routes() {
        return routes;
    }

    /**
     * The endpoint answering {@code method} on {@code path}, for adapters whose framework has no
     * router of its own (the Servlet filter): a route path's {@code {name}} segment matches any one
     * non-empty segment, and a {@code HEAD} request is answered by the {@code GET} route when there
     * is no {@code HEAD} route (as Javalin does; the adapter sends no body). Empty when no route
     * has this method and path: the request is the application's.
     */
    public Optional<WebRoute> route(String method, String path) {
        Optional<WebRoute> route = routes.stream().filter(r -> r.method().equals(method) && r.matches(path)).findFirst();
        if (route.isEmpty() && method.equals("HEAD")) {
            return route("GET", path);
        }
        return route;
    }

    /**
     * Applies a rule before a handler runs: sets the security headers ({@code no-store},
     * {@code nosniff}, HSTS over HTTPS) and refuses an undecodable request charset (415), then
     * authenticates (by the registered mechanisms in order — token, session, basic, then any a
     * module added — as the rule allows), checks freshness, roles and permissions, then CSRF for
     * unsafe methods on requests authenticated by a mechanism of {@code csrf-protect-mechanisms}.
     * On failure writes the response (415, 401, 403, 400 or a redirect; 503 with {@code Retry-After}
     * when a password to check, HTTP Basic's, found no free hashing slot) and returns {@code false};
     * the adapter must then skip the handler. {@code OPTIONS} requests (CORS preflight) always pass.
     */
    public boolean enforce(WebRequest request, WebResponse response, AccessRule rule) {
        return toolkit.enforce(request, response, rule);
    }

    /**
     * The user making the request, or the anonymous user; never null. Authenticates with the
     * default mechanisms if nothing has yet in this request.
     *
     * @throws HashingCapacityException when that means checking a password (HTTP Basic among
     *         {@code api-enabled-methods}) and no hashing slot freed in time; answer it with {@link #busy}
     */
    public Identity currentUser(WebRequest request, WebResponse response) {
        return authentication(request, response).<Identity>map(Authentication::user).orElse(AnonymousUser.INSTANCE);
    }

    /**
     * Gatehouse's state for this request, for a feature module's public API that takes an
     * {@link Exchange} (e.g. a provider's access token for the signed-in user). One per request.
     */
    public Exchange exchange(WebRequest request, WebResponse response) {
        return Exchange.of(toolkit, request, response);
    }

    /**
     * Answers a request refused for want of a password hashing slot as Gatehouse's own endpoints do:
     * 503 with {@code Retry-After}, a JSON error or the error page. For an adapter's exception
     * handler, when {@link #currentUser} threw in an application handler.
     */
    public void busy(WebRequest request, WebResponse response, HashingCapacityException e) {
        toolkit.replies.busy(Exchange.of(toolkit, request, response), e);
    }

    /** How the request authenticated, if it did; see {@link #currentUser}. */
    public Optional<Authentication> authentication(WebRequest request, WebResponse response) {
        Exchange x = Exchange.of(toolkit, request, response);
        return x.authentication != null ? x.authentication : toolkit.authenticate(x);
    }

    /**
     * Signs {@code user} in on this response: a new session (new id: no session fixation), and a
     * remember-me cookie if asked; records the sign-in when {@code trackable} is on. Flask-Security's
     * {@code login_user}.
     *
     * @param rememberFor lifetime of the remember-me cookie; empty for {@code remember-cookie-duration}
     * @param fresh       whether this counts as a recent proof of identity
     */
    public void login(WebRequest request, WebResponse response, User user, boolean remember,
            Optional<Duration> rememberFor, boolean fresh) {
        toolkit.login(request, response, user, remember, rememberFor, fresh);
    }

    /**
     * Ends the request's session and remember-me grant and clears their cookies; a request that
     * authenticated by API token also ends that token's sign-in (its session, refresh tokens and
     * API tokens).
     */
    public void logout(WebRequest request, WebResponse response) {
        toolkit.logout(request, response);
    }

    /**
     * The CSRF token for this client: bound to its session when signed in, else to an anonymous
     * nonce cookie (set on the response if missing), so that even the login form is protected.
     */
    public String csrfToken(WebRequest request, WebResponse response) {
        // On a route without an access rule nothing has authenticated yet: a signed-in user's
        // token must still be bound to the session, as protected routes check it against that.
        authentication(request, response);
        return toolkit.csrfToken(Exchange.of(toolkit, request, response));
    }

    /**
     * Renders an application page with Gatehouse's renderer: with the default Pebble renderer,
     * the template {@code <page>.html} from the application's {@code templates/} folder, which
     * may extend {@code gatehouse/base.html}. The model gets everything Gatehouse's own pages
     * get ({@code current_user}, {@code csrf_token}, {@code flashes}, {@code msg(...)}, ...) and
     * the context processors' values; {@code model} wins over both.
     *
     * @param page the page name, e.g. {@code dashboard} or {@code gatehouse/error}
     */
    public void render(WebRequest request, WebResponse response, int status, String page, Map<String, ?> model) {
        Objects.requireNonNull(page, "page");
        toolkit.render(Exchange.of(toolkit, request, response), status, page, Objects.requireNonNull(model, "model"));
    }

    /**
     * Queues a flash message: shown once, on the next page rendered for this browser, typically
     * after a redirect. Kept in a signed cookie for up to two minutes; no server-side state.
     *
     * @param category {@code info}, {@code success} or {@code error}
     * @param message  a message key ({@code LOGOUT_DONE}) — shown in the reader's language — or a text
     */
    public void flash(WebRequest request, WebResponse response, String category, String message) {
        if (!(category.equals("info") || category.equals("success") || category.equals("error"))) {
            throw new IllegalArgumentException("a flash category is info, success or error, not " + category);
        }
        toolkit.flashes.add(Exchange.of(toolkit, request, response), category, Objects.requireNonNull(message, "message"));
    }

    /** The texts in the language chosen for this request ({@code Accept-Language}). */
    public PageTexts texts(WebRequest request) {
        return new PageTexts(toolkit.messages, Exchange.of(toolkit, request, null).locale());
    }

    /**
     * The mail delivery worker and the hourly purge, not yet started: the adapter starts them with
     * the server ({@link BackgroundWork#start()}) and closes them at shutdown.
     */
    public BackgroundWork background() {
        return background;
    }

    /**
     * The composer rendering Gatehouse's emails from the web layer's templates, in the recipient's
     * language; {@link #background()} delivers with it. For an application that runs its own
     * {@link dev.gatehouse.mail.MailDelivery}.
     */
    public MailComposer mailComposer() {
        return mailComposer;
    }
}
