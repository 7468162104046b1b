package dev.gatehouse.twofactor;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.Races.Outcome;
import dev.gatehouse.user.NoSuchUserException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SecondFactorStore} must have. A store module subclasses this, supplying
 * a fresh store per test, users, and a way to delete a user; the in-memory, H2, PostgreSQL and
 * MariaDB stores all run it. Recovery code digests come back in any order.
 */
public abstract class SecondFactorStoreContract {

    /** How many threads the race tests run; database pools must allow this many connections. */
    protected static final int THREADS = 8;
    protected static final String SEALED = "s1.AbCdEf.sealed-secret_value-0123456789";
    protected static final String DIGEST_A = "a".repeat(64);
    protected static final String DIGEST_B = "b".repeat(64);

    protected SecondFactorStore store;
    protected long alice;
    protected long bob;

    /** A fresh, empty store. */
    protected abstract SecondFactorStore newStore();

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

    protected static SecondFactorRecord full(long userId) {
        return new SecondFactorRecord(userId, Optional.of(FactorMethod.AUTHENTICATOR), Optional.of(SEALED),
                Optional.of("+4915112345678"), List.of(DIGEST_A, DIGEST_B), Set.of(FactorMethod.EMAIL, FactorMethod.SMS), 57_000_000L);
    }

    @Test
    void find_returnsEveryFieldAsSaved_andNothingForOthers() {
        store.save(full(alice));
        store.save(SecondFactorRecord.empty(bob));

        SecondFactorRecord found = store.find(alice).orElseThrow();
        assertThat(found.primaryMethod()).contains(FactorMethod.AUTHENTICATOR);
        assertThat(found.sealedTotpSecret()).contains(SEALED);
        assertThat(found.phoneNumber()).contains("+4915112345678");
        assertThat(found.recoveryCodeDigests()).containsExactlyInAnyOrder(DIGEST_A, DIGEST_B);
        assertThat(found.signInMethods()).containsExactlyInAnyOrder(FactorMethod.EMAIL, FactorMethod.SMS);
        assertThat(found.lastTotpStep()).isEqualTo(57_000_000L);
        assertThat(store.find(bob)).contains(SecondFactorRecord.empty(bob));
        assertThat(store.find(bob + 1000)).isEmpty();
    }

    @Test
    void save_replacesEveryField() {
        store.save(full(alice));
        SecondFactorRecord replaced = new SecondFactorRecord(alice, Optional.of(FactorMethod.EMAIL), Optional.empty(),
                Optional.empty(), List.of(DIGEST_B), Set.of(), 3);

        store.save(replaced);

        SecondFactorRecord found = store.find(alice).orElseThrow();
        assertThat(found.primaryMethod()).contains(FactorMethod.EMAIL);
        assertThat(found.sealedTotpSecret()).isEmpty();
        assertThat(found.phoneNumber()).isEmpty();
        assertThat(found.recoveryCodeDigests()).containsExactly(DIGEST_B);
        assertThat(found.signInMethods()).isEmpty();
        assertThat(found.lastTotpStep()).isEqualTo(3);
    }

    @Test
    void save_refusesAnUnknownUser() {
        assertThatThrownBy(() -> store.save(full(bob + 1000))).isInstanceOf(NoSuchUserException.class);
    }

    @Test
    void delete_removesTheRecordOnce() {
        store.save(full(alice));
        store.save(full(bob));

        assertThat(store.delete(alice)).isTrue();
        assertThat(store.delete(alice)).isFalse();
        assertThat(store.find(alice)).isEmpty();
        assertThat(store.find(bob)).isPresent();
        assertThat(store.acceptTotpStep(alice, 1)).isFalse();
        assertThat(store.useRecoveryCode(alice, DIGEST_A)).isFalse();
    }

    @Test
    void acceptTotpStep_acceptsOnlyLaterSteps() {
        store.save(full(alice));

        assertThat(store.acceptTotpStep(alice, 57_000_000L)).as("the stored step").isFalse();
        assertThat(store.acceptTotpStep(alice, 57_000_001L)).isTrue();
        assertThat(store.acceptTotpStep(alice, 57_000_001L)).as("replayed").isFalse();
        assertThat(store.acceptTotpStep(alice, 56_999_999L)).as("earlier").isFalse();
        assertThat(store.acceptTotpStep(alice, 57_000_003L)).isTrue();
        assertThat(store.find(alice).orElseThrow().lastTotpStep()).isEqualTo(57_000_003L);
        assertThat(store.find(alice).orElseThrow().recoveryCodeDigests()).as("untouched").hasSize(2);
        assertThat(store.acceptTotpStep(bob, 1)).as("no record").isFalse();
    }

    @Test
    void useRecoveryCode_removesOneDigestOnce() {
        store.save(full(alice));
        store.save(full(bob));

        assertThat(store.useRecoveryCode(alice, DIGEST_A)).isTrue();
        assertThat(store.useRecoveryCode(alice, DIGEST_A)).isFalse();
        assertThat(store.useRecoveryCode(alice, "c".repeat(64))).isFalse();
        assertThat(store.find(alice).orElseThrow().recoveryCodeDigests()).containsExactly(DIGEST_B);
        assertThat(store.find(bob).orElseThrow().recoveryCodeDigests()).as("bob's own").hasSize(2);
    }

    @Test
    void list_showsUsersWithAMethod_byUserId_paged() {
        store.save(full(bob));
        store.save(new SecondFactorRecord(alice, Optional.empty(), Optional.empty(), Optional.empty(), List.of(DIGEST_A),
                Set.of(), 0));
        long carol = newUser();
        store.save(new SecondFactorRecord(carol, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Set.of(FactorMethod.EMAIL), 0));

        assertThat(store.list(0, 10)).extracting(SecondFactorRecord::userId).containsExactly(bob, carol);
        assertThat(store.list(1, 10)).extracting(SecondFactorRecord::userId).containsExactly(carol);
        assertThat(store.list(0, 1)).extracting(SecondFactorRecord::userId).containsExactly(bob);
        assertThat(store.list(0, 10).get(0).recoveryCodeDigests()).hasSize(2);
    }

    @Test
    void deletingAUser_forgetsTheirRecord() {
        store.save(full(alice));
        store.save(full(bob));

        deleteUser(alice);

        assertThat(store.find(alice)).isEmpty();
        assertThat(store.list(0, 10)).extracting(SecondFactorRecord::userId).containsExactly(bob);
    }

    @Test
    void concurrentAcceptsOfOneStep_letExactlyOneSucceed() throws Exception {
        store.save(full(alice));

        List<Outcome<Boolean>> outcomes = race(THREADS, i -> store.acceptTotpStep(alice, 57_000_010L));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes).filteredOn(o -> Boolean.TRUE.equals(o.value())).hasSize(1);
    }

    @Test
    void concurrentUsesOfOneRecoveryCode_letExactlyOneSucceed() throws Exception {
        store.save(full(alice));

        List<Outcome<Boolean>> outcomes = race(THREADS, i -> store.useRecoveryCode(alice, DIGEST_B));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(outcomes).filteredOn(o -> Boolean.TRUE.equals(o.value())).hasSize(1);
        assertThat(store.find(alice).orElseThrow().recoveryCodeDigests()).containsExactly(DIGEST_A);
    }

    @Test
    void concurrentSavesOfANewRecord_allSucceed_andOneWins() throws Exception {
        List<Outcome<Void>> outcomes = race(THREADS, i -> {
            store.save(new SecondFactorRecord(alice, Optional.of(FactorMethod.EMAIL), Optional.empty(), Optional.empty(),
                    List.of(i % 2 == 0 ? DIGEST_A : DIGEST_B), Set.of(), i));
            return null;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(store.find(alice).orElseThrow().recoveryCodeDigests()).hasSize(1);
    }
}
