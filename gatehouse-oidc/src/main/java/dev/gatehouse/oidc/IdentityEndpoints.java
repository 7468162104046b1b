package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.FRESHNESS;

import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.request.Mechanism;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.User;
import dev.gatehouse.web.AccessRule;
import dev.gatehouse.web.Exchange;
import dev.gatehouse.web.WebRequest;
import dev.gatehouse.web.WebResponse;
import dev.gatehouse.web.WebRoute;
import dev.gatehouse.web.WebToolkit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user's linked identities ({@code oauth-identities-url}): the list (JSON and page),
 * the start of linking another provider (a fresh session, as a password change needs; the callback
 * finishes it) and unlinking one, never the last way to sign in. Thread-safe.
 */
final class IdentityEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityEndpoints.class);

    private final OidcContext ctx;
    private final ProviderFlows flows;

    IdentityEndpoints(OidcContext ctx, ProviderFlows flows) {
        this.ctx = ctx;
        this.flows = flows;
    }

    List<WebRoute> routes() {
        String identities = ctx.identitiesPage();
        return List.of(
                new WebRoute("GET", identities, this::list),
                new WebRoute("POST", identities + "/{provider}/link", this::startLink),
                new WebRoute("POST", identities + "/unlink", this::unlink));
    }

    private void list(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated())) {
            return;
        }
        Map<String, Object> model = model(x, x.authentication().orElseThrow().user());
        if (x.wantsJson()) {
            web.json(x, 200, model);
        } else {
            web.render(x, 200, "gatehouse/linked_identities", model);
        }
    }

    /** Linking another provider from the account page: a fresh session, as a password change needs. */
    private void startLink(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.mechanisms(Mechanism.SESSION).within(ctx.config.get(FRESHNESS)))) {
            return;
        }
        Optional<OidcClient> client = ctx.clientAt(request.path(), ctx.identitiesPage(), "/link");
        if (client.isEmpty()) {
            ctx.notFound(x);
            return;
        }
        User user = x.authentication().orElseThrow().user();
        flows.start(x, client.get(), FlowState.Purpose.LINK, Set.of(), Optional.of(ctx.identitiesPage()), false,
                Optional.of(user.id()));
    }

    private void unlink(WebRequest request, WebResponse response) {
        WebToolkit web = ctx.web();
        Exchange x = web.exchange(request, response);
        if (!web.enforce(x, AccessRule.authenticated().within(ctx.config.get(FRESHNESS)))) {
            return;
        }
        User user = x.authentication().orElseThrow().user();
        String issuer = x.field("issuer").orElse("");
        String subject = x.field("subject").orElse("");
        List<ExternalIdentity> linked = ctx.gatehouse.externalIdentities().listForUser(user.id());
        Optional<ExternalIdentity> target = linked.stream()
                .filter(i -> i.issuer().equals(issuer) && i.subject().equals(subject)).findFirst();
        if (target.isEmpty()) {
            ctx.fail(x, x.text("OAUTH_IDENTITY_NOT_FOUND", Map.of()), ctx.identitiesPage());
            return;
        }
        // The account must keep a way in: a password, or another linked identity.
        if (user.passwordHash().isEmpty() && linked.size() <= 1) {
            ctx.fail(x, x.text("OAUTH_LAST_WAY_TO_SIGN_IN", Map.of()), ctx.identitiesPage());
            return;
        }
        String provider = target.get().provider();
        ctx.gatehouse.externalIdentities().unlink(user.id(), issuer, subject);
        ctx.gatehouse.events().publish(new AccountEvent.ExternalIdentityUnlinked(
                EventContext.of(ctx.gatehouse.clock().instant(), user.id(), x.client()), provider, issuer));
        LOG.info("User {} removed a linked identity of provider {}", user.id(), provider);
        if (x.wantsJson()) {
            web.json(x, 200, model(x, user));
        } else {
            web.flash(x, "success", x.text("OAUTH_UNLINKED", Map.of("provider", ctx.displayName(provider))));
            web.redirect(x, ctx.identitiesPage());
        }
    }

    /** The identities, the providers to link and the unlink form's target, for JSON and the page alike. */
    private Map<String, Object> model(Exchange x, User user) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ExternalIdentity identity : ctx.gatehouse.externalIdentities().listForUser(user.id())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("provider", identity.provider());
            entry.put("display_name", ctx.displayName(identity.provider()));
            entry.put("issuer", identity.issuer());
            entry.put("subject", identity.subject());
            entry.put("email", identity.email().orElse(""));
            entry.put("linked_at", identity.linkedAt().toString());
            identity.lastSignInAt().ifPresent(at -> entry.put("last_sign_in_at", at.toString()));
            listed.add(entry);
        }
        String identities = ctx.identitiesPage();
        List<Map<String, Object>> providers = new ArrayList<>();
        for (String id : ctx.order()) {
            providers.add(Map.of("name", id, "display_name", ctx.displayName(id), "link_url", identities + "/" + id + "/link"));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("identities", listed);
        model.put("providers", providers);
        model.put("unlink_url", identities + "/unlink");
        model.put("csrf_token", ctx.web().csrfToken(x));
        return model;
    }
}
