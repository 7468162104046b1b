package dev.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link UserStore} that keeps users read by id in memory, so authenticating a request needs no
 * database round trip, and drops an entry whenever that user changes through this store.
 *
 * <p>Changes made elsewhere — another node, the command-line tool — reach the cache through the
 * store's {@link UserChangeFeed} (the {@code Gatehouse} entry object subscribes the cache), which
 * calls {@link #invalidate(long)} and {@link #invalidateAll()}. A store without a feed lives in one
 * process, so its changes all come through here.
 *
 * <p>Thread-safe. An entry is removed <em>after</em> the underlying write returns, and a read that
 * raced with a write cannot reinstate the old value: loads are tagged with an invalidation epoch
 * and discarded if an invalidation happened meanwhile.
 */
public final class CachingUserStore implements UserStore, UserChangeFeed.Listener {

    private final UserStore delegate;
    private final ConcurrentHashMap<Long, User> byId = new ConcurrentHashMap<>();
    private volatile long epoch;

    /** Caches reads of {@code delegate}. */
    public CachingUserStore(UserStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store behind the cache. */
    public UserStore delegate() {
        return delegate;
    }

    @Override
    public void userChanged(long userId) {
        invalidate(userId);
    }

    @Override
    public void everythingChanged() {
        invalidateAll();
    }

    @Override
    public Optional<UserChangeFeed> changeFeed() {
        return delegate.changeFeed();
    }

    /** Forgets the cached copy of one user. */
    public void invalidate(long userId) {
        epoch++;
        byId.remove(userId);
    }

    /** Forgets every cached user, e.g. after a role changed. */
    public void invalidateAll() {
        epoch++;
        byId.clear();
    }

    /** Runs a write to one user, then forgets its cached copy, also when the write failed half-way. */
    private <T> T changingUser(long userId, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            invalidate(userId);
        }
    }

    /** Runs a write to roles, which any user may hold, then forgets every cached user. */
    private <T> T changingRoles(Supplier<T> write) {
        try {
            return write.get();
        } finally {
            invalidateAll();
        }
    }

    @Override
    public Optional<User> findUserById(long id) {
        User cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = epoch;
        Optional<User> loaded = delegate.findUserById(id);
        if (loaded.isPresent() && epoch == before) {
            byId.putIfAbsent(id, loaded.get());
            if (epoch != before) {
                byId.remove(id);
            }
        }
        return loaded;
    }

    @Override
    public Optional<User> findUserByEmail(String email) {
        return delegate.findUserByEmail(email);
    }

    @Override
    public Optional<User> findUserByUsername(String username) {
        return delegate.findUserByUsername(username);
    }

    @Override
    public Optional<User> findUserBySecurityStamp(String securityStamp) {
        return delegate.findUserBySecurityStamp(securityStamp);
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        return delegate.listUsers(query);
    }

    @Override
    public User createUser(NewUser newUser) {
        return delegate.createUser(newUser);
    }

    @Override
    public User updateUser(User user) {
        return changingUser(user.id(), () -> delegate.updateUser(user));
    }

    @Override
    public boolean deleteUser(long userId) {
        return changingUser(userId, () -> delegate.deleteUser(userId));
    }

    @Override
    public boolean activate(long userId) {
        return changingUser(userId, () -> delegate.activate(userId));
    }

    @Override
    public boolean deactivate(long userId) {
        return changingUser(userId, () -> delegate.deactivate(userId));
    }

    @Override
    public User toggleActive(long userId) {
        return changingUser(userId, () -> delegate.toggleActive(userId));
    }

    @Override
    public User setSecurityStamp(long userId, String securityStamp) {
        return changingUser(userId, () -> delegate.setSecurityStamp(userId, securityStamp));
    }

    @Override
    public User setPasswordHash(long userId, String passwordHash) {
        return changingUser(userId, () -> delegate.setPasswordHash(userId, passwordHash));
    }

    @Override
    public User patchUser(long userId, UserPatch patch) {
        return changingUser(userId, () -> delegate.patchUser(userId, patch));
    }

    @Override
    public User recordLogin(long userId, Instant at, Optional<String> ip) {
        return changingUser(userId, () -> delegate.recordLogin(userId, at, ip));
    }

    @Override
    public Optional<Role> findRole(String name) {
        return delegate.findRole(name);
    }

    @Override
    public List<Role> listRoles() {
        return delegate.listRoles();
    }

    @Override
    public Role createRole(Role role) {
        return delegate.createRole(role);
    }

    @Override
    public Role findOrCreateRole(String name) {
        return delegate.findOrCreateRole(name);
    }

    @Override
    public Role updateRole(Role role) {
        return changingRoles(() -> delegate.updateRole(role));
    }

    @Override
    public boolean deleteRole(String name) {
        return changingRoles(() -> delegate.deleteRole(name));
    }

    @Override
    public User addRoleToUser(long userId, String roleName) {
        return changingUser(userId, () -> delegate.addRoleToUser(userId, roleName));
    }

    @Override
    public User removeRoleFromUser(long userId, String roleName) {
        return changingUser(userId, () -> delegate.removeRoleFromUser(userId, roleName));
    }
}
