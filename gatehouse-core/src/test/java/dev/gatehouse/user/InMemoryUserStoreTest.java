package dev.gatehouse.user;

import java.time.Clock;

/** The in-memory store against the full {@link UserStoreContract}. */
class InMemoryUserStoreTest extends UserStoreContract {

    @Override
    protected UserStore newStore(Clock clock) {
        return new InMemoryUserStore(clock);
    }
}
