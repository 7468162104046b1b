package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGIN_VIEW;
import static dev.gatehouse.config.Settings.VERIFY_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_START_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_VERIFY_START_URL;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.token.Sha256;
import dev.gatehouse.token.TokenSigner;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code flow's endpoints (Flask-Security's {@code oauthstart}, {@code oauthresponse},
 * {@code oauth_verify_start}): the providers list for JSON clients, the starts of a sign-in, an
 * incremental consent and a re-authentication, and the provider's callback, which finishes every
 * flow, the account page's links too. Thread-safe.
 */
final class SignInEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(SignInEndpoints.class);
    /** RFC 6749 scope-token characters; at most a few dozen scopes of reasonable length. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}");
    private static final int MAX_SCOPES = 20;

    private final OidcContext ctx;
    private final ProviderFlows flows;
    private final ProviderSessions sessions;

    SignInEndpoints(OidcContext ctx, ProviderFlows flows, ProviderSessions sessions) {
        this.ctx = ctx;
        this.flows = flows;
        this.sessions = sessions;
    }

    List<WebRoute> routes() {
        WebToolkit web = ctx.web();
        String start = startPath();
        return List.of(
                new WebRoute("GET", start, this::providersList),
                new WebRoute("POST", start + "/{provider}", this::startSignIn),
                new WebRoute("GET", start + "/{provider}/consent", this::startConsent),
                new WebRoute("POST", web.url(ctx.config.get(OAUTH_VERIFY_START_URL)) + "/{provider}", this::startVerify),
                new WebRoute("GET", flows.callbackPath() + "/{provider}", this::callback));
    }

    private String startPath() {
        return ctx.web().url(ctx.config.get(OAUTH_START_URL));
    }

    // ------------------------------------------------------------------ start

    private void providersList(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!x.wantsJson()) {
            web.redirect(x, web.url(ctx.config.get(LOGIN_URL)));
            return;
        }
        List<Map<String, Object>> providers = new ArrayList<>();
        for (String id : ctx.order()) {
            providers.add(Map.of("name", id, "display_name", ctx.displayName(id), "start_url", startPath() + "/" + id));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("oauth_enabled", true);
        body.put("oauth_providers", providers);
        body.put("csrf_token", web.csrfToken(x));
        web.json(x, 200, body);
    }

    /** Flask-Security's {@code oauthstart}: anonymous, CSRF-protected, POST only. */
    private void startSignIn(WebRequest request, WebResponse response) {
        Exchange x = ctx.web().exchange(request, response);
        ctx.anonymousStart(x, startPath()).ifPresent(start -> flows.start(x, start.client(), FlowState.Purpose.SIGN_IN,
                Set.of(), start.next(), start.remember(), Optional.empty()));
    }

    /**
     * Re-authentication with a provider (Flask-Security's {@code oauth_verify_start}): for a user
     * with a session, stale or not, whose password is not the way in. The callback makes the session
     * fresh only if the provider signs in an identity linked to this very user.
     */
    private void startVerify(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        Optional<OidcClient> client = ctx.clientAt(request.path(), web.url(ctx.config.get(OAUTH_VERIFY_START_URL)), "");
        if (client.isEmpty()) {
            ctx.notFound(x);
            return;
        }
        Optional<String> next = ctx.nextAllowed(x);
        if (next == null) {
            return;
        }
        flows.start(x, client.get(), FlowState.Purpose.VERIFY, Set.of(), next, false,
                Optional.of(x.authentication().orElseThrow().user().id()));
    }

    /**
     * Incremental consent: a signed-in user's provider is asked for more scopes and the new tokens
     * replace the sign-in's. A GET (it is the location of {@link ConsentRequiredException}); it can
     * only extend the grants of the session's own user, at the provider the user consents at.
     */
    private void startConsent(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION))) {
            return;
        }
        Optional<OidcClient> client = ctx.clientAt(request.path(), startPath(), "/consent");
        if (client.isEmpty()) {
            ctx.notFound(x);
            return;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : request.queryParam("scope").orElse("").split(" ")) {
            if (!scope.isEmpty()) {
                if (!SCOPE.matcher(scope).matches() || scopes.size() >= MAX_SCOPES) {
                    web.json(x, 400, Map.of(), List.of(x.text("OAUTH_INVALID_SCOPE")), Map.of());
                    return;
                }
                scopes.add(scope);
            }
        }
        Optional<String> next = web.safeNext(x);
        flows.start(x, client.get(), FlowState.Purpose.CONSENT, scopes, next, false,
                Optional.of(x.authentication().orElseThrow().user().id()));
    }

    // ------------------------------------------------------------------ callback

    /**
     * A callback whose flow state does not hold: refused like any failed sign-in, and recorded as one
     * ({@code authentication_failed} with reason {@code OIDC_<reason>}), since it may be an attack.
     */
    private void refuseFlow(Exchange x, OidcProvider provider, String reason, String logText, String back) {
        ctx.gatehouse.events().publish(new AccountEvent.AuthenticationFailed(
                EventContext.anonymous(ctx.gatehouse.clock().instant(), x.client()), "OIDC_" + reason));
        ctx.refuse(x, provider, "OAUTH_STATE_INVALID", logText, Optional.empty(), back);
    }

    /** Flask-Security's {@code oauthresponse}: every outcome is a redirect for browsers (400 JSON otherwise). */
    private void callback(WebRequest request, WebResponse response) {
        Exchange x = ctx.web().exchange(request, response);
        // Whatever happens next, the flow is over.
        flows.clear(response);
        Optional<OidcClient> client = ctx.clientAt(request.path(), flows.callbackPath(), "");
        if (client.isEmpty()) {
            ctx.notFound(x);
            return;
        }
        OidcProvider provider = client.get().provider();
        Optional<FlowState> flow = flows.open(request);
        if (flow.isEmpty()) {
            refuseFlow(x, provider, "FLOW_MISSING", "no flow cookie, or one that does not open", ctx.loginPage());
            return;
        }
        FlowState state = flow.get();
        String home = flows.home(state.purpose());
        Instant now = ctx.gatehouse.clock().instant();
        if (!state.providerId().equals(provider.id()) || now.isAfter(state.startedAt().plus(ProviderFlows.FLOW_LIFETIME))) {
            refuseFlow(x, provider, "FLOW_EXPIRED", "flow of another provider, or expired", home);
            return;
        }
        String given = request.queryParam("state").orElse("");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                state.secrets().state().getBytes(StandardCharsets.UTF_8))) {
            refuseFlow(x, provider, "FOREIGN_STATE", "foreign state", home);
            return;
        }
        String marker = "once:oidc:" + Sha256.base64Url(state.secrets().state(), 32);
        if (ctx.gatehouse.counters().increment(marker, ProviderFlows.FLOW_LIFETIME.plus(TokenSigner.CLOCK_SKEW), now)
                .hits() != 1) {
            refuseFlow(x, provider, "REPLAYED_STATE", "replayed state", home);
            return;
        }
        ProviderSignIn signIn;
        try {
            signIn = client.get().finish(callbackUri(request), state.secrets(), flows.redirectUri(provider.id()));
        } catch (OidcException e) {
            LOG.info("Sign-in with provider {} failed: {} (client {})", provider.id(), e.error(), OidcContext.address(x));
            ctx.gatehouse.events().publish(new AccountEvent.AuthenticationFailed(
                    EventContext.anonymous(now, x.client()), "OIDC_" + e.error().name()));
            ctx.fail(x, OidcContext.handshakeError(x, provider, e), home);
            return;
        }
        switch (state.purpose()) {
            case SIGN_IN -> sessions.completeSignIn(x, provider, signIn, state.remember(), state.next());
            case LINK -> linked(x, provider, state, signIn);
            case CONSENT -> consented(x, provider, state, signIn);
            case VERIFY -> verified(x, provider, state, signIn);
            default -> throw new IllegalStateException();
        }
    }

    /** The URL the browser came back to, as the provider sent it (the site's external URL, not the Host header). */
    private URI callbackUri(WebRequest request) {
        return URI.create(ctx.config.get(EXTERNAL_URL).orElseThrow() + request.path()
                + request.queryString().map(q -> "?" + q).orElse(""));
    }

    private void linked(Exchange x, OidcProvider provider, FlowState state, ProviderSignIn signIn) {
        Optional<Authentication> auth = startedHere(x, provider, state, "link");
        if (auth.isEmpty()) {
            return;
        }
        Optional<OidcAccounts.Refused> refused = ctx.accounts.link(provider, signIn, auth.get().user(), x.client());
        if (refused.isPresent()) {
            ctx.refuse(x, provider, refused.get().messageKey(), refused.get().reason(), state.userId(), ctx.identitiesPage());
            return;
        }
        sessions.keep(auth.get(), provider.id(), signIn, false);
        LOG.info("Linked an identity of provider {} to user {}", provider.id(), auth.get().user().id());
        ctx.done(x, x.text("OAUTH_LINKED", Map.of("provider", provider.displayName())), ctx.identitiesPage());
    }

    private void consented(Exchange x, OidcProvider provider, FlowState state, ProviderSignIn signIn) {
        Optional<Authentication> auth = startedHere(x, provider, state, "consent");
        // The new tokens must be the signed-in user's own: the identity must be linked to this account.
        if (auth.isEmpty() || !ownIdentity(x, provider, state, signIn, auth.get(), "consent",
                ctx.config.get(POST_LOGIN_VIEW))) {
            return;
        }
        sessions.keep(auth.get(), provider.id(), signIn, false);
        ctx.proceed(x, state.next(), false, Optional.empty());
    }

    private void verified(Exchange x, OidcProvider provider, FlowState state, ProviderSignIn signIn) {
        Optional<Authentication> auth = startedHere(x, provider, state, "verify");
        if (auth.isEmpty() || !ownIdentity(x, provider, state, signIn, auth.get(), "re-authentication",
                ctx.web().url(ctx.config.get(VERIFY_URL)))) {
            return;
        }
        ctx.web().reauthenticated(x, auth.get().user());
        ctx.gatehouse.externalIdentities().recordSignIn(signIn.issuer(), signIn.subject(), ctx.gatehouse.clock().instant());
        sessions.keep(x.authentication().orElseThrow(), provider.id(), signIn, false);
        ctx.proceed(x, state.next(), true,
                Optional.of(x.text("REAUTHENTICATION_SUCCESSFUL_WITH", Map.of("provider", provider.displayName()))));
    }

    /** The session of the user who started the flow; refused (empty) if the callback came without it. */
    private Optional<Authentication> startedHere(Exchange x, OidcProvider provider, FlowState state, String flow) {
        Optional<Authentication> auth = ctx.web().authenticate(x)
                .filter(a -> state.userId().equals(Optional.of(a.user().id())));
        if (auth.isEmpty()) {
            ctx.refuse(x, provider, "OAUTH_STATE_INVALID", flow + " finished without the session that started it",
                    state.userId(), ctx.loginPage());
        }
        return auth;
    }

    /** Whether the provider signed in an identity linked to the session's user; refused (false) otherwise. */
    private boolean ownIdentity(Exchange x, OidcProvider provider, FlowState state, ProviderSignIn signIn,
            Authentication auth, String flow, String back) {
        Optional<ExternalIdentity> identity = ctx.gatehouse.externalIdentities().find(signIn.issuer(), signIn.subject());
        if (identity.isEmpty() || identity.get().userId() != auth.user().id()) {
            ctx.refuse(x, provider, "OAUTH_WRONG_ACCOUNT", flow + " by another identity", state.userId(), back);
            return false;
        }
        return true;
    }
}
