package dev.gatehouse.user;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link ExternalIdentityStore} in this process's memory, beside a user store: for tests,
 * prototypes and single-node applications. Everything is lost when the process ends.
 *
 * <p>A {@link UserStore} cannot tell other stores that a user was deleted, so this store asks it:
 * {@link #link} refuses users it does not have, and an identity whose user is gone counts as
 * unlinked — it is dropped as soon as a lookup or a new link meets it. That is the foreign key's
 * {@code ON DELETE CASCADE} of the database store, applied lazily. User ids are never reused by
 * Gatehouse's stores, so an identity can never pass to a later user.
 *
 * <p>Thread-safe: every operation holds one lock (asking the user store under it), which makes
 * each one atomic; not meant for heavy concurrent traffic.
 */
public final class InMemoryExternalIdentityStore implements ExternalIdentityStore {

    private static final Comparator<ExternalIdentity> OLDEST_FIRST = Comparator.comparing(ExternalIdentity::linkedAt)
            .thenComparing(ExternalIdentity::issuer)
            .thenComparing(ExternalIdentity::subject);

    private record Key(String issuer, String subject) {
    }

    private final UserStore users;
    private final Object lock = new Object();
    private final Map<Key, ExternalIdentity> identities = new HashMap<>();

    /** A store whose identities belong to the users of {@code users}. */
    public InMemoryExternalIdentityStore(UserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public void link(ExternalIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        synchronized (lock) {
            if (live(new Key(identity.issuer(), identity.subject())).isPresent()) {
                throw new DuplicateExternalIdentityException();
            }
            if (users.findUserById(identity.userId()).isEmpty()) {
                throw new NoSuchUserException(identity.userId());
            }
            identities.put(new Key(identity.issuer(), identity.subject()), identity);
        }
    }

    @Override
    public Optional<ExternalIdentity> find(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        synchronized (lock) {
            return live(new Key(issuer, subject));
        }
    }

    @Override
    public List<ExternalIdentity> listForUser(long userId) {
        synchronized (lock) {
            List<ExternalIdentity> owned = identities.values().stream()
                    .filter(identity -> identity.userId() == userId)
                    .sorted(OLDEST_FIRST)
                    .toList();
            if (!owned.isEmpty() && users.findUserById(userId).isEmpty()) {
                identities.values().removeIf(identity -> identity.userId() == userId);
                return List.of();
            }
            return owned;
        }
    }

    @Override
    public boolean unlink(long userId, String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        synchronized (lock) {
            Key key = new Key(issuer, subject);
            ExternalIdentity identity = identities.get(key);
            if (identity == null || identity.userId() != userId) {
                return false;
            }
            identities.remove(key);
            // A deleted user's identity was unlinked already, by the (lazy) cascade.
            return users.findUserById(userId).isPresent();
        }
    }

    @Override
    public void recordSignIn(String issuer, String subject, Instant at) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Instant kept = StoreLimits.instant("last_sign_in_at", at);
        synchronized (lock) {
            live(new Key(issuer, subject)).ifPresent(identity -> {
                if (identity.lastSignInAt().isEmpty() || identity.lastSignInAt().get().isBefore(kept)) {
                    identities.put(new Key(issuer, subject), identity.signedInAt(kept));
                }
            });
        }
    }

    /** The identity under {@code key} if its user still exists; forgets it otherwise. Holds the lock. */
    private Optional<ExternalIdentity> live(Key key) {
        ExternalIdentity identity = identities.get(key);
        if (identity == null) {
            return Optional.empty();
        }
        if (users.findUserById(identity.userId()).isEmpty()) {
            identities.remove(key);
            return Optional.empty();
        }
        return Optional.of(identity);
    }
}
