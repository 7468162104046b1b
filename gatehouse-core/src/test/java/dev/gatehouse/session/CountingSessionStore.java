package dev.gatehouse.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that counts the lookups it is asked: record reads ({@link #find}) and family
 * liveness questions ({@link #familyExpiresAt}). Not an {@link InMemorySessionStore} itself, so
 * {@link SessionFamilies} treats it as a shared (database) store. The delegate is what another
 * node sharing the store would change directly.
 */
public final class CountingSessionStore implements SessionStore {

    public final SessionStore delegate;
    public final AtomicInteger finds = new AtomicInteger();
    public final AtomicInteger familyChecks = new AtomicInteger();

    public CountingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Instant> familyExpiresAt(String familyId) {
        familyChecks.incrementAndGet();
        return delegate.familyExpiresAt(familyId);
    }

    @Override
    public void save(SessionRecord record) {
        delegate.save(record);
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        finds.incrementAndGet();
        return delegate.find(id);
    }

    @Override
    public void touch(String id, Instant lastUsedAt) {
        delegate.touch(id, lastUsedAt);
    }

    @Override
    public boolean consume(String id) {
        return delegate.consume(id);
    }

    @Override
    public boolean delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public int deleteFamily(String familyId) {
        return delegate.deleteFamily(familyId);
    }

    @Override
    public int deleteAllForUser(long userId) {
        return delegate.deleteAllForUser(userId);
    }

    @Override
    public List<SessionRecord> listForUser(long userId) {
        return delegate.listForUser(userId);
    }

    @Override
    public int deleteExpired(Instant now) {
        return delegate.deleteExpired(now);
    }
}
