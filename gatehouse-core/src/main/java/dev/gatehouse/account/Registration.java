package dev.gatehouse.account;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a visitor asks for when creating an account: Flask-Security's register form, after the
 * web layer has parsed and validated the application's extra fields.
 *
 * @param email      the email address, unchecked
 * @param username   a username, when usernames are enabled and one was given
 * @param password   the chosen password in plain text; checked against the policy, then hashed
 * @param attributes profile attributes from the application's extra registration fields
 * @param roleNames  roles the new account starts with (existing roles only)
 */
public record Registration(String email, Optional<String> username, String password,
        Map<String, String> attributes, Set<String> roleNames) {

    public Registration {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        attributes = Map.copyOf(attributes);
        roleNames = Set.copyOf(roleNames);
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "Registration[email=" + email + ", username=" + username + ", attributes=" + attributes.keySet()
                + ", roleNames=" + roleNames + "]";
    }
}
