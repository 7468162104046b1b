package dev.gatehouse.mail;

/** The outbox contract on the in-memory store. */
class InMemoryOutboxStoreTest extends OutboxStoreContract {

    @Override
    protected OutboxStore newStore() {
        return new InMemoryOutboxStore();
    }
}
