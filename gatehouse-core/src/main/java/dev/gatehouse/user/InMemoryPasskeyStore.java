package dev.gatehouse.user;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PasskeyStore} in this process's memory, beside a user store: for tests, prototypes and
 * single-node applications. Everything is lost when the process ends.
 *
 * <p>As {@link InMemoryExternalIdentityStore}, it asks the user store whether an owner still
 * exists and forgets the passkeys and handle of a deleted user when it meets them (the database's
 * {@code ON DELETE CASCADE}, applied lazily).
 *
 * <p>Thread-safe: every operation holds one lock.
 */
public final class InMemoryPasskeyStore implements PasskeyStore {

    private static final Comparator<Passkey> OLDEST_FIRST = Comparator.comparing(Passkey::createdAt)
            .thenComparing(Passkey::name);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserStore users;
    private final Object lock = new Object();
    private final Map<String, Passkey> passkeys = new HashMap<>();
    private final Map<Long, String> handles = new HashMap<>();

    /** A store whose passkeys belong to the users of {@code users}. */
    public InMemoryPasskeyStore(UserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public String userHandle(long userId) {
        synchronized (lock) {
            if (!live(userId)) {
                throw new NoSuchUserException(userId);
            }
            return handles.computeIfAbsent(userId, id -> newHandle());
        }
    }

    @Override
    public Optional<Long> findUserByHandle(String userHandle) {
        Objects.requireNonNull(userHandle, "userHandle");
        synchronized (lock) {
            return handles.entrySet().stream()
                    .filter(e -> e.getValue().equals(userHandle))
                    .map(Map.Entry::getKey)
                    .filter(this::live)
                    .findFirst();
        }
    }

    @Override
    public void add(Passkey passkey) {
        Objects.requireNonNull(passkey, "passkey");
        synchronized (lock) {
            if (live(passkey.credentialId()).isPresent()
                    || listLive(passkey.userId()).stream().anyMatch(p -> p.name().equals(passkey.name()))) {
                throw new DuplicatePasskeyException();
            }
            if (!live(passkey.userId())) {
                throw new NoSuchUserException(passkey.userId());
            }
            passkeys.put(passkey.credentialId(), passkey);
        }
    }

    @Override
    public Optional<Passkey> find(String credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        synchronized (lock) {
            return live(credentialId);
        }
    }

    @Override
    public List<Passkey> listForUser(long userId) {
        synchronized (lock) {
            return listLive(userId);
        }
    }

    @Override
    public boolean rename(long userId, String credentialId, String newName) {
        Objects.requireNonNull(credentialId, "credentialId");
        Passkey.checkName(Objects.requireNonNull(newName, "newName"));
        synchronized (lock) {
            Optional<Passkey> passkey = live(credentialId).filter(p -> p.userId() == userId);
            if (passkey.isEmpty()) {
                return false;
            }
            Passkey renamed = passkey.get().renamed(newName);
            if (listLive(userId).stream().anyMatch(p -> p.name().equals(newName) && !p.credentialId().equals(credentialId))) {
                throw new DuplicatePasskeyException();
            }
            passkeys.put(credentialId, renamed);
            return true;
        }
    }

    @Override
    public boolean delete(long userId, String credentialId) {
        Objects.requireNonNull(credentialId, "credentialId");
        synchronized (lock) {
            if (live(credentialId).filter(p -> p.userId() == userId).isEmpty()) {
                return false;
            }
            passkeys.remove(credentialId);
            return true;
        }
    }

    @Override
    public void recordUse(String credentialId, long signCount, boolean backedUp, Instant at) {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(at, "at");
        synchronized (lock) {
            live(credentialId).ifPresent(p -> passkeys.put(credentialId, p.used(signCount, backedUp, at)));
        }
    }

    private boolean live(long userId) {
        if (users.findUserById(userId).isPresent()) {
            return true;
        }
        handles.remove(userId);
        passkeys.values().removeIf(p -> p.userId() == userId);
        return false;
    }

    private Optional<Passkey> live(String credentialId) {
        Passkey passkey = passkeys.get(credentialId);
        return passkey != null && live(passkey.userId()) ? Optional.of(passkey) : Optional.empty();
    }

    private List<Passkey> listLive(long userId) {
        if (!live(userId)) {
            return List.of();
        }
        return passkeys.values().stream().filter(p -> p.userId() == userId).sorted(OLDEST_FIRST).toList();
    }

    private static String newHandle() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
