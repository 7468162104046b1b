package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_RESPONSE_URL;

import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of every browser flow with a provider (sign-in, link, consent, verify) and the flow
 * cookie that carries its state to the callback: state, nonce and PKCE verifier, sealed, HttpOnly,
 * SameSite=Lax, scoped to the callback's path, living {@link #FLOW_LIFETIME}. Thread-safe.
 */
final class ProviderFlows {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFlows.class);
    /** How long a started flow may take to come back. */
    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);

    private final OidcContext ctx;
    private final String cookieName;

    ProviderFlows(OidcContext ctx) {
        this.ctx = ctx;
        this.cookieName = ctx.cookieName("oidc");
    }

    /**
     * Sends the browser to the provider with a new flow's cookie; if the provider cannot be asked
     * (typically discovery failed), fails back to the identities page (a link) or the login page.
     */
    void start(Exchange x, OidcClient client, FlowState.Purpose purpose, Set<String> extraScopes, Optional<String> next,
            boolean remember, Optional<Long> userId) {
        String id = client.provider().id();
        AuthorizationStart start;
        try {
            start = client.authorize(redirectUri(id), extraScopes, Optional.empty(), Optional.empty());
        } catch (OidcException e) {
            // Typically discovery: the provider is down or misconfigured. Nothing started, nothing to clear.
            LOG.warn("Could not start a sign-in with provider {}: {}", id, e.error());
            ctx.fail(x, OidcContext.handshakeError(x, client.provider(), e), home(purpose));
            return;
        }
        FlowState flow = new FlowState(id, purpose, start.secrets(), next, remember, userId, ctx.gatehouse.clock().instant());
        x.response().addHeader("Set-Cookie", cookie(flow.seal(ctx.sealer), FLOW_LIFETIME));
        ctx.web().redirect(x, start.location().toString());
    }

    /** The flow the request's cookie carries, if it opens. */
    Optional<FlowState> open(WebRequest request) {
        return request.cookie(cookieName).flatMap(value -> FlowState.open(ctx.sealer, value));
    }

    /** Clears the flow cookie: the callback ends the flow, whatever its outcome. */
    void clear(WebResponse response) {
        response.addHeader("Set-Cookie", cookie("", Duration.ZERO));
    }

    /** Where a failed flow of {@code purpose} goes back to: the identities page for a link, else the login page. */
    String home(FlowState.Purpose purpose) {
        return purpose == FlowState.Purpose.LINK ? ctx.identitiesPage() : ctx.loginPage();
    }

    /** The redirect URI registered at the provider: the callback's absolute URL. */
    URI redirectUri(String providerId) {
        return URI.create(ctx.config.get(EXTERNAL_URL).orElseThrow() + callbackPath() + "/" + providerId);
    }

    String callbackPath() {
        return ctx.web().url(ctx.config.get(OAUTH_RESPONSE_URL));
    }

    private String cookie(String value, Duration maxAge) {
        return ctx.cookie(cookieName, value, maxAge, callbackPath());
    }
}
