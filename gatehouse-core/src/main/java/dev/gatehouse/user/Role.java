package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.util.Set;

/**
 * A named role with a description and the permissions it grants.
 *
 * @param name        unique, case-sensitive, 1–80 characters, no control characters
 * @param description free text, possibly empty, at most {@value #MAX_DESCRIPTION_LENGTH} characters;
 *                    {@code null} becomes empty
 * @param permissions the permissions the role grants, each 1–80 characters
 */
public record Role(String name, String description, Set<String> permissions) {

    static final int MAX_NAME_LENGTH = 80;
    /** Longest description; stores keep it in a bounded column. */
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    public Role {
        name = checkName("name", name);
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION_LENGTH || !Identifiers.isWellFormed(description)) {
            throw new InvalidInputException("description", "INVALID_ROLE", "a role description has at most "
                    + MAX_DESCRIPTION_LENGTH + " characters, without NUL characters or broken surrogate pairs");
        }
        permissions = Set.copyOf(permissions);
        for (String permission : permissions) {
            checkName("permissions", permission);
        }
    }

    /** A role with no description and no permissions. */
    public static Role named(String name) {
        return new Role(name, "", Set.of());
    }

    /** This role with {@code permissions} added. */
    public Role withPermissions(Set<String> added) {
        var all = new java.util.HashSet<>(permissions);
        all.addAll(added);
        return new Role(name, description, all);
    }

    /** This role with {@code permissions} removed. */
    public Role withoutPermissions(Set<String> removed) {
        var all = new java.util.HashSet<>(permissions);
        all.removeAll(removed);
        return new Role(name, description, all);
    }

    private static String checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "INVALID_ROLE", "role " + field + " must not be blank");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException(field, "INVALID_ROLE",
                    "role " + field + " must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl) || !value.strip().equals(value)
                || !Identifiers.isWellFormed(value)) {
            throw new InvalidInputException(field, "INVALID_ROLE",
                    "role " + field + " must not contain control characters or surrounding spaces");
        }
        return value;
    }
}
