package dev.gatehouse.session;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.gatehouse.testing.Races.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionDataStore} must have, as executable tests. A store module
 * subclasses this, supplying a fresh, empty store per test and users for the values; the
 * in-memory, H2, PostgreSQL and MariaDB stores all run it. Instants are passed explicitly, with
 * microseconds.
 */
public abstract class SessionDataStoreContract {

    protected static final Instant T0 = Instant.parse("2024-05-01T12:34:56.123456Z");
    /** How many threads the race test runs; database pools must allow this many connections. */
    protected static final int THREADS = 8;

    protected SessionDataStore store;
    protected long alice;
    protected long bob;

    /** A fresh, empty store. */
    protected abstract SessionDataStore newStore();

    /** The id of a new user values may belong to. */
    protected abstract long newUser();

    @BeforeEach
    void freshStore() {
        store = newStore();
        alice = newUser();
        bob = newUser();
    }

    private static SessionData data(String familyId, String name, long userId) {
        return new SessionData(familyId, name, userId, "s1.key." + familyId + "." + name, T0.plus(Duration.ofHours(1)));
    }

    // ================================================================ put and find

    @Test
    void find_returnsEveryFieldAsPut_includingTheLargestValue() {
        String largest = "s1.AbCdEf." + "Az09-_~ !\"#$%&'()*+,./:;<=>?@[\\]^`{|}".repeat(500);
        largest = largest.substring(0, SessionData.MAX_VALUE_LENGTH);
        String family = SessionRecord.newFamilyId();
        SessionData big = new SessionData(family, "oidc:tokens", alice, largest, T0.plusNanos(123_000));
        SessionData empty = new SessionData(family, "oidc.provider_v2-x", alice, "", T0.plus(Duration.ofDays(30)));
        store.put(big);
        store.put(empty);

        assertThat(store.find(family, "oidc:tokens")).contains(big);
        assertThat(store.find(family, "oidc:tokens").orElseThrow().value()).hasSize(SessionData.MAX_VALUE_LENGTH);
        assertThat(store.find(family, "oidc.provider_v2-x")).contains(empty);
    }

    @Test
    void put_ofAnExistingName_replacesTheWholeValue() {
        String family = SessionRecord.newFamilyId();
        store.put(data(family, "tokens", alice));
        SessionData replacement = new SessionData(family, "tokens", bob, "s1.other", T0.plus(Duration.ofDays(2)));

        store.put(replacement);

        assertThat(store.find(family, "tokens")).contains(replacement);
    }

    @Test
    void find_ofAnUnknownFamilyOrName_isEmpty_andBothCompareExactly() {
        String family = "Family-1_abc";
        store.put(data(family, "tokens", alice));

        assertThat(store.find(family, "other")).isEmpty();
        assertThat(store.find(SessionRecord.newFamilyId(), "tokens")).isEmpty();
        assertThat(store.find("family-1_abc", "tokens")).as("family ids are case-sensitive").isEmpty();
        assertThat(store.find("FAMILY-1_ABC", "tokens")).isEmpty();
        for (String malformed : List.of(family + " ", "", "x".repeat(65), "fam ily", "family\0")) {
            assertThat(store.find(malformed, "tokens")).as("family %s", malformed).isEmpty();
            assertThat(store.delete(malformed, "tokens")).isFalse();
            assertThat(store.deleteFamily(malformed)).isZero();
        }
        for (String malformed : List.of("tokens ", "Tokens", "", "t".repeat(65), "to kens", "tokens\0")) {
            assertThat(store.find(family, malformed)).as("name %s", malformed).isEmpty();
            assertThat(store.delete(family, malformed)).isFalse();
        }
        assertThat(store.find(family, "tokens")).isPresent();
    }

    @Test
    void concurrentPuts_ofOneName_leaveOneWholeValue() throws Exception {
        String family = SessionRecord.newFamilyId();
        List<SessionData> candidates = new java.util.ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            candidates.add(new SessionData(family, "tokens", i % 2 == 0 ? alice : bob, ("v" + i).repeat(1000),
                    T0.plusSeconds(i)));
        }

        List<Outcome<Void>> outcomes = race(THREADS, i -> {
            store.put(candidates.get(i));
            return null;
        });

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(candidates).contains(store.find(family, "tokens").orElseThrow());
    }

    // ================================================================ deletes

    @Test
    void delete_removesOneValue() {
        String family = SessionRecord.newFamilyId();
        store.put(data(family, "a", alice));
        store.put(data(family, "b", alice));

        assertThat(store.delete(family, "a")).isTrue();
        assertThat(store.delete(family, "a")).isFalse();

        assertThat(store.find(family, "a")).isEmpty();
        assertThat(store.find(family, "b")).isPresent();
    }

    @Test
    void deleteFamily_removesEveryValueOfTheSignIn_only() {
        String ended = SessionRecord.newFamilyId();
        String other = SessionRecord.newFamilyId();
        store.put(data(ended, "a", alice));
        store.put(data(ended, "b", alice));
        store.put(data(other, "a", alice));

        assertThat(store.deleteFamily(ended)).isEqualTo(2);
        assertThat(store.deleteFamily(ended)).isZero();

        assertThat(store.find(ended, "a")).isEmpty();
        assertThat(store.find(ended, "b")).isEmpty();
        assertThat(store.find(other, "a")).isPresent();
    }

    @Test
    void deleteAllForUser_removesTheUsersValuesOfEverySignIn_only() {
        String first = SessionRecord.newFamilyId();
        String second = SessionRecord.newFamilyId();
        String bobs = SessionRecord.newFamilyId();
        store.put(data(first, "a", alice));
        store.put(data(first, "b", alice));
        store.put(data(second, "a", alice));
        store.put(data(bobs, "a", bob));

        assertThat(store.deleteAllForUser(alice)).isEqualTo(3);
        assertThat(store.deleteAllForUser(alice)).isZero();

        assertThat(store.find(first, "a")).isEmpty();
        assertThat(store.find(second, "a")).isEmpty();
        assertThat(store.find(bobs, "a")).isPresent();
    }

    @Test
    void deleteExpired_removesValuesWhoseEndIsAtOrBeforeNow() {
        String family = SessionRecord.newFamilyId();
        Instant end = T0.plusSeconds(10);
        store.put(new SessionData(family, "before", alice, "x", end.minusNanos(1_000)));
        store.put(new SessionData(family, "at", alice, "x", end));
        store.put(new SessionData(family, "after", bob, "x", end.plusNanos(1_000)));

        assertThat(store.deleteExpired(end)).isEqualTo(2);

        assertThat(store.find(family, "before")).isEmpty();
        assertThat(store.find(family, "at")).isEmpty();
        assertThat(store.find(family, "after")).isPresent();
        assertThat(store.deleteExpired(end)).isZero();
        assertThat(store.deleteExpired(Instant.MAX)).as("any instant may be asked about").isEqualTo(1);
        assertThat(store.deleteExpired(Instant.MIN)).isZero();
    }

    // ================================================================ nulls

    @Test
    void nullArguments_throwNullPointerException_evenWhenEmpty() {
        String family = SessionRecord.newFamilyId();
        assertThatNullPointerException().isThrownBy(() -> store.put(null));
        assertThatNullPointerException().isThrownBy(() -> store.find(null, "a"));
        assertThatNullPointerException().isThrownBy(() -> store.find(family, null));
        assertThatNullPointerException().isThrownBy(() -> store.delete(null, "a"));
        assertThatNullPointerException().isThrownBy(() -> store.delete(family, null));
        assertThatNullPointerException().isThrownBy(() -> store.deleteFamily(null));
        assertThatNullPointerException().isThrownBy(() -> store.deleteExpired(null));
    }
}
