package dev.gatehouse.user;

import java.util.List;

/**
 * An OR-group of role names for {@link Identity#hasRoles(Object...)}: met when at least one of
 * the roles is held.
 *
 * @param roles the alternatives, at least one
 */
public record AnyOf(List<String> roles) {

    public AnyOf {
        roles = List.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("anyOf needs at least one role");
        }
    }

    /** {@code anyOf("b", "c")}: b OR c. */
    public static AnyOf anyOf(String... roles) {
        return new AnyOf(List.of(roles));
    }

    boolean isMetBy(Identity identity) {
        for (int i = 0; i < roles.size(); i++) {
            if (identity.hasRole(roles.get(i))) {
                return true;
            }
        }
        return false;
    }
}
