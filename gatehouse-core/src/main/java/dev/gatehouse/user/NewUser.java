package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.password.PasswordHashFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link UserStore#createUser(NewUser)} needs to create an account.
 *
 * <p>The password is given as a hash ({@code PasswordHasher#hash}); a value that is not a
 * recognized self-describing hash is refused, so a plaintext password can never be stored by
 * mistake. Build with {@link #builder(String)}.
 *
 * @param email         the address, validated by {@link Identifiers#checkEmail(String)}
 * @param username      optional username, validated by {@link Identifiers#checkUsername(String)}
 * @param passwordHash  optional hash; absent for passwordless or external users
 * @param active        whether the user may sign in (default {@code true})
 * @param confirmedAt   when the address was confirmed, if it was
 * @param securityStamp optional stamp to keep (migrations); a fresh random one otherwise
 * @param roleNames     names of existing roles to grant
 * @param attributes    application profile attributes
 */
public record NewUser(
        String email,
        Optional<String> username,
        Optional<String> passwordHash,
        boolean active,
        Optional<Instant> confirmedAt,
        Optional<String> securityStamp,
        Set<String> roleNames,
        Map<String, String> attributes) {

    public NewUser {
        email = Identifiers.checkEmail(email);
        username = username.map(Identifiers::checkUsername);
        passwordHash.ifPresent(hash -> {
            if (!PasswordHashFormat.isRecognized(hash)) {
                throw new InvalidInputException("password", "PLAINTEXT_PASSWORD_REFUSED",
                        "the password must be given as a hash produced by PasswordHasher, not as plaintext");
            }
        });
        securityStamp = securityStamp.map(SecurityStamps::check);
        roleNames = Set.copyOf(roleNames);
        attributes = Identifiers.checkAttributes(attributes);
    }

    /** Starts a new user with the given email address. */
    public static Builder builder(String email) {
        return new Builder(email);
    }

    /** Builds {@link NewUser}; not thread-safe. */
    public static final class Builder {
        private final String email;
        private String username;
        private String passwordHash;
        private boolean active = true;
        private Instant confirmedAt;
        private String securityStamp;
        private Set<String> roleNames = Set.of();
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(String email) {
            this.email = email;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder passwordHash(String passwordHash) {
            this.passwordHash = passwordHash;
            return this;
        }

        public Builder active(boolean active) {
            this.active = active;
            return this;
        }

        public Builder confirmedAt(Instant confirmedAt) {
            this.confirmedAt = confirmedAt;
            return this;
        }

        public Builder securityStamp(String securityStamp) {
            this.securityStamp = securityStamp;
            return this;
        }

        public Builder roles(String... roleNames) {
            this.roleNames = Set.of(roleNames);
            return this;
        }

        public Builder roles(Set<String> roleNames) {
            this.roleNames = Set.copyOf(roleNames);
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

        public NewUser build() {
            return new NewUser(email, Optional.ofNullable(username), Optional.ofNullable(passwordHash), active,
                    Optional.ofNullable(confirmedAt), Optional.ofNullable(securityStamp), roleNames, attributes);
        }
    }
}
