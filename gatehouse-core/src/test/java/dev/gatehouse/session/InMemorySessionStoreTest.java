package dev.gatehouse.session;

/** The in-memory store against the full {@link SessionStoreContract}. */
class InMemorySessionStoreTest extends SessionStoreContract {

    private long lastUserId;

    @Override
    protected SessionStore newStore() {
        return new InMemorySessionStore();
    }

    @Override
    protected long newUser() {
        // No user store behind it: any id will do, as long as each user gets its own.
        return ++lastUserId;
    }
}
