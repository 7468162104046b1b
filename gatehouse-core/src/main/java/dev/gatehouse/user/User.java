package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.password.PasswordHashFormat;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stored user account: an immutable snapshot as read from a {@link UserStore}.
 *
 * <p>To change a user, build a modified copy with {@link #toBuilder()} and hand it to
 * {@link UserStore#updateUser(User)}, or use the store's targeted operations (roles, activation,
 * security stamp, login tracking). Role and permission checks run against sets computed once
 * at construction, so they are cheap enough for every request.
 *
 * <p>The {@linkplain #securityStamp() security stamp} is Flask-Security's {@code fs_uniquifier}:
 * every session and token of the user embeds it, so rotating it signs the user out everywhere.
 */
public final class User implements Identity {

    private final long id;
    private final String email;
    private final String username;
    private final String passwordHash;
    private final boolean active;
    private final Instant confirmedAt;
    private final String securityStamp;
    private final Instant createdAt;
    private final Instant lastLoginAt;
    private final Instant currentLoginAt;
    private final String lastLoginIp;
    private final String currentLoginIp;
    private final int loginCount;
    private final Set<Role> roles;
    private final Map<String, String> attributes;
    private final Set<String> roleNames;
    private final Set<String> permissions;

    private User(Builder b) {
        if (b.id <= 0) {
            throw new IllegalArgumentException("a stored user has a positive id, not " + b.id);
        }
        this.id = b.id;
        this.email = Objects.requireNonNull(b.email, "email");
        this.username = b.username;
        if (b.passwordHash != null && !PasswordHashFormat.isRecognized(b.passwordHash)) {
            throw new InvalidInputException("password", "PLAINTEXT_PASSWORD_REFUSED",
                    "the password must be given as a hash produced by PasswordHasher, not as plaintext");
        }
        this.passwordHash = b.passwordHash;
        this.active = b.active;
        this.confirmedAt = b.confirmedAt;
        this.securityStamp = Objects.requireNonNull(b.securityStamp, "securityStamp");
        this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
        this.lastLoginAt = b.lastLoginAt;
        this.currentLoginAt = b.currentLoginAt;
        this.lastLoginIp = b.lastLoginIp;
        this.currentLoginIp = b.currentLoginIp;
        if (b.loginCount < 0) {
            throw new IllegalArgumentException("loginCount must not be negative");
        }
        this.loginCount = b.loginCount;
        this.roles = Set.copyOf(b.roles);
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        Set<String> names = new HashSet<>();
        Set<String> perms = new HashSet<>();
        for (Role role : roles) {
            names.add(role.name());
            perms.addAll(role.permissions());
        }
        this.roleNames = Set.copyOf(names);
        this.permissions = Set.copyOf(perms);
    }

    /** A builder for a user with the given id; the store assigns ids. */
    public static Builder builder(long id) {
        return new Builder(id);
    }

    /** A builder pre-filled with this user's values. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.email = email;
        b.username = username;
        b.passwordHash = passwordHash;
        b.active = active;
        b.confirmedAt = confirmedAt;
        b.securityStamp = securityStamp;
        b.createdAt = createdAt;
        b.lastLoginAt = lastLoginAt;
        b.currentLoginAt = currentLoginAt;
        b.lastLoginIp = lastLoginIp;
        b.currentLoginIp = currentLoginIp;
        b.loginCount = loginCount;
        b.roles = new HashSet<>(roles);
        b.attributes = new LinkedHashMap<>(attributes);
        return b;
    }

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    /** The store-assigned identifier, positive. */
    public long id() {
        return id;
    }

    /** The email address as entered; compared case-insensitively. */
    public String email() {
        return email;
    }

    /** The optional username, unique case-insensitively. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The self-describing password hash; empty for users who sign in without a password
     * (passwordless or external identity providers).
     */
    public Optional<String> passwordHash() {
        return Optional.ofNullable(passwordHash);
    }

    /** Inactive users never authenticate. */
    public boolean isActive() {
        return active;
    }

    /** When the email address was confirmed, if it was. */
    public Optional<Instant> confirmedAt() {
        return Optional.ofNullable(confirmedAt);
    }

    /** Flask-Security's {@code fs_uniquifier}: random, unique, rotated to end every session and token. */
    public String securityStamp() {
        return securityStamp;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When the sign-in before the current one happened (login tracking). */
    public Optional<Instant> lastLoginAt() {
        return Optional.ofNullable(lastLoginAt);
    }

    /** When the most recent sign-in happened (login tracking). */
    public Optional<Instant> currentLoginAt() {
        return Optional.ofNullable(currentLoginAt);
    }

    public Optional<String> lastLoginIp() {
        return Optional.ofNullable(lastLoginIp);
    }

    public Optional<String> currentLoginIp() {
        return Optional.ofNullable(currentLoginIp);
    }

    /** How many times the user signed in (login tracking). */
    public int loginCount() {
        return loginCount;
    }

    /** The roles held. */
    public Set<Role> roles() {
        return roles;
    }

    @Override
    public Set<String> roleNames() {
        return roleNames;
    }

    @Override
    public Set<String> permissions() {
        return permissions;
    }

    /** Application profile attributes (e.g. {@code display_name}), in insertion order. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** One profile attribute. */
    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof User u)) {
            return false;
        }
        return id == u.id && active == u.active && loginCount == u.loginCount
                && email.equals(u.email) && Objects.equals(username, u.username)
                && Objects.equals(passwordHash, u.passwordHash) && Objects.equals(confirmedAt, u.confirmedAt)
                && securityStamp.equals(u.securityStamp) && createdAt.equals(u.createdAt)
                && Objects.equals(lastLoginAt, u.lastLoginAt) && Objects.equals(currentLoginAt, u.currentLoginAt)
                && Objects.equals(lastLoginIp, u.lastLoginIp) && Objects.equals(currentLoginIp, u.currentLoginIp)
                && roles.equals(u.roles) && attributes.equals(u.attributes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + securityStamp.hashCode();
    }

    /** Identifies the user without revealing secrets: no hash, no security stamp. */
    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + ", active=" + active + ", roles=" + roleNames + "]";
    }

    /** Builds {@link User} snapshots; used by stores and by code preparing an update. Not thread-safe. */
    public static final class Builder {
        private final long id;
        private String email;
        private String username;
        private String passwordHash;
        private boolean active = true;
        private Instant confirmedAt;
        private String securityStamp;
        private Instant createdAt;
        private Instant lastLoginAt;
        private Instant currentLoginAt;
        private String lastLoginIp;
        private String currentLoginIp;
        private int loginCount;
        private Set<Role> roles = new HashSet<>();
        private Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(long id) {
            this.id = id;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
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

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder lastLoginAt(Instant lastLoginAt) {
            this.lastLoginAt = lastLoginAt;
            return this;
        }

        public Builder currentLoginAt(Instant currentLoginAt) {
            this.currentLoginAt = currentLoginAt;
            return this;
        }

        public Builder lastLoginIp(String lastLoginIp) {
            this.lastLoginIp = lastLoginIp;
            return this;
        }

        public Builder currentLoginIp(String currentLoginIp) {
            this.currentLoginIp = currentLoginIp;
            return this;
        }

        public Builder loginCount(int loginCount) {
            this.loginCount = loginCount;
            return this;
        }

        public Builder roles(Set<Role> roles) {
            this.roles = new HashSet<>(roles);
            return this;
        }

        public Builder addRole(Role role) {
            this.roles.removeIf(r -> r.name().equals(role.name()));
            this.roles.add(role);
            return this;
        }

        public Builder attributes(Map<String, String> attributes) {
            this.attributes = new LinkedHashMap<>(attributes);
            return this;
        }

        public Builder attribute(String name, String value) {
            this.attributes.put(name, value);
            return this;
        }

        public User build() {
            return new User(this);
        }
    }
}
