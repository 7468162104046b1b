package dev.gatehouse.oidc;

import static dev.gatehouse.config.Settings.CONFIRMABLE;
import static dev.gatehouse.config.Settings.LOGIN_WITHOUT_CONFIRMATION;
import static dev.gatehouse.config.Settings.REGISTERABLE;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_CREATE_ACCOUNTS;
import static dev.gatehouse.oidc.OidcWebSettings.OAUTH_LINK_VERIFIED_EMAIL;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.event.AccountEvent;
import dev.gatehouse.event.EventContext;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.DuplicateExternalIdentityException;
import dev.gatehouse.user.DuplicateUserException;
import dev.gatehouse.user.ExternalIdentity;
import dev.gatehouse.user.ExternalIdentityStore;
import dev.gatehouse.user.NewUser;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a provider's sign-in is here (issue 12, "Accounts: linking external identities"; ASVS 6.8):
 * the identity is keyed by (issuer, subject), never by email alone.
 * <ol>
 *   <li>Linked: that account.</li>
 *   <li>Not linked, no email, or an email the provider did not verify: refused, with the same
 *       answer whether or not an account has that address (no enumeration; an unverified email
 *       neither links nor creates an account, so it never counts as confirmed).</li>
 *   <li>Verified email of an existing account: linked only with {@code oauth-link-verified-email};
 *       otherwise refused, telling the user to sign in with the password and link from the account
 *       page (told only to the address's verified owner, as registration's email would).</li>
 *   <li>Verified email of no account: created when {@code registerable} and
 *       {@code oauth-create-accounts}, confirmed, without a password, with the registration roles.</li>
 * </ol>
 * Then the account must be allowed to sign in as with a password: active, not locked, confirmed when
 * required, and without a second factor (which a provider's sign-in does not pass). The provider's
 * role claim then grants and revokes the provider's mapped roles. Knows nothing of HTTP. Thread-safe.
 */
final class OidcAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(OidcAccounts.class);

    /** What became of a provider's sign-in. */
    sealed interface Outcome {
    }

    /** The account to sign in. */
    record Accepted(User user) implements Outcome {
    }

    /**
     * No sign-in.
     *
     * @param messageKey what the user is told (with the provider's name as {@code provider})
     * @param reason     for the log and the {@code authentication_failed} event
     * @param userId     the account concerned, if one is
     */
    record Refused(String messageKey, String reason, Optional<Long> userId) implements Outcome {
    }

    private final Gatehouse gatehouse;
    private final GatehouseConfig config;
    private final UserStore users;
    private final ExternalIdentityStore identities;

    OidcAccounts(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
        this.config = gatehouse.config();
        this.users = gatehouse.users();
        this.identities = gatehouse.externalIdentities();
    }

    /** The account a sign-in with {@code provider} opens; links or creates it as the class documentation says. */
    Outcome signIn(OidcProvider provider, ProviderSignIn signIn, ClientInfo client, Set<String> registrationRoles) {
        Instant now = gatehouse.clock().instant();
        Optional<ExternalIdentity> linked = identities.find(signIn.issuer(), signIn.subject());
        if (linked.isPresent()) {
            Optional<User> user = users.findUserById(linked.get().userId());
            if (user.isEmpty()) {
                return refused(client, "IDENTITY_NOT_REGISTERED", "LINKED_USER_MISSING", Optional.empty());
            }
            return admitted(provider, signIn, user.get(), false, client);
        }
        Optional<String> email = signIn.email().map(String::strip).filter(e -> !e.isEmpty());
        if (email.isEmpty()) {
            return refused(client, "OAUTH_EMAIL_MISSING", "EMAIL_MISSING", Optional.empty());
        }
        if (!signIn.emailVerified()) {
            return refused(client, "OAUTH_EMAIL_NOT_VERIFIED", "EMAIL_NOT_VERIFIED", Optional.empty());
        }
        Optional<User> owner = users.findUserByEmail(email.get());
        if (owner.isPresent()) {
            if (!config.get(OAUTH_LINK_VERIFIED_EMAIL)) {
                return refused(client, "OAUTH_LINK_REQUIRED", "NOT_LINKED", Optional.of(owner.get().id()));
            }
            return admitted(provider, signIn, owner.get(), true, client);
        }
        if (!config.get(REGISTERABLE) || !config.get(OAUTH_CREATE_ACCOUNTS)) {
            return refused(client, "IDENTITY_NOT_REGISTERED", "NO_ACCOUNT", Optional.empty());
        }
        User created;
        try {
            created = users.createUser(NewUser.builder(Identifiers.checkEmail(email.get())).confirmedAt(now)
                    .roles(registrationRoles).build());
        } catch (InvalidInputException e) {
            return refused(client, "OAUTH_EMAIL_MISSING", "EMAIL_INVALID", Optional.empty());
        } catch (DuplicateUserException e) {
            // Someone registered the address a moment ago: as for an existing account.
            return refused(client, "OAUTH_LINK_REQUIRED", "NOT_LINKED", Optional.empty());
        }
        LOG.info("Created user {} at a first sign-in with provider {}", created.id(), provider.id());
        gatehouse.events().publish(new AccountEvent.UserRegistered(EventContext.of(now, created.id(), client),
                created.email(), false));
        return admitted(provider, signIn, created, true, client);
    }

    /** The account's own rules, then the link (if new), the roles and the identity's sign-in time. */
    private Outcome admitted(OidcProvider provider, ProviderSignIn signIn, User user, boolean link, ClientInfo client) {
        Optional<Long> id = Optional.of(user.id());
        if (!user.isActive()) {
            return refused(client, "DISABLED_ACCOUNT", "DISABLED", id);
        }
        if (gatehouse.lockout().status(user.id(), client).isPresent()) {
            return refused(client, "LOCKED_OUT_EMAIL", "LOCKED_OUT", id);
        }
        if (config.get(CONFIRMABLE) && !config.get(LOGIN_WITHOUT_CONFIRMATION) && user.confirmedAt().isEmpty()) {
            return refused(client, "CONFIRMATION_REQUIRED", "CONFIRMATION_REQUIRED", id);
        }
        // A user with a second factor is admitted to the first step only: the web layer's
        // WebToolkit#login answers with the second step (tf_required) instead of a session.
        Instant now = gatehouse.clock().instant();
        if (link) {
            try {
                identities.link(ExternalIdentity.linked(user.id(), provider.id(), signIn.issuer(), signIn.subject(),
                        signIn.email(), now));
            } catch (DuplicateExternalIdentityException e) {
                return refused(client, "OAUTH_ALREADY_LINKED", "ALREADY_LINKED", id);
            }
            gatehouse.events().publish(new AccountEvent.ExternalIdentityLinked(EventContext.of(now, user.id(), client),
                    provider.id(), signIn.issuer()));
        }
        User mapped = applyRoles(provider, signIn, user);
        identities.recordSignIn(signIn.issuer(), signIn.subject(), now);
        return new Accepted(mapped);
    }

    /**
     * Links a provider's identity to the signed-in {@code user} (from the account page).
     *
     * @return empty when linked (or already linked to this user); the refusal otherwise
     */
    Optional<Refused> link(OidcProvider provider, ProviderSignIn signIn, User user, ClientInfo client) {
        Optional<ExternalIdentity> found = identities.find(signIn.issuer(), signIn.subject());
        if (found.isPresent()) {
            return found.get().userId() == user.id() ? Optional.empty()
                    : Optional.of(refusedLink(client, user, "ALREADY_LINKED"));
        }
        Instant now = gatehouse.clock().instant();
        try {
            identities.link(ExternalIdentity.linked(user.id(), provider.id(), signIn.issuer(), signIn.subject(),
                    signIn.email(), now));
        } catch (DuplicateExternalIdentityException e) {
            return Optional.of(refusedLink(client, user, "ALREADY_LINKED"));
        }
        gatehouse.events().publish(new AccountEvent.ExternalIdentityLinked(EventContext.of(now, user.id(), client),
                provider.id(), signIn.issuer()));
        applyRoles(provider, signIn, user);
        return Optional.empty();
    }

    private Refused refusedLink(ClientInfo client, User user, String reason) {
        LOG.info("Link of a provider identity refused ({}) for user {}", reason, user.id());
        return new Refused("OAUTH_ALREADY_LINKED", reason, Optional.of(user.id()));
    }

    /** Grants the provider's mapped roles its role claim names, revokes those it does not; others stay. */
    User applyRoles(OidcProvider provider, ProviderSignIn signIn, User user) {
        if (provider.roleClaim().isEmpty()) {
            return user;
        }
        User current = user;
        for (String role : provider.mappedRoles()) {
            boolean granted = signIn.roleClaimValues().contains(role);
            boolean held = current.roleNames().contains(role);
            if (granted && !held) {
                users.findOrCreateRole(role);
                current = users.addRoleToUser(current.id(), role);
                LOG.info("Granted role {} to user {} from the {} claim of provider {}", role, current.id(),
                        provider.roleClaim().get(), provider.id());
            } else if (!granted && held) {
                current = users.removeRoleFromUser(current.id(), role);
                LOG.info("Revoked role {} from user {}: absent from the {} claim of provider {}", role, current.id(),
                        provider.roleClaim().get(), provider.id());
            }
        }
        return current;
    }

    private Refused refused(ClientInfo client, String messageKey, String reason, Optional<Long> userId) {
        gatehouse.events().publish(new AccountEvent.AuthenticationFailed(
                new EventContext(gatehouse.clock().instant(), userId, client), "OIDC_" + reason));
        return new Refused(messageKey, reason, userId);
    }
}
