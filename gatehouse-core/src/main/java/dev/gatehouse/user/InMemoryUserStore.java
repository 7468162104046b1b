package dev.gatehouse.user;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link UserStore} kept in memory, for tests and prototypes. Everything is lost when the
 * process ends.
 *
 * <p>Thread-safe: every operation holds one lock, which makes each one atomic and keeps the
 * uniqueness indexes consistent. Reads take the same lock; this store is not meant for heavy
 * concurrent production traffic.
 */
public final class InMemoryUserStore implements UserStore {

    private final Clock clock;
    private final Object lock = new Object();
    private final TreeMap<Long, User> users = new TreeMap<>();
    private final Map<String, Long> byEmail = new HashMap<>();
    private final Map<String, Long> byUsername = new HashMap<>();
    private final Map<String, Long> byStamp = new HashMap<>();
    private final TreeMap<String, Role> roles = new TreeMap<>();
    private long nextId = 1;

    /** A store whose timestamps come from the system clock. */
    public InMemoryUserStore() {
        this(Clock.systemUTC());
    }

    /** A store whose {@code createdAt} timestamps come from {@code clock}. */
    public InMemoryUserStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<User> findUserById(long id) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(id));
        }
    }

    @Override
    public Optional<User> findUserByEmail(String email) {
        Objects.requireNonNull(email, "email");
        synchronized (lock) {
            return Optional.ofNullable(byEmail.get(Identifiers.emailKey(email))).map(users::get);
        }
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        Objects.requireNonNull(username, "username");
        synchronized (lock) {
            return Optional.ofNullable(byUsername.get(Identifiers.usernameKey(username))).map(users::get);
        }
    }

    @Override
    public Optional<User> findUserBySecurityStamp(String securityStamp) {
        Objects.requireNonNull(securityStamp, "securityStamp");
        synchronized (lock) {
            return Optional.ofNullable(byStamp.get(securityStamp)).map(users::get);
        }
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        Objects.requireNonNull(query, "query");
        synchronized (lock) {
            List<User> matching = users.values().stream().filter(query::matches).toList();
            int from = Math.min(query.offset(), matching.size());
            int to = (int) Math.min((long) query.offset() + query.limit(), matching.size());
            return new Page<>(matching.subList(from, to), matching.size(), query);
        }
    }

    @Override
    public User createUser(NewUser newUser) {
        Objects.requireNonNull(newUser, "newUser");
        Optional<Instant> confirmedAt = newUser.confirmedAt().map(at -> StoreLimits.instant("confirmed_at", at));
        synchronized (lock) {
            String emailKey = Identifiers.emailKey(newUser.email());
            if (byEmail.containsKey(emailKey)) {
                throw new DuplicateUserException("email");
            }
            Optional<String> usernameKey = newUser.username().map(Identifiers::usernameKey);
            if (usernameKey.isPresent() && byUsername.containsKey(usernameKey.get())) {
                throw new DuplicateUserException("username");
            }
            String stamp = newUser.securityStamp().orElseGet(SecurityStamps::generate);
            if (byStamp.containsKey(stamp)) {
                throw stampInUse();
            }
            Set<Role> granted = resolveRoles(newUser.roleNames());
            User user = User.builder(nextId)
                    .email(newUser.email())
                    .username(newUser.username().orElse(null))
                    .passwordHash(newUser.passwordHash().orElse(null))
                    .active(newUser.active())
                    .confirmedAt(confirmedAt.orElse(null))
                    .securityStamp(stamp)
                    .createdAt(StoreLimits.instant("created_at", clock.instant()))
                    .roles(granted)
                    .attributes(newUser.attributes())
                    .build();
            nextId++;
            put(user);
            return user;
        }
    }

    @Override
    public User updateUser(User user) {
        Objects.requireNonNull(user, "user");
        synchronized (lock) {
            User old = existing(user.id());
            String email = Identifiers.checkEmail(user.email());
            Long emailOwner = byEmail.get(Identifiers.emailKey(email));
            if (emailOwner != null && emailOwner != user.id()) {
                throw new DuplicateUserException("email");
            }
            Optional<String> username = user.username().map(Identifiers::checkUsername);
            Long usernameOwner = username.map(u -> byUsername.get(Identifiers.usernameKey(u))).orElse(null);
            if (usernameOwner != null && usernameOwner != user.id()) {
                throw new DuplicateUserException("username");
            }
            SecurityStamps.check(user.securityStamp());
            Long stampOwner = byStamp.get(user.securityStamp());
            if (stampOwner != null && stampOwner != user.id()) {
                throw stampInUse();
            }
            Set<String> roleNames = user.roleNames();
            User updated = user.toBuilder()
                    .email(email)
                    .username(username.orElse(null))
                    .confirmedAt(user.confirmedAt().map(at -> StoreLimits.instant("confirmed_at", at)).orElse(null))
                    .lastLoginAt(user.lastLoginAt().map(at -> StoreLimits.instant("last_login_at", at)).orElse(null))
                    .currentLoginAt(user.currentLoginAt().map(at -> StoreLimits.instant("current_login_at", at)).orElse(null))
                    .lastLoginIp(user.lastLoginIp().map(StoreLimits::ipAddress).orElse(null))
                    .currentLoginIp(user.currentLoginIp().map(StoreLimits::ipAddress).orElse(null))
                    .createdAt(old.createdAt())
                    .roles(resolveRoles(roleNames))
                    .attributes(Identifiers.checkAttributes(user.attributes()))
                    .build();
            remove(old);
            put(updated);
            return updated;
        }
    }

    @Override
    public boolean deleteUser(long userId) {
        synchronized (lock) {
            User user = users.get(userId);
            if (user == null) {
                return false;
            }
            remove(user);
            return true;
        }
    }

    @Override
    public boolean activate(long userId) {
        return setActive(userId, true);
    }

    @Override
    public boolean deactivate(long userId) {
        return setActive(userId, false);
    }

    private boolean setActive(long userId, boolean active) {
        synchronized (lock) {
            User user = existing(userId);
            if (user.isActive() == active) {
                return false;
            }
            replace(user, user.toBuilder().active(active).build());
            return true;
        }
    }

    @Override
    public User toggleActive(long userId) {
        synchronized (lock) {
            User user = existing(userId);
            return replace(user, user.toBuilder().active(!user.isActive()).build());
        }
    }

    @Override
    public User setSecurityStamp(long userId, String securityStamp) {
        Objects.requireNonNull(securityStamp, "securityStamp");
        SecurityStamps.check(securityStamp);
        synchronized (lock) {
            User user = existing(userId);
            Long owner = byStamp.get(securityStamp);
            if (owner != null && owner != userId) {
                throw stampInUse();
            }
            return replace(user, user.toBuilder().securityStamp(securityStamp).build());
        }
    }

    @Override
    public User setPasswordHash(long userId, String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        synchronized (lock) {
            User user = existing(userId);
            return replace(user, user.toBuilder().passwordHash(passwordHash).build());
        }
    }

    @Override
    public User patchUser(long userId, UserPatch patch) {
        Objects.requireNonNull(patch, "patch");
        synchronized (lock) {
            User user = existing(userId);
            if (patch.email().isPresent()) {
                Long owner = byEmail.get(Identifiers.emailKey(patch.email().get()));
                if (owner != null && owner != userId) {
                    throw new DuplicateUserException("email");
                }
            }
            if (patch.username().isPresent()) {
                Long owner = byUsername.get(Identifiers.usernameKey(patch.username().get()));
                if (owner != null && owner != userId) {
                    throw new DuplicateUserException("username");
                }
            }
            if (patch.securityStamp().isPresent()) {
                Long owner = byStamp.get(patch.securityStamp().get());
                if (owner != null && owner != userId) {
                    throw stampInUse();
                }
            }
            return patch.isEmpty() ? user : replace(user, patch.applyTo(user));
        }
    }

    @Override
    public User recordLogin(long userId, Instant at, Optional<String> ip) {
        Instant loginAt = StoreLimits.instant("at", at);
        Optional<String> loginIp = ip.map(StoreLimits::ipAddress);
        synchronized (lock) {
            User user = existing(userId);
            return replace(user, user.toBuilder()
                    .lastLoginAt(user.currentLoginAt().orElse(loginAt))
                    .lastLoginIp(user.currentLoginIp().orElse(ip.orElse(null)))
                    .currentLoginAt(loginAt)
                    .currentLoginIp(loginIp.orElse(null))
                    .loginCount(user.loginCount() + 1)
                    .build());
        }
    }

    @Override
    public Optional<Role> findRole(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            return Optional.ofNullable(roles.get(name));
        }
    }

    @Override
    public List<Role> listRoles() {
        synchronized (lock) {
            return List.copyOf(roles.values());
        }
    }

    @Override
    public Role createRole(Role role) {
        Objects.requireNonNull(role, "role");
        synchronized (lock) {
            if (roles.containsKey(role.name())) {
                throw new DuplicateRoleException(role.name());
            }
            roles.put(role.name(), role);
            return role;
        }
    }

    @Override
    public Role findOrCreateRole(String name) {
        Objects.requireNonNull(name, "name");
        Role candidate = Role.named(name);
        synchronized (lock) {
            return roles.computeIfAbsent(candidate.name(), n -> candidate);
        }
    }

    @Override
    public Role updateRole(Role role) {
        Objects.requireNonNull(role, "role");
        synchronized (lock) {
            if (!roles.containsKey(role.name())) {
                throw new NoSuchRoleException(role.name());
            }
            roles.put(role.name(), role);
            for (User user : List.copyOf(users.values())) {
                if (user.hasRole(role.name())) {
                    replace(user, user.toBuilder().addRole(role).build());
                }
            }
            return role;
        }
    }

    @Override
    public boolean deleteRole(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (lock) {
            if (roles.remove(name) == null) {
                return false;
            }
            for (User user : List.copyOf(users.values())) {
                if (user.hasRole(name)) {
                    Set<Role> kept = new HashSet<>(user.roles());
                    kept.removeIf(r -> r.name().equals(name));
                    replace(user, user.toBuilder().roles(kept).build());
                }
            }
            return true;
        }
    }

    @Override
    public User addRoleToUser(long userId, String roleName) {
        Objects.requireNonNull(roleName, "roleName");
        synchronized (lock) {
            User user = existing(userId);
            Role role = roles.get(roleName);
            if (role == null) {
                throw new NoSuchRoleException(roleName);
            }
            if (user.hasRole(roleName)) {
                return user;
            }
            return replace(user, user.toBuilder().addRole(role).build());
        }
    }

    @Override
    public User removeRoleFromUser(long userId, String roleName) {
        Objects.requireNonNull(roleName, "roleName");
        synchronized (lock) {
            User user = existing(userId);
            if (!roles.containsKey(roleName)) {
                throw new NoSuchRoleException(roleName);
            }
            if (!user.hasRole(roleName)) {
                return user;
            }
            Set<Role> kept = new HashSet<>(user.roles());
            kept.removeIf(r -> r.name().equals(roleName));
            return replace(user, user.toBuilder().roles(kept).build());
        }
    }

    // ---------------------------------------------------------------- internals, called under lock

    private static InvalidInputException stampInUse() {
        return new InvalidInputException("security_stamp", "SECURITY_STAMP_IN_USE",
                "another user has this security stamp");
    }

    private User existing(long userId) {
        User user = users.get(userId);
        if (user == null) {
            throw new NoSuchUserException(userId);
        }
        return user;
    }

    private Set<Role> resolveRoles(Set<String> names) {
        Set<Role> resolved = new HashSet<>();
        for (String name : names) {
            Role role = roles.get(name);
            if (role == null) {
                throw new NoSuchRoleException(name);
            }
            resolved.add(role);
        }
        return resolved;
    }

    private User replace(User old, User updated) {
        remove(old);
        put(updated);
        return updated;
    }

    private void put(User user) {
        users.put(user.id(), user);
        byEmail.put(Identifiers.emailKey(user.email()), user.id());
        user.username().ifPresent(u -> byUsername.put(Identifiers.usernameKey(u), user.id()));
        byStamp.put(user.securityStamp(), user.id());
    }

    private void remove(User user) {
        users.remove(user.id());
        byEmail.remove(Identifiers.emailKey(user.email()));
        user.username().ifPresent(u -> byUsername.remove(Identifiers.usernameKey(u)));
        byStamp.remove(user.securityStamp());
    }
}
