package dev.gatehouse.web;

import static dev.gatehouse.config.Settings.COOKIE_SECURE;
import static dev.gatehouse.config.Settings.TRUSTED_PROXY_COUNT;
import static dev.gatehouse.config.Settings.URL_PREFIX;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Settings;
import dev.gatehouse.password.HashingCapacityException;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.AnonymousUser;
import dev.gatehouse.user.Identity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How Gatehouse answers: Flask-Security's JSON envelope, pages (with the model every page gets),
 * error pages and redirects, each with the headers its kind needs. Thread-safe.
 */
final class Replies {

    private final GatehouseConfig config;
    private final WebOptions options;
    private final Messages messages;
    private final PageRenderer pages;
    private final Flashes flashes;
    private final Authenticator authenticator;
    private final Csrf csrf;
    /** The page links ({@code urls} in templates), contributed by the enabled features. */
    private final Map<String, Object> links;
    private final Optional<String> contentSecurityPolicy;
    /** The policy of pages that load a feature's scripts ({@link PageScript}). */
    private final Optional<String> scriptPolicy;
    /** Page name to the versioned URLs of the scripts it loads; pages not listed load none. */
    private final Map<String, List<String>> pageScripts;

    Replies(GatehouseConfig config, WebOptions options, Messages messages, PageRenderer pages, Flashes flashes,
            Authenticator authenticator, Csrf csrf, Map<String, Object> links, Optional<String> contentSecurityPolicy,
            Map<String, List<String>> pageScripts) {
        this.config = config;
        this.options = options;
        this.messages = messages;
        this.pages = pages;
        this.flashes = flashes;
        this.authenticator = authenticator;
        this.csrf = csrf;
        this.links = Map.copyOf(links);
        this.contentSecurityPolicy = contentSecurityPolicy;
        this.scriptPolicy = contentSecurityPolicy.map(Replies::allowingScripts);
        this.pageScripts = Map.copyOf(pageScripts);
    }

    /**
     * The policy plus this site's own scripts and their requests to it (fetch needs
     * {@code connect-src}); never inline scripts. A policy that already says where scripts and
     * requests may come from is left as it is for that directive.
     */
    static String allowingScripts(String policy) {
        StringBuilder allowing = new StringBuilder(policy);
        if (!policy.contains("script-src")) {
            allowing.append("; script-src 'self'");
        }
        if (!policy.contains("connect-src")) {
            allowing.append("; connect-src 'self'");
        }
        return allowing.toString();
    }

    /** A configured path with the optional {@code url-prefix}. */
    String url(String path) {
        return config.get(URL_PREFIX).map(prefix -> prefix + path).orElse(path);
    }

    static String withNext(String url, WebRequest request) {
        String target = request.path() + request.queryString().map(q -> "?" + q).orElse("");
        return url + (url.indexOf('?') < 0 ? "?" : "&") + "next=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    }

    void redirect(Exchange x, String location) {
        x.response.status(302);
        x.response.header("Location", location);
        x.response.header("Cache-Control", "no-store");
    }

    void json(Exchange x, int status, Map<String, ?> response) {
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.body("application/json", Json.envelope(status, response));
    }

    void json(Exchange x, int status, Map<String, ?> extra, List<String> errors, Map<String, List<String>> fieldErrors) {
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        // Error messages are in the client's language, like the pages.
        x.response.header("Content-Language", x.locale().toLanguageTag());
        x.response.addHeader("Vary", "Accept-Language");
        x.response.body("application/json", Json.errors(status, errors, fieldErrors, extra));
    }

    /** A message in the client's language: a JSON error envelope, or the error page. */
    void jsonOrPage(Exchange x, int status, String messageKey, Map<String, ?> extra) {
        String message = x.text(messageKey);
        if (x.wantsJson()) {
            json(x, status, extra, List.of(message), Map.of());
        } else {
            errorPage(x, status, message);
        }
    }

    /**
     * No password hashing slot freed in time ({@link HashingCapacityException}): 503 with
     * {@code Retry-After}, a JSON error or the error page. 503 rather than 429: the server is at its
     * capacity, whatever this client did, and the request may be repeated as it is. The request's
     * authentication, if it was what failed, counts as none, so that the page does not try again.
     */
    void busy(Exchange x, HashingCapacityException e) {
        RefusalLog.busy(x);
        if (x.authentication == null) {
            x.authentication = Optional.empty();
            x.authenticatedWith = Set.of();
        }
        x.response.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        jsonOrPage(x, 503, "SERVER_BUSY", Map.of());
    }

    /**
     * A missing or invalid CSRF token: 400, naming {@code csrf_token}. A token sent without the
     * cookie it is bound to is told apart (Flask-WTF's "The CSRF session token is missing."), and
     * so is the likely cause: {@code Secure} cookies, which clients do not send over plain HTTP.
     */
    void csrfFailure(Exchange x) {
        String reason;
        if (!Csrf.presented(x)) {
            reason = "CSRF_MISSING";
        } else if (!csrf.bindingMissing(x)) {
            reason = "CSRF_INVALID";
        } else if (config.get(COOKIE_SECURE) && !ClientAddresses.isHttps(x.request, config.get(TRUSTED_PROXY_COUNT))) {
            reason = "CSRF_COOKIE_MISSING_OVER_HTTP";
        } else {
            reason = "CSRF_COOKIE_MISSING";
        }
        RefusalLog.csrf(x, reason);
        String message = x.text(reason);
        if (x.wantsJson()) {
            json(x, 400, Map.of(), List.of(message), Map.of("csrf_token", List.of(message)));
        } else {
            errorPage(x, 400, message);
        }
    }

    /** One of Gatehouse's pages: {@code gatehouse/<name>}. */
    void page(Exchange x, int status, String name, Map<String, Object> model) {
        render(x, status, "gatehouse/" + name, model);
    }

    void errorPage(Exchange x, int status, String message) {
        page(x, status, "error", Map.of("status", status, "message", message));
    }

    /** Any page, Gatehouse's or the application's; see {@link GatehouseWeb#render}. */
    void render(Exchange x, int status, String page, Map<String, ?> model) {
        List<String> scripts = pageScripts.getOrDefault(page, List.of());
        String html = renderPage(x, page, model, scripts);
        x.response.status(status);
        x.response.header("Cache-Control", "no-store");
        x.response.header("Content-Language", x.locale().toLanguageTag());
        x.response.addHeader("Vary", "Accept-Language");
        x.response.header("X-Content-Type-Options", "nosniff");
        // Pages carry next= and tokens in their URLs: never hand them to other sites.
        x.response.header("Referrer-Policy", "same-origin");
        (scripts.isEmpty() ? contentSecurityPolicy : scriptPolicy)
                .ifPresent(policy -> x.response.header("Content-Security-Policy", policy));
        x.response.body("text/html; charset=utf-8", html);
    }

    /**
     * The model every page gets, then the context processors' values, then the page's own:
     * {@code page}, {@code lang}, {@code texts}, {@code site_name}, {@code current_user},
     * {@code csrf_token}, {@code urls}, {@code flashes}, {@code scripts}.
     */
    private String renderPage(Exchange x, String page, Map<String, ?> model, List<String> scripts) {
        Identity user = (x.authentication != null ? x.authentication : authenticator.authenticate(x))
                .<Identity>map(Authentication::user).orElse(AnonymousUser.INSTANCE);
        Locale locale = x.locale();
        PageTexts texts = new PageTexts(messages, locale);
        Map<String, Object> all = new HashMap<>();
        all.put("page", page);
        all.put("lang", locale.toLanguageTag());
        all.put(PebblePages.TEXTS, texts);
        all.put("site_name", config.get(Settings.SITE_NAME));
        all.put("current_user", user);
        all.put("csrf_token", csrf.token(x));
        all.put("urls", links);
        all.put("scripts", scripts);
        List<Map<String, String>> shown = new ArrayList<>();
        for (Flashes.Flash flash : flashes.take(x)) {
            shown.add(Map.of("category", flash.category(), "message", texts.resolve(flash.message())));
        }
        all.put("flashes", shown);
        PageContext context = new PageContext(page, x.request, user, locale);
        for (ContextProcessor processor : options.contextProcessors) {
            all.putAll(processor.values(context));
        }
        for (ContextProcessor processor : options.pageContextProcessors.getOrDefault(page, List.of())) {
            all.putAll(processor.values(context));
        }
        all.putAll(model);
        return pages.render(page, all);
    }
}
