package dev.gatehouse.user;

import java.util.Optional;

/**
 * A page request for {@link UserStore#listUsers(UserQuery)}: optional filters plus offset and
 * limit. Results are ordered by user id, ascending.
 *
 * @param role   only users holding this role
 * @param active only users with this active flag
 * @param offset how many matching users to skip, {@code >= 0}
 * @param limit  the page size, 1–1000
 */
public record UserQuery(Optional<String> role, Optional<Boolean> active, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public UserQuery {
        java.util.Objects.requireNonNull(role, "role");
        java.util.Objects.requireNonNull(active, "active");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The first {@code limit} users, unfiltered. */
    public static UserQuery firstPage(int limit) {
        return new UserQuery(Optional.empty(), Optional.empty(), 0, limit);
    }

    public UserQuery withRole(String role) {
        return new UserQuery(Optional.of(role), active, offset, limit);
    }

    public UserQuery withActive(boolean active) {
        return new UserQuery(role, Optional.of(active), offset, limit);
    }

    /** The page after this one. */
    public UserQuery next() {
        return new UserQuery(role, active, offset + limit, limit);
    }

    boolean matches(User user) {
        return role.map(user::hasRole).orElse(true) && active.map(a -> a == user.isActive()).orElse(true);
    }
}
