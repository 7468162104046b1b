package dev.gatehouse.session;

/** The in-memory store against the full {@link SessionDataStoreContract}. */
class InMemorySessionDataStoreTest extends SessionDataStoreContract {

    private long lastUserId;

    @Override
    protected SessionDataStore newStore() {
        return new InMemorySessionDataStore();
    }

    @Override
    protected long newUser() {
        // No user store behind it: any id will do, as long as each user gets its own.
        return ++lastUserId;
    }
}
