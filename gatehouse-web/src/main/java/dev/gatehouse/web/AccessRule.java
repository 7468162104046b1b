package dev.gatehouse.web;

import dev.gatehouse.request.Mechanism;
import dev.gatehouse.session.Authentication;
import dev.gatehouse.user.AnyOf;
import dev.gatehouse.user.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a route demands of a request: authentication (by which mechanisms), roles, permissions,
 * freshness, OAuth 2.0 scopes and the application's own checks ({@link #check}) — or, the one
 * rule that signs nobody in, that nobody is signed in ({@link #anonymous()}). Framework adapters wrap it in their own route-role type ({@code Access} in the
 * Javalin plugin). Rules combine with {@link #and(AccessRule)}: every part of both must hold.
 *
 * <p>Any rule but {@link #anonymous()} authenticates: a role or permission requirement implies that
 * the user must be signed in (Flask-Security needs {@code auth_required} on top of
 * {@code roles_required}; here it is implied). Immutable and thread-safe if its checks are.
 *
 * @param mechanisms  allowed mechanisms; empty means the configured defaults ({@code api-enabled-methods})
 * @param roles       role requirements, all of which must hold: role names and {@link AnyOf} groups
 * @param permissionsAll permissions that must all be granted
 * @param permissionsAny permissions of which one must be granted (if any are listed)
 * @param freshWithin how recently the user must have proved who they are
 * @param scopes      scopes the request's credential must all grant ({@link Authentication#scopes()}),
 *                    in the order they are named; only a mechanism that grants scopes (a bearer token)
 *                    can meet a rule that lists any
 * @param checks      the application's predicates over the authentication, all of which must hold (else 403)
 * @param anonymousOnly whether the rule admits only requests nobody is signed in with ({@link #anonymous()});
 *                    such a rule has no other part
 */
public record AccessRule(Set<Mechanism> mechanisms, List<Object> roles, List<String> permissionsAll,
        List<String> permissionsAny, Optional<Duration> freshWithin, List<String> scopes,
        List<Predicate<Authentication>> checks, boolean anonymousOnly) {

    private static final AccessRule AUTHENTICATED = new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.empty());
    private static final AccessRule ANONYMOUS = new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.empty(),
            List.of(), List.of(), true);

    public AccessRule {
        mechanisms = Set.copyOf(mechanisms);
        roles = List.copyOf(roles);
        for (Object role : roles) {
            if (!(role instanceof String) && !(role instanceof AnyOf)) {
                throw new IllegalArgumentException("roles are names or anyOf(...) groups, not " + role);
            }
        }
        permissionsAll = List.copyOf(permissionsAll);
        permissionsAny = List.copyOf(permissionsAny);
        Objects.requireNonNull(freshWithin, "freshWithin");
        scopes = List.copyOf(scopes);
        for (String scope : scopes) {
            if (!isScopeToken(scope)) {
                throw new IllegalArgumentException("a scope is 1-200 printable ASCII characters without spaces, quotes"
                        + " or backslashes (RFC 6749 3.3), not \"" + scope + "\"");
            }
        }
        checks = List.copyOf(checks);
        if (anonymousOnly && (!mechanisms.isEmpty() || !roles.isEmpty() || !permissionsAll.isEmpty()
                || !permissionsAny.isEmpty() || freshWithin.isPresent() || !scopes.isEmpty() || !checks.isEmpty())) {
            throw new IllegalArgumentException("a rule for anonymous visitors cannot also demand something of a signed-in user");
        }
    }

    /** A rule without scopes. */
    public AccessRule(Set<Mechanism> mechanisms, List<Object> roles, List<String> permissionsAll,
            List<String> permissionsAny, Optional<Duration> freshWithin) {
        this(mechanisms, roles, permissionsAll, permissionsAny, freshWithin, List.of());
    }

    /** A rule for signed-in users without checks of the application's. */
    public AccessRule(Set<Mechanism> mechanisms, List<Object> roles, List<String> permissionsAll,
            List<String> permissionsAny, Optional<Duration> freshWithin, List<String> scopes) {
        this(mechanisms, roles, permissionsAll, permissionsAny, freshWithin, scopes, List.of(), false);
    }

    /** RFC 6749's scope-token, which also keeps the name safe inside a quoted WWW-Authenticate parameter. */
    private static boolean isScopeToken(String scope) {
        if (scope.isEmpty() || scope.length() > 200) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Any authenticated user, by the default mechanisms. */
    public static AccessRule authenticated() {
        return AUTHENTICATED;
    }

    /**
     * Only visitors nobody is signed in with (by the default mechanisms), as Flask-Security's
     * {@code anonymous_user_required}: a signed-in JSON client gets 400 {@code ANONYMOUS_USER_REQUIRED},
     * a browser is redirected to {@code post-login-view}. It combines with no other requirement.
     */
    public static AccessRule anonymous() {
        return ANONYMOUS;
    }

    /**
     * Any authenticated user (by the default mechanisms) for whom {@code predicate} holds — the
     * application's own rule over the user, the mechanism, the sign-in time or the scopes
     * ({@code auth -> auth.user().email().endsWith("@example.com")}). False is a 403, as a missing
     * role is. The predicate runs on every request of the route, after roles and permissions; it
     * must be thread-safe and should not block.
     */
    public static AccessRule check(Predicate<Authentication> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.empty(), List.of(), List.of(predicate), false);
    }

    /**
     * Any user authenticated by one of these mechanisms, tried in the order they are registered
     * (token, session, basic, then those modules add).
     *
     * @throws IllegalArgumentException if none is named
     */
    public static AccessRule mechanisms(Mechanism... mechanisms) {
        if (mechanisms.length == 0) {
            throw new IllegalArgumentException("name at least one mechanism");
        }
        return new AccessRule(Set.copyOf(List.of(mechanisms)), List.of(), List.of(), List.of(), Optional.empty());
    }

    /** A user holding every listed role; each entry is a role name or an {@code anyOf(...)} group. */
    public static AccessRule rolesRequired(Object... roles) {
        return new AccessRule(Set.of(), List.of(roles), List.of(), List.of(), Optional.empty());
    }

    /** A user holding at least one of the roles. */
    public static AccessRule rolesAccepted(String... roles) {
        return new AccessRule(Set.of(), List.of(AnyOf.anyOf(roles)), List.of(), List.of(), Optional.empty());
    }

    /** A user granted every listed permission. */
    public static AccessRule permissionsRequired(String... permissions) {
        return new AccessRule(Set.of(), List.of(), List.of(permissions), List.of(), Optional.empty());
    }

    /** A user granted at least one of the permissions. */
    public static AccessRule permissionsAccepted(String... permissions) {
        return new AccessRule(Set.of(), List.of(), List.of(), List.of(permissions), Optional.empty());
    }

    /**
     * A request whose credential grants every listed OAuth 2.0 scope (RFC 6749 3.3), such as a
     * bearer token's {@code scp}; session, API-token and Basic sign-ins grant none. Lacking one is
     * a 403, with the mechanism's {@code insufficient_scope} challenge (RFC 6750 3.1).
     *
     * @throws IllegalArgumentException if none is named or a name is not an RFC 6749 scope-token
     */
    public static AccessRule scopes(String... required) {
        if (required.length == 0) {
            throw new IllegalArgumentException("name at least one scope");
        }
        return new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.empty(), List.of(required));
    }

    /** This rule, and the user must have proved who they are within {@code window}. */
    public AccessRule within(Duration window) {
        return and(new AccessRule(Set.of(), List.of(), List.of(), List.of(), Optional.of(window)));
    }

    /**
     * Both rules: mechanisms allowed by both (a rule naming none allows what the other names),
     * every role, permission, scope and check of both, the stricter freshness.
     *
     * @throws IllegalArgumentException if the two rules' mechanisms have nothing in common, or one
     *         of them is {@link #anonymous()} and the other is not
     */
    public AccessRule and(AccessRule other) {
        if (anonymousOnly || other.anonymousOnly) {
            if (anonymousOnly && other.anonymousOnly) {
                return this;
            }
            throw new IllegalArgumentException("anonymous() admits only visitors nobody is signed in with;"
                    + " it cannot be combined with a requirement for signed-in users");
        }
        Set<Mechanism> combined;
        if (mechanisms.isEmpty()) {
            combined = other.mechanisms;
        } else if (other.mechanisms.isEmpty()) {
            combined = mechanisms;
        } else {
            Set<Mechanism> both = new HashSet<>(mechanisms);
            both.retainAll(other.mechanisms);
            if (both.isEmpty()) {
                throw new IllegalArgumentException("no mechanism satisfies both " + mechanisms + " and " + other.mechanisms);
            }
            combined = both;
        }
        List<Object> allRoles = new ArrayList<>(roles);
        allRoles.addAll(other.roles);
        List<String> allPermissions = new ArrayList<>(permissionsAll);
        allPermissions.addAll(other.permissionsAll);
        List<String> anyPermissions = new ArrayList<>(permissionsAny);
        anyPermissions.addAll(other.permissionsAny);
        Optional<Duration> fresh = freshWithin.isEmpty() ? other.freshWithin
                : other.freshWithin.isEmpty() ? freshWithin
                : Optional.of(freshWithin.get().compareTo(other.freshWithin.get()) <= 0 ? freshWithin.get() : other.freshWithin.get());
        List<String> allScopes = scopes;
        if (!other.scopes.isEmpty()) {
            allScopes = new ArrayList<>(scopes);
            for (String scope : other.scopes) {
                if (!allScopes.contains(scope)) {
                    allScopes.add(scope);
                }
            }
        }
        List<Predicate<Authentication>> allChecks = new ArrayList<>(checks);
        allChecks.addAll(other.checks);
        return new AccessRule(combined, allRoles, allPermissions, anyPermissions, fresh, allScopes, allChecks, false);
    }

    /** Whether every one of the application's {@link #check checks} holds for {@code authentication}. */
    public boolean passesChecks(Authentication authentication) {
        for (int i = 0; i < checks.size(); i++) {
            if (!checks.get(i).test(authentication)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code authentication}'s credential grants every scope this rule demands. */
    public boolean isGranted(Authentication authentication) {
        if (scopes.isEmpty()) {
            return true;
        }
        Set<String> granted = authentication.scopes();
        for (int i = 0; i < scopes.size(); i++) {
            if (!granted.contains(scopes.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code identity} holds the roles and permissions this rule demands. */
    public boolean isAuthorized(Identity identity) {
        for (int i = 0; i < roles.size(); i++) {
            Object role = roles.get(i);
            if (role instanceof String name ? !identity.hasRole(name) : !identity.hasRoles(role)) {
                return false;
            }
        }
        for (int i = 0; i < permissionsAll.size(); i++) {
            if (!identity.hasPermission(permissionsAll.get(i))) {
                return false;
            }
        }
        if (permissionsAny.isEmpty()) {
            return true;
        }
        for (int i = 0; i < permissionsAny.size(); i++) {
            if (identity.hasPermission(permissionsAny.get(i))) {
                return true;
            }
        }
        return false;
    }
}
