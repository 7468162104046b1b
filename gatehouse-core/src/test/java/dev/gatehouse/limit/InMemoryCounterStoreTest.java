package dev.gatehouse.limit;

/** The counter contract on the in-memory store. */
class InMemoryCounterStoreTest extends CounterStoreContract {

    @Override
    protected CounterStore newStore() {
        return new InMemoryCounterStore();
    }
}
