package dev.gatehouse.cli;

import dev.gatehouse.user.Role;
import dev.gatehouse.user.User;
import dev.gatehouse.user.UserStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finding what a command line names, with the messages operators see when it is not there. */
final class Lookups {

    private Lookups() {
    }

    /**
     * The user named by {@code reference}: an email address (it contains {@code @}) or a username
     * (which never does), both compared case-insensitively.
     */
    static User user(UserStore store, String reference) {
        if (reference.contains("@")) {
            return store.findUserByEmail(reference).orElseThrow(
                    () -> CliException.failure("NO_SUCH_USER", "no user with email " + reference));
        }
        return store.findUserByUsername(reference).orElseThrow(
                () -> CliException.failure("NO_SUCH_USER", "no user with username " + reference));
    }

    static Role role(UserStore store, String name) {
        return store.findRole(name).orElseThrow(() -> CliException.failure("NO_SUCH_ROLE", "no role named " + name));
    }

    /** Permissions as given: each argument may itself be a comma-separated list, as Flask-Security's CLI takes them. */
    static Set<String> permissions(List<String> arguments) {
        Set<String> permissions = new LinkedHashSet<>();
        if (arguments != null) {
            for (String argument : arguments) {
                for (String permission : argument.split(",")) {
                    if (!permission.isBlank()) {
                        permissions.add(permission.strip());
                    }
                }
            }
        }
        return permissions;
    }

    /** "1 user", "2 users". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
