package dev.gatehouse.twofactor;

import dev.gatehouse.user.NoSuchUserException;
import dev.gatehouse.user.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SecondFactorStore} in this process's memory, beside a user store: for tests, prototypes
 * and single-node applications. Everything is lost when the process ends.
 *
 * <p>As {@link dev.gatehouse.user.InMemoryPasskeyStore}, it asks the user store whether an owner
 * still exists and forgets a deleted user's record when it meets it (the database's
 * {@code ON DELETE CASCADE}, applied lazily).
 *
 * <p>Thread-safe: every operation holds one lock.
 */
public final class InMemorySecondFactorStore implements SecondFactorStore {

    private final UserStore users;
    private final Object lock = new Object();
    private final Map<Long, SecondFactorRecord> records = new TreeMap<>();

    /** A store whose records belong to the users of {@code users}. */
    public InMemorySecondFactorStore(UserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Optional<SecondFactorRecord> find(long userId) {
        synchronized (lock) {
            return live(userId) ? Optional.ofNullable(records.get(userId)) : Optional.empty();
        }
    }

    @Override
    public void save(SecondFactorRecord record) {
        Objects.requireNonNull(record, "record");
        synchronized (lock) {
            if (!live(record.userId())) {
                throw new NoSuchUserException(record.userId());
            }
            records.put(record.userId(), record);
        }
    }

    @Override
    public boolean delete(long userId) {
        synchronized (lock) {
            return records.remove(userId) != null;
        }
    }

    @Override
    public boolean acceptTotpStep(long userId, long step) {
        synchronized (lock) {
            SecondFactorRecord r = live(userId) ? records.get(userId) : null;
            if (r == null || step <= r.lastTotpStep()) {
                return false;
            }
            records.put(userId, new SecondFactorRecord(userId, r.primaryMethod(), r.sealedTotpSecret(), r.phoneNumber(),
                    r.recoveryCodeDigests(), r.signInMethods(), step));
            return true;
        }
    }

    @Override
    public boolean useRecoveryCode(long userId, String digest) {
        Objects.requireNonNull(digest, "digest");
        synchronized (lock) {
            SecondFactorRecord r = live(userId) ? records.get(userId) : null;
            if (r == null || !r.recoveryCodeDigests().contains(digest)) {
                return false;
            }
            List<String> left = new ArrayList<>(r.recoveryCodeDigests());
            left.remove(digest);
            records.put(userId, new SecondFactorRecord(userId, r.primaryMethod(), r.sealedTotpSecret(), r.phoneNumber(), left,
                    r.signInMethods(), r.lastTotpStep()));
            return true;
        }
    }

    @Override
    public List<SecondFactorRecord> list(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        synchronized (lock) {
            records.keySet().removeIf(id -> users.findUserById(id).isEmpty());
            return records.values().stream()
                    .filter(r -> r.primaryMethod().isPresent() || !r.signInMethods().isEmpty())
                    .skip(offset).limit(limit).toList();
        }
    }

    /** Whether {@code userId} still exists; forgets the record of a deleted user. */
    private boolean live(long userId) {
        if (users.findUserById(userId).isPresent()) {
            return true;
        }
        records.remove(userId);
        return false;
    }
}
