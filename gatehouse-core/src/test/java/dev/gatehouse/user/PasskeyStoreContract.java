package dev.gatehouse.user;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.testing.Races.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PasskeyStore} must have. A store module subclasses this, supplying a
 * fresh store per test, users, and a way to delete a user; the in-memory, H2, PostgreSQL and
 * MariaDB stores all run it.
 */
public abstract class PasskeyStoreContract {

    protected static final Instant T0 = Instant.parse("2024-05-01T12:34:56.123456Z");
    /** How many threads the race test runs; database pools must allow this many connections. */
    protected static final int THREADS = 8;

    protected PasskeyStore store;
    protected long alice;
    protected long bob;

    /** A fresh, empty store. */
    protected abstract PasskeyStore newStore();

    /** The id of a new user of the store's user store. */
    protected abstract long newUser();

    /** Deletes a user from the user store. */
    protected abstract void deleteUser(long userId);

    @BeforeEach
    void freshStore() {
        store = newStore();
        alice = newUser();
        bob = newUser();
    }

    protected static Passkey passkey(long userId, String credentialId, String name, Instant at) {
        return Passkey.registered(userId, credentialId, name, new byte[] {(byte) 0xa5, 1, 2, 3, -1, 0, 7}, 5,
                Set.of("usb", "internal"), true, false, PasskeyUsage.FIRST, at);
    }

    @Test
    void find_returnsEveryFieldAsAdded() {
        Passkey full = new Passkey(alice, "AAECAwQFBgcICQ", "Laptop — Zürich", new byte[300], 0xFFFF_FFFFL,
                Set.of("hybrid", "internal"), true, true, PasskeyUsage.SECONDARY, T0, Optional.of(T0.plusNanos(1_000)));
        Passkey bare = Passkey.registered(bob, "_-_-", "k", new byte[] {1}, 0, Set.of(), false, false,
                PasskeyUsage.FIRST, T0);
        store.add(full);
        store.add(bare);

        assertThat(store.find(full.credentialId())).contains(full);
        assertThat(store.find(bare.credentialId())).contains(bare);
        assertThat(store.find("AAECAwQFBgcICq")).isEmpty();
        assertThat(store.find("not base64!")).isEmpty();
    }

    @Test
    void add_refusesAKnownCredentialId_forAnyone_andADuplicateNameForOneUser() {
        store.add(passkey(alice, "Y3JlZC0x", "Laptop", T0));

        assertThatThrownBy(() -> store.add(passkey(bob, "Y3JlZC0x", "Other", T0)))
                .isInstanceOf(DuplicatePasskeyException.class);
        assertThatThrownBy(() -> store.add(passkey(alice, "Y3JlZC0y", "Laptop", T0)))
                .isInstanceOf(DuplicatePasskeyException.class);
        store.add(passkey(bob, "Y3JlZC0z", "Laptop", T0));
        assertThat(store.find("Y3JlZC0x").orElseThrow().userId()).isEqualTo(alice);
    }

    @Test
    void add_refusesAnUnknownUser() {
        assertThatThrownBy(() -> store.add(passkey(bob + 1000, "Y3JlZC0x", "Laptop", T0)))
                .isInstanceOf(NoSuchUserException.class);
    }

    @Test
    void listForUser_isOldestFirst_thenByName_andOnlyTheirs() {
        store.add(passkey(alice, "Yg", "b", T0.plusSeconds(1)));
        store.add(passkey(alice, "Yw", "c", T0));
        store.add(passkey(alice, "YQ", "a", T0.plusSeconds(1)));
        store.add(passkey(bob, "ZA", "d", T0));

        assertThat(store.listForUser(alice)).extracting(Passkey::name).containsExactly("c", "a", "b");
        assertThat(store.listForUser(bob)).extracting(Passkey::name).containsExactly("d");
        assertThat(store.listForUser(bob + 1000)).isEmpty();
    }

    @Test
    void rename_andDelete_touchOnlyTheOwnersPasskey() {
        store.add(passkey(alice, "YQ", "a", T0));
        store.add(passkey(alice, "Yg", "b", T0));

        assertThat(store.rename(bob, "YQ", "stolen")).isFalse();
        assertThat(store.delete(bob, "YQ")).isFalse();
        assertThatThrownBy(() -> store.rename(alice, "YQ", "b")).isInstanceOf(DuplicatePasskeyException.class);
        assertThatThrownBy(() -> store.rename(alice, "YQ", " padded")).isInstanceOf(InvalidInputException.class);
        assertThat(store.rename(alice, "YQ", "renamed")).isTrue();
        assertThat(store.rename(alice, "YQ", "renamed")).isTrue();
        assertThat(store.find("YQ").orElseThrow().name()).isEqualTo("renamed");

        assertThat(store.delete(alice, "YQ")).isTrue();
        assertThat(store.delete(alice, "YQ")).isFalse();
        assertThat(store.find("YQ")).isEmpty();
        assertThat(store.listForUser(alice)).extracting(Passkey::name).containsExactly("b");
    }

    @Test
    void recordUse_storesCounterBackupStateAndTime() {
        store.add(passkey(alice, "YQ", "a", T0));

        store.recordUse("YQ", 42, true, T0.plusSeconds(60).plusNanos(1_500));
        store.recordUse("Yg", 42, true, T0);

        Passkey used = store.find("YQ").orElseThrow();
        assertThat(used.signCount()).isEqualTo(42);
        assertThat(used.backedUp()).isTrue();
        assertThat(used.backupEligible()).isTrue();
        assertThat(used.lastUsedAt()).contains(T0.plusSeconds(60).plusNanos(1_000));
    }

    @Test
    void userHandle_isStableRandomPerUser_andFindsItsUser() {
        String handle = store.userHandle(alice);

        assertThat(store.userHandle(alice)).isEqualTo(handle);
        assertThat(handle).matches("[A-Za-z0-9_-]{43}");
        assertThat(store.userHandle(bob)).isNotEqualTo(handle);
        assertThat(store.findUserByHandle(handle)).contains(alice);
        assertThat(store.findUserByHandle("unknown")).isEmpty();
        assertThatThrownBy(() -> store.userHandle(bob + 1000)).isInstanceOf(NoSuchUserException.class);
    }

    @Test
    void deletingAUser_forgetsTheirPasskeysAndHandle() {
        String handle = store.userHandle(alice);
        store.add(passkey(alice, "YQ", "a", T0));
        store.add(passkey(bob, "Yg", "b", T0));

        deleteUser(alice);

        assertThat(store.find("YQ")).isEmpty();
        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.findUserByHandle(handle)).isEmpty();
        assertThat(store.find("Yg")).isPresent();
    }

    @Test
    void concurrentAdds_ofOneCredential_letExactlyOneSucceed() throws Exception {
        List<Outcome<Void>> outcomes = race(THREADS, i -> {
            store.add(passkey(i % 2 == 0 ? alice : bob, "cmFjZQ", "race" + i, T0));
            return null;
        });

        assertThat(outcomes.stream().filter(Outcome::succeeded).count()).isEqualTo(1);
        assertThat(outcomes.stream().filter(o -> !o.succeeded()))
                .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(DuplicatePasskeyException.class));
    }

    @Test
    void concurrentHandles_areOneHandle() throws Exception {
        List<Outcome<String>> outcomes = race(THREADS, i -> store.userHandle(alice));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
        assertThat(outcomes.stream().map(Outcome::value).distinct().count()).isEqualTo(1);
    }
}
