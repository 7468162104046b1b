package dev.gatehouse.twofactor;

import dev.gatehouse.user.InMemoryUserStore;
import dev.gatehouse.user.NewUser;

/** The in-memory store, beside an in-memory user store, against the full {@link SecondFactorStoreContract}. */
class InMemorySecondFactorStoreTest extends SecondFactorStoreContract {

    private InMemoryUserStore users;
    private int created;

    @Override
    protected SecondFactorStore newStore() {
        users = new InMemoryUserStore();
        return new InMemorySecondFactorStore(users);
    }

    @Override
    protected long newUser() {
        return users.createUser(NewUser.builder("user" + ++created + "@example.com").build()).id();
    }

    @Override
    protected void deleteUser(long userId) {
        users.deleteUser(userId);
    }
}
