package dev.gatehouse.oidc;

import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_DEVICE_URL;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.limit.Counter;
import dev.gatehouse.limit.CounterStore;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in with the device-code grant (RFC 8628), mounted by {@link OidcFeature} when
 * {@code oauth-device-enabled} is on. Flask-Security has no device flow; the answers keep its JSON
 * envelope and the RFC's error names:
 * <ul>
 *   <li>{@code POST <oauth-device-url>/<id>} (anonymous, login CSRF; {@code next}, {@code remember}):
 *       starts at the provider. JSON: 200 with {@code user_code}, {@code verification_uri},
 *       {@code verification_uri_complete} (if the provider gives one), {@code interval} and
 *       {@code expires_in} (seconds), {@code device_handle} and {@code poll_url}. Browsers: a page
 *       with the code, the link and a "Continue" button, the handle in a sealed, HttpOnly,
 *       path-scoped cookie.</li>
 *   <li>{@code POST <oauth-device-url>/<id>/poll} (login CSRF; the handle as the field
 *       {@code device_handle}, else the cookie): 202 {@code authorization_pending}; 429
 *       {@code slow_down} with the new {@code interval} (and {@code Retry-After}); 400
 *       {@code access_denied}, {@code expired_token} or {@code invalid_handle} (forged, of another
 *       provider, or already used); 502 {@code provider_error} when the provider cannot be reached or
 *       refuses; on success the same sign-in as the code flow's callback
 *       ({@link ProviderSessions#completeSignIn}).</li>
 * </ul>
 * The polling rate is enforced here, not trusted to the client: every handle of one device code
 * shares a counter whose window is the current interval, and a poll inside it answers
 * {@code slow_down} without asking the provider; each {@code slow_down} (the provider's or ours)
 * adds five seconds to the interval for good (RFC 8628 section 3.5). A handle is single-use after
 * success, denial or expiry. Thread-safe.
 */
final class DeviceEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpoints.class);
    /** RFC 8628 section 3.5: each slow_down adds five seconds. */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    private final OidcContext ctx;
    private final ProviderSessions sessions;
    private final CounterStore counters;
    private final String cookieName;

    DeviceEndpoints(OidcContext ctx, ProviderSessions sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.counters = ctx.gatehouse.counters();
        this.cookieName = ctx.cookieName("oidc_device");
    }

    List<WebRoute> routes() {
        String base = base();
        return List.of(new WebRoute("POST", base + "/{provider}", this::start),
                new WebRoute("POST", base + "/{provider}/poll", this::poll));
    }

    private String base() {
        return ctx.web().url(ctx.config.get(OAUTH_DEVICE_URL));
    }

    // ------------------------------------------------------------------ start

    private void start(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        Optional<OidcContext.SignInStart> start = ctx.anonymousStart(x, base());
        if (start.isEmpty()) {
            return;
        }
        OidcProvider provider = start.get().client().provider();
        DeviceStart started;
        try {
            started = start.get().client().startDevice(Set.of());
        } catch (OidcException e) {
            LOG.warn("Could not start a device sign-in with provider {}: {}", provider.id(), e.error());
            if (e.error() == OidcError.UNSUPPORTED) {
                failed(x, 400, "invalid_request", x.text("OAUTH_DEVICE_UNSUPPORTED", Map.of("provider", provider.displayName())));
            } else {
                failed(x, 502, "provider_error", OidcContext.handshakeError(x, provider, e));
            }
            return;
        }
        Instant now = ctx.gatehouse.clock().instant();
        Duration lifetime = Duration.between(ctx.tokenClock.instant(), started.expiresAt());
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        DeviceHandle handle = new DeviceHandle(provider.id(), started.deviceCode(), started.scopes(), started.userCode(),
                started.verificationUri(), started.verificationUriComplete(), started.interval(), now,
                now.plus(lifetime), start.get().next(), start.get().remember());
        // The start counts as a poll: the first one must wait the interval too (the user cannot be done sooner).
        counters.increment(pollKey(handle), started.interval(), now);
        String sealed = handle.seal(ctx.sealer);
        LOG.info("Started a device sign-in with provider {} (client {})", provider.id(), OidcContext.address(x));
        if (x.wantsJson()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user_code", started.userCode());
            body.put("verification_uri", started.verificationUri().toString());
            started.verificationUriComplete().ifPresent(u -> body.put("verification_uri_complete", u.toString()));
            body.put("interval", started.interval().toSeconds());
            body.put("expires_in", lifetime.toSeconds());
            body.put("device_handle", sealed);
            body.put("poll_url", pollUrl(provider));
            web.json(x, 200, body);
        } else {
            x.response().addHeader("Set-Cookie", cookie(sealed, lifetime));
            page(x, provider, handle, Optional.empty());
        }
    }

    // ------------------------------------------------------------------ poll

    private void poll(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        Optional<OidcClient> client = ctx.clientAt(request.path(), base(), "/poll");
        if (client.isEmpty()) {
            ctx.notFound(x);
            return;
        }
        if (!ctx.anonymousWithCsrf(x)) {
            return;
        }
        OidcProvider provider = client.get().provider();
        Optional<DeviceHandle> opened = x.field("device_handle").filter(h -> !h.isEmpty())
                .or(() -> request.cookie(cookieName)).flatMap(h -> DeviceHandle.open(ctx.sealer, h))
                .filter(h -> h.providerId().equals(provider.id()));
        Instant now = ctx.gatehouse.clock().instant();
        if (opened.isEmpty()) {
            over(x, provider, 400, "invalid_handle", "OAUTH_DEVICE_INVALID", "a handle that does not open, or of another provider");
            return;
        }
        DeviceHandle handle = opened.get();
        if (counters.get(usedKey(handle), now).isPresent()) {
            over(x, provider, 400, "invalid_handle", "OAUTH_DEVICE_INVALID", "a handle already used");
            return;
        }
        if (!now.isBefore(handle.expiresAt())) {
            markUsed(handle, now);
            over(x, provider, 400, "expired_token", "OAUTH_DEVICE_EXPIRED", "expired");
            return;
        }
        Duration interval = interval(handle, now);
        if (counters.increment(pollKey(handle), interval, now).hits() > 1) {
            // Too soon: the provider is not asked, and the client is slowed down as the provider would.
            slowDown(x, provider, handle, now);
            return;
        }
        DevicePoll answer;
        try {
            answer = client.get().poll(handle.deviceCode(), handle.scopes(), interval);
        } catch (OidcException e) {
            LOG.info("Device sign-in with provider {} failed: {} (client {})", provider.id(), e.error(), OidcContext.address(x));
            ctx.gatehouse.events().publish(new AccountEvent.AuthenticationFailed(
                    EventContext.anonymous(now, x.client()), "OIDC_" + e.error().name()));
            // The handle stays: the provider may only be unreachable for a moment.
            if (x.wantsJson()) {
                failed(x, 502, "provider_error", OidcContext.handshakeError(x, provider, e));
            } else {
                page(x, provider, handle, Optional.of(OidcContext.handshakeError(x, provider, e)));
            }
            return;
        }
        if (answer instanceof DevicePoll.Pending) {
            if (x.wantsJson()) {
                web.json(x, 202, Map.of("status", "authorization_pending", "interval", interval.toSeconds()));
            } else {
                page(x, provider, handle, Optional.of(x.text("OAUTH_DEVICE_PENDING", Map.of("provider", provider.displayName()))));
            }
        } else if (answer instanceof DevicePoll.SlowDown) {
            slowDown(x, provider, handle, now);
        } else if (answer instanceof DevicePoll.Denied) {
            markUsed(handle, now);
            over(x, provider, 400, "access_denied", "OAUTH_DEVICE_DENIED", "denied at the provider");
        } else if (answer instanceof DevicePoll.Expired) {
            markUsed(handle, now);
            over(x, provider, 400, "expired_token", "OAUTH_DEVICE_EXPIRED", "expired at the provider");
        } else if (answer instanceof DevicePoll.Done done) {
            if (!markUsed(handle, now)) {
                over(x, provider, 400, "invalid_handle", "OAUTH_DEVICE_INVALID", "a handle already used");
                return;
            }
            x.response().addHeader("Set-Cookie", cookie("", Duration.ZERO));
            sessions.completeSignIn(x, provider, done.signIn(), handle.remember(), handle.next());
        }
    }

    /** Five seconds more for good, then tells the client so: 429 JSON, or the page again. */
    private void slowDown(Exchange x, OidcProvider provider, DeviceHandle handle, Instant now) {
        counters.increment(slowKey(handle), until(handle, now), now);
        Duration interval = interval(handle, now);
        // The next poll waits the new interval from now, whatever window was running.
        counters.delete(pollKey(handle));
        counters.increment(pollKey(handle), interval, now);
        long seconds = interval.toSeconds();
        LOG.info("Device sign-in with provider {} slowed down to every {} s (client {})", provider.id(), seconds, OidcContext.address(x));
        String message = x.text("OAUTH_DEVICE_SLOW_DOWN", Map.of("seconds", seconds));
        if (x.wantsJson()) {
            x.response().header("Retry-After", Long.toString(seconds));
            ctx.web().json(x, 429, Map.of("error", "slow_down", "interval", seconds), List.of(message), Map.of());
        } else {
            page(x, provider, handle, Optional.of(message));
        }
    }

    /** The interval now: the provider's, plus five seconds per slow_down so far. */
    private Duration interval(DeviceHandle handle, Instant now) {
        long slowDowns = counters.get(slowKey(handle), now).map(Counter::hits).orElse(0L);
        return handle.interval().plus(SLOW_DOWN_STEP.multipliedBy(slowDowns));
    }

    /** Marks the handle used; {@code false} if it already was (a concurrent poll won). */
    private boolean markUsed(DeviceHandle handle, Instant now) {
        return counters.increment(usedKey(handle), until(handle, now).plus(TokenSigner.CLOCK_SKEW), now).hits() == 1;
    }

    /** What is left of the handle's life, at least a second (a counter window cannot be empty). */
    private static Duration until(DeviceHandle handle, Instant now) {
        Duration left = Duration.between(now, handle.expiresAt());
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    private static String pollKey(DeviceHandle handle) {
        return "oidc-device-poll:" + handle.key();
    }

    private static String slowKey(DeviceHandle handle) {
        return "oidc-device-slow:" + handle.key();
    }

    private static String usedKey(DeviceHandle handle) {
        return "once:oidc-device:" + handle.key();
    }

    // ------------------------------------------------------------------ replies

    /** The sign-in is over without a session: the cookie cleared, 400 JSON or a flash on the login page. */
    private void over(Exchange x, OidcProvider provider, int status, String error, String messageKey, String reason) {
        LOG.info("Device sign-in with provider {} refused: {} (client {})", provider.id(), reason, OidcContext.address(x));
        x.response().addHeader("Set-Cookie", cookie("", Duration.ZERO));
        failed(x, status, error, x.text(messageKey, Map.of("provider", provider.displayName())));
    }

    private void failed(Exchange x, int status, String error, String message) {
        ctx.fail(x, status, Map.of("error", error), message, ctx.loginPage());
    }

    /** The page showing the code, the link and the "Continue" button; {@code message} after a poll. */
    private void page(Exchange x, OidcProvider provider, DeviceHandle handle, Optional<String> message) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("provider", provider.displayName());
        model.put("user_code", handle.userCode());
        model.put("verification_uri", handle.verificationUri().toString());
        model.put("verification_uri_complete", handle.verificationUriComplete().map(URI::toString).orElse(""));
        model.put("poll_url", pollUrl(provider));
        model.put("csrf_token", ctx.web().csrfToken(x));
        model.put("message", message.orElse(""));
        ctx.web().render(x, 200, "gatehouse/device_signin", model);
    }

    private String pollUrl(OidcProvider provider) {
        return base() + "/" + provider.id() + "/poll";
    }

    private String cookie(String value, Duration maxAge) {
        return ctx.cookie(cookieName, value, maxAge, base());
    }
}
