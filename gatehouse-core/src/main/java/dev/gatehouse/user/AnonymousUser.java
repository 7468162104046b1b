package dev.gatehouse.user;

import java.util.Set;

/** The identity of a request nobody has signed in to: no roles, no permissions. */
public final class AnonymousUser implements Identity {

    /** The only instance. */
    public static final AnonymousUser INSTANCE = new AnonymousUser();

    private AnonymousUser() {
    }

    @Override
    public boolean isAuthenticated() {
        return false;
    }

    @Override
    public Set<String> roleNames() {
        return Set.of();
    }

    @Override
    public Set<String> permissions() {
        return Set.of();
    }

    @Override
    public String toString() {
        return "AnonymousUser";
    }
}
