package dev.gatehouse.user;

import java.util.Set;

/**
 * Whoever is making a request: a signed-in {@link User} or the {@link AnonymousUser}.
 *
 * <p>Role checks follow Flask-Identity: {@code hasRoles("a", anyOf("b", "c"), "d")} means
 * a AND (b OR c) AND d. Implementations are immutable and thread-safe; checks allocate nothing.
 */
public sealed interface Identity permits User, AnonymousUser {

    /** {@code true} for a signed-in user, {@code false} for the anonymous user. */
    boolean isAuthenticated();

    /** Names of the roles held; empty for the anonymous user. */
    Set<String> roleNames();

    /** The union of the permissions of every role held; empty for the anonymous user. */
    Set<String> permissions();

    /** Whether the role named {@code role} is held. Role names are case-sensitive. */
    default boolean hasRole(String role) {
        return roleNames().contains(role);
    }

    /**
     * Whether every requirement is met. Each requirement is a role name ({@link String}) that must
     * be held, or an {@link AnyOf} of which at least one must be held.
     *
     * @throws IllegalArgumentException if a requirement is neither a {@code String} nor an {@code AnyOf}
     */
    default boolean hasRoles(Object... requirements) {
        boolean all = true;
        for (Object requirement : requirements) {
            // Evaluate every element so that a bad argument fails even after an unmet requirement.
            if (requirement instanceof String role) {
                all &= hasRole(role);
            } else if (requirement instanceof AnyOf anyOf) {
                all &= anyOf.isMetBy(this);
            } else {
                throw new IllegalArgumentException("hasRoles takes role names and anyOf(...) groups, not "
                        + (requirement == null ? "null" : requirement.getClass().getName()));
            }
        }
        return all;
    }

    /** Whether any held role grants {@code permission}. */
    default boolean hasPermission(String permission) {
        return permissions().contains(permission);
    }

    /** Whether at least one of {@code permissions} is granted. */
    default boolean hasAnyPermission(String... permissions) {
        for (String permission : permissions) {
            if (hasPermission(permission)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every one of {@code permissions} is granted. */
    default boolean hasAllPermissions(String... permissions) {
        for (String permission : permissions) {
            if (!hasPermission(permission)) {
                return false;
            }
        }
        return true;
    }
}
