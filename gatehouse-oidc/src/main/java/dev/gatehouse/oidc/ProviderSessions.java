package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.LOGIN_URL;
import static dev.gatehouse.config.Settings.POST_LOGOUT_VIEW;
import static dev.gatehouse.config.Settings.REMEMBER_COOKIE_DURATION;
import static dev.gatehouse.config.Settings.SESSION_ABSOLUTE_TIMEOUT;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_POST_LOGOUT_URL;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_START_URL;

import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.User;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebToolkit;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-ins with a provider and the provider tokens kept with them: the end of every sign-in
 * (whatever the grant), keeping the tokens as long as the session may last, handing out a current
 * access token (refreshed when due), and forgetting them at logout. Thread-safe.
 */
final class ProviderSessions {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSessions.class);
    /** A token this close to expiry is refreshed before it is handed out. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final OidcContext ctx;

    ProviderSessions(OidcContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The end of every sign-in with a provider, whatever the grant (the code flow's callback, a
     * device-code poll): the account by {@link OidcAccounts}' rules, then an ordinary session
     * (remember-me, tracking, events), the provider's tokens kept with it, and the answer — a
     * redirect to {@code next} (or {@code post-login-view}), or 200 JSON with the location. A refusal
     * answers as the callback's: no session, flash and redirect to the login page, or 400 JSON.
     */
    void completeSignIn(Exchange x, OidcProvider provider, ProviderSignIn signIn, boolean remember, Optional<String> next) {
        WebToolkit web = ctx.web();
        OidcAccounts.Outcome outcome = ctx.accounts.signIn(provider, signIn, x.client(), web.registrationRoles());
        if (outcome instanceof OidcAccounts.Refused refused) {
            ctx.refuse(x, provider, refused.messageKey(), refused.reason(), refused.userId(), ctx.loginPage());
            return;
        }
        User user = ((OidcAccounts.Accepted) outcome).user();
        if (!web.login(x, user, remember, true, next)) {
            // The provider proved one factor: a user with a second factor was sent to the second
            // step (the provider's tokens are not kept for a sign-in that has not happened yet).
            LOG.info("User {} proved the first factor with provider {}; second factor required", user.id(), provider.id());
            return;
        }
        keep(x.authentication().orElseThrow(), provider.id(), signIn, remember);
        LOG.info("Signed in user {} with provider {} (client {})", user.id(), provider.id(), OidcContext.address(x));
        ctx.proceed(x, next, true, Optional.empty());
    }

    /** Keeps the provider's tokens with the sign-in, as long as it may last. */
    void keep(Authentication auth, String providerId, ProviderSignIn signIn, boolean remembered) {
        Optional<String> family = auth.familyId();
        if (family.isEmpty()) {
            return;
        }
        Duration lifetime = ctx.config.get(SESSION_ABSOLUTE_TIMEOUT);
        if (remembered && ctx.config.get(REMEMBER_COOKIE_DURATION).compareTo(lifetime) > 0) {
            lifetime = ctx.config.get(REMEMBER_COOKIE_DURATION);
        }
        ctx.tokens.put(family.get(), auth.user().id(), new SessionTokens.Held(providerId, signIn.issuer(), signIn.subject(),
                signIn.tokens()), ctx.gatehouse.clock().instant().plus(lifetime));
    }

    /** See {@link OidcFeature#accessToken}. */
    String accessToken(Exchange x, String... scopes) {
        WebToolkit web = ctx.web();
        Set<String> wanted = new LinkedHashSet<>(Arrays.asList(scopes));
        String back = x.request().path() + x.request().queryString().map(q -> "?" + q).orElse("");
        Optional<Authentication> auth = x.authentication().or(() -> web.authenticate(x));
        Optional<String> family = auth.flatMap(Authentication::familyId);
        Optional<SessionTokens.Held> held = Optional.empty();
        if (family.isPresent()) {
            for (String id : ctx.order()) {
                held = ctx.tokens.find(family.get(), id);
                if (held.isPresent()) {
                    break;
                }
            }
        }
        if (held.isEmpty()) {
            throw new SignInRequiredException(signInUrl(back), "no provider tokens for this request's sign-in");
        }
        SessionTokens.Held current = held.get();
        OidcClient client = ctx.client(current.providerId()).orElseThrow();
        if (!current.tokens().grants(wanted)) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(current.tokens().scopes());
            throw new ConsentRequiredException(web.url(ctx.config.get(OAUTH_START_URL)) + "/" + current.providerId()
                    + "/consent?scope=" + OidcContext.encode(String.join(" ", wanted)) + "&next=" + OidcContext.encode(back),
                    missing);
        }
        if (current.tokens().expiresAt().isAfter(ctx.tokenClock.instant().plus(REFRESH_MARGIN))) {
            return current.tokens().accessToken();
        }
        if (current.tokens().refreshToken().isEmpty()) {
            throw new SignInRequiredException(signInUrl(back), "the provider's token expired and there is no refresh token");
        }
        ProviderTokens refreshed;
        try {
            refreshed = client.refresh(current.tokens().refreshToken().get(), current.tokens().scopes());
        } catch (OidcException e) {
            if (e.error() == OidcError.REAUTHENTICATE) {
                LOG.info("Provider {} refused the refresh token of user {}: sign-in required", current.providerId(),
                        auth.get().user().id());
                ctx.gatehouse.sessionData().delete(family.get(), SessionTokens.name(current.providerId()));
                throw new SignInRequiredException(signInUrl(back), "the provider refused the refresh token");
            }
            throw e;
        }
        // A refresh answer may leave out what did not change.
        ProviderTokens merged = new ProviderTokens(refreshed.accessToken(),
                refreshed.refreshToken().or(() -> current.tokens().refreshToken()),
                refreshed.idToken().or(() -> current.tokens().idToken()), refreshed.expiresAt(),
                refreshed.scopes().isEmpty() ? current.tokens().scopes() : refreshed.scopes());
        Instant keepUntil = ctx.gatehouse.sessionData().find(family.get(), SessionTokens.name(current.providerId()))
                .map(d -> d.expiresAt())
                .orElse(ctx.gatehouse.clock().instant().plus(ctx.config.get(SESSION_ABSOLUTE_TIMEOUT)));
        ctx.tokens.put(family.get(), auth.get().user().id(), new SessionTokens.Held(current.providerId(), current.issuer(),
                current.subject(), merged), keepUntil);
        return merged.accessToken();
    }

    /** See {@link OidcFeature#onLogout}. */
    Optional<String> logout(Authentication ending) {
        Optional<String> family = ending.familyId();
        if (family.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> location = Optional.empty();
        for (String id : ctx.order()) {
            Optional<SessionTokens.Held> held = ctx.tokens.find(family.get(), id);
            if (location.isEmpty() && held.isPresent() && held.get().tokens().idToken().isPresent()) {
                location = ctx.client(id).orElseThrow()
                        .logoutUri(held.get().tokens().idToken(), postLogoutUri(), Optional.empty()).map(URI::toString);
            }
        }
        ctx.tokens.deleteFamily(family.get());
        return location;
    }

    private URI postLogoutUri() {
        return URI.create(ctx.config.get(OAUTH_POST_LOGOUT_URL).orElseGet(() -> ctx.config.get(EXTERNAL_URL).orElseThrow()
                + ctx.config.get(POST_LOGOUT_VIEW)));
    }

    private String signInUrl(String back) {
        return ctx.web().url(ctx.config.get(LOGIN_URL)) + "?next=" + OidcContext.encode(back);
    }
}
