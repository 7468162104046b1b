package dev.gatehouse.user;

/** The in-memory store, beside an in-memory user store, against the full {@link PasskeyStoreContract}. */
class InMemoryPasskeyStoreTest extends PasskeyStoreContract {

    private InMemoryUserStore users;
    private int created;

    @Override
    protected PasskeyStore newStore() {
        users = new InMemoryUserStore();
        return new InMemoryPasskeyStore(users);
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
