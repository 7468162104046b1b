package dev.gatehouse.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registration form, as the web layer read it: nothing here is validated yet
 * ({@link RegistrationFlow#register} does that).
 *
 * @param email           the email address
 * @param username        the username, when usernames are enabled and one was given
 * @param password        the password
 * @param passwordConfirm the retyped password, when the form has that field (HTML forms do; JSON
 *                        clients may leave it out, as with Flask-Security)
 * @param attributes      application-defined profile fields the web layer already validated,
 *                        stored as user attributes (names {@code [a-z][a-z0-9_]{0,63}})
 * @param roles           roles every self-registered account starts with, chosen by the application
 *                        (never by the visitor); they must exist
 */
public record Registration(String email, Optional<String> username, String password, Optional<String> passwordConfirm,
                           Map<String, String> attributes, Set<String> roles) {

    public Registration {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordConfirm, "passwordConfirm");
        // In the order given: attributes are stored in that order.
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        roles = Set.copyOf(roles);
    }

    /** A registration of {@code email} with {@code password}; add the rest with the builder. */
    public static Builder builder(String email, String password) {
        return new Builder(email, password);
    }

    /** Never shows the passwords. */
    @Override
    public String toString() {
        return "Registration[email=" + email + ", username=" + username.orElse("-") + ", attributes="
                + attributes.keySet() + ", roles=" + roles + "]";
    }

    /** Builds a {@link Registration}; not thread-safe. */
    public static final class Builder {
        private final String email;
        private final String password;
        private String username;
        private String passwordConfirm;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private Set<String> roles = Set.of();

        private Builder(String email, String password) {
            this.email = email;
            this.password = password;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder passwordConfirm(String passwordConfirm) {
            this.passwordConfirm = passwordConfirm;
            return this;
        }

        public Builder attribute(String name, String value) {
            this.attributes.put(name, value);
            return this;
        }

        public Builder attributes(Map<String, String> attributes) {
            this.attributes.putAll(attributes);
            return this;
        }

        /** Roles the new account starts with; existing roles, named by the application. */
        public Builder roles(Set<String> roles) {
            this.roles = Set.copyOf(roles);
            return this;
        }

        public Registration build() {
            return new Registration(email, Optional.ofNullable(username), password, Optional.ofNullable(passwordConfirm),
                    attributes, roles);
        }
    }
}
