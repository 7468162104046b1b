package dev.gatehouse.user;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.testing.Races.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ExternalIdentityStore} must have, as executable tests. A store module
 * subclasses this, supplying a fresh, empty store per test, users for the identities and a way to
 * delete a user; the in-memory, H2, PostgreSQL and MariaDB stores all run it.
 *
 * <p>No test reads a clock: instants are passed explicitly, with microseconds, so that a store
 * losing precision would show.
 */
public abstract class ExternalIdentityStoreContract {

    protected static final Instant T0 = Instant.parse("2024-05-01T12:34:56.123456Z");
    protected static final String KEYCLOAK = "https://login.example.com/realms/main";
    protected static final String ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";
    /** How many threads the race test runs; database pools must allow this many connections. */
    protected static final int THREADS = 8;

    protected ExternalIdentityStore store;
    protected long alice;
    protected long bob;

    /** A fresh, empty store. */
    protected abstract ExternalIdentityStore newStore();

    /** The id of a new user of the store's user store. */
    protected abstract long newUser();

    /** Deletes a user from the user store the identities belong to. */
    protected abstract void deleteUser(long userId);

    @BeforeEach
    void freshStore() {
        store = newStore();
        alice = newUser();
        bob = newUser();
    }

    private static ExternalIdentity identity(long userId, String issuer, String subject) {
        return ExternalIdentity.linked(userId, "keycloak", issuer, subject, Optional.of("alice@example.com"), T0);
    }

    // ================================================================ link and find

    @Test
    void find_returnsEveryFieldAsLinked_withAndWithoutEmailAndLastSignIn() {
        ExternalIdentity full = new ExternalIdentity(alice, "entra-id", ENTRA, "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
                Optional.of("Alice.Smith@Example.com"), T0, Optional.of(T0.plusSeconds(3).plusNanos(7_000)));
        ExternalIdentity bare = new ExternalIdentity(bob, "keycloak", KEYCLOAK, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                Optional.empty(), T0.minus(Duration.ofDays(400)).plusNanos(1_000), Optional.empty());
        store.link(full);
        store.link(bare);

        assertThat(store.find(ENTRA, full.subject())).contains(full);
        assertThat(store.find(KEYCLOAK, bare.subject())).contains(bare);
    }

    @Test
    void link_keepsTheLongestKeysAndEmail_includingTextBeyondAscii() {
        String issuer = "https://idp.example.com/" + "é".repeat(ExternalIdentity.MAX_KEY_LENGTH - 24);
        // 253 characters of which the last two are one code point outside the BMP.
        String subject = "Zürich-日本語-".repeat(23).substring(0, ExternalIdentity.MAX_KEY_LENGTH - 2) + "𝄞";
        String email = "a".repeat(Identifiers.MAX_EMAIL_LENGTH - 12) + "@example.com";
        ExternalIdentity identity = ExternalIdentity.linked(alice, "a".repeat(ExternalIdentity.MAX_PROVIDER_LENGTH), issuer,
                subject, Optional.of(email), T0);
        assertThat(issuer).hasSize(ExternalIdentity.MAX_KEY_LENGTH);
        assertThat(subject).hasSize(ExternalIdentity.MAX_KEY_LENGTH);

        store.link(identity);

        assertThat(store.find(issuer, subject)).contains(identity);
    }

    @Test
    void find_ofAnUnknownKey_isEmpty() {
        store.link(identity(alice, KEYCLOAK, "alice"));

        assertThat(store.find(KEYCLOAK, "bob")).isEmpty();
        assertThat(store.find(ENTRA, "alice")).as("the subject is unique only within its issuer").isEmpty();
    }

    @Test
    void keysCompareExactly_caseAccentsAndTrailingSlashes() {
        store.link(identity(alice, KEYCLOAK, "Alice"));

        assertThat(store.find(KEYCLOAK, "alice")).isEmpty();
        assertThat(store.find(KEYCLOAK, "ALICE")).isEmpty();
        assertThat(store.find(KEYCLOAK.toUpperCase(), "Alice")).isEmpty();
        assertThat(store.find(KEYCLOAK + "/", "Alice")).isEmpty();
        assertThat(store.find(KEYCLOAK, "Alicé")).isEmpty();
        assertThat(store.find(KEYCLOAK, "Alice")).isPresent();
    }

    @Test
    void keysThatDifferOnlyInCaseOrAccents_areDistinctIdentities() {
        store.link(identity(alice, KEYCLOAK, "elodie"));
        store.link(identity(bob, KEYCLOAK, "Elodie"));
        store.link(identity(bob, KEYCLOAK, "élodie"));

        assertThat(store.find(KEYCLOAK, "elodie").orElseThrow().userId()).isEqualTo(alice);
        assertThat(store.find(KEYCLOAK, "Elodie").orElseThrow().userId()).isEqualTo(bob);
        assertThat(store.find(KEYCLOAK, "élodie").orElseThrow().userId()).isEqualTo(bob);
    }

    @Test
    void keysThatCannotBeStored_matchNothing() {
        store.link(identity(alice, KEYCLOAK, "alice"));

        // Databases whose collations pad with spaces would match these to "alice" if asked.
        for (String subject : List.of("alice ", "alice  ", " alice", "", "alice\0", "alice\t", "x".repeat(256))) {
            assertThat(store.find(KEYCLOAK, subject)).as("find %s", subject).isEmpty();
            assertThat(store.unlink(alice, KEYCLOAK, subject)).as("unlink %s", subject).isFalse();
            store.recordSignIn(KEYCLOAK, subject, T0.plusSeconds(1));
        }
        assertThat(store.find(KEYCLOAK + " ", "alice")).isEmpty();
        assertThat(store.find(KEYCLOAK, "alice")).contains(identity(alice, KEYCLOAK, "alice"));
    }

    @Test
    void link_ofALinkedKey_throwsDuplicate_whoeverHoldsIt_andChangesNothing() {
        ExternalIdentity alices = identity(alice, KEYCLOAK, "alice");
        store.link(alices);

        assertThatThrownBy(() -> store.link(ExternalIdentity.linked(bob, "other", KEYCLOAK, "alice", Optional.empty(),
                T0.plusSeconds(9)))).isInstanceOf(DuplicateExternalIdentityException.class)
                .hasMessageNotContaining("alice").hasMessageNotContaining(KEYCLOAK);
        assertThatThrownBy(() -> store.link(alices)).isInstanceOf(DuplicateExternalIdentityException.class);

        assertThat(store.find(KEYCLOAK, "alice")).contains(alices);
        assertThat(store.listForUser(bob)).isEmpty();
    }

    @Test
    void link_forAUserThatDoesNotExist_throwsNoSuchUser_andLinksNothing() {
        deleteUser(bob);

        assertThatThrownBy(() -> store.link(identity(bob, KEYCLOAK, "bob"))).isInstanceOf(NoSuchUserException.class);

        assertThat(store.find(KEYCLOAK, "bob")).isEmpty();
        assertThat(store.listForUser(bob)).isEmpty();
    }

    @Test
    void concurrentLinks_ofOneKey_haveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 3; round++) {
            String subject = "racer-" + round;
            List<Long> users = List.of(alice, bob);

            List<Outcome<Void>> outcomes = race(THREADS, i -> {
                store.link(identity(users.get(i % 2), KEYCLOAK, subject));
                return null;
            });

            assertThat(outcomes.stream().filter(Outcome::succeeded).count()).as("winners in round " + round).isEqualTo(1);
            assertThat(outcomes.stream().filter(o -> !o.succeeded()))
                    .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(DuplicateExternalIdentityException.class));
            long owner = store.find(KEYCLOAK, subject).orElseThrow().userId();
            assertThat(store.listForUser(owner)).extracting(ExternalIdentity::subject).containsOnlyOnce(subject);
        }
    }

    // ================================================================ listForUser

    @Test
    void listForUser_isOldestFirst_tiesByIssuerThenSubject_andOnlyTheUsers() {
        // KEYCLOAK ("https://login.example.com/...") sorts before ENTRA ("https://login.microsoftonline.com/...").
        ExternalIdentity third = ExternalIdentity.linked(alice, "keycloak", KEYCLOAK, "b", Optional.empty(), T0.plusSeconds(5));
        ExternalIdentity first = ExternalIdentity.linked(alice, "entra", ENTRA, "z", Optional.empty(), T0.minusSeconds(5));
        ExternalIdentity tieB = ExternalIdentity.linked(alice, "keycloak", KEYCLOAK, "a", Optional.empty(), T0);
        ExternalIdentity tieA = ExternalIdentity.linked(alice, "entra", ENTRA, "y", Optional.empty(), T0);
        ExternalIdentity tieC = ExternalIdentity.linked(alice, "keycloak", KEYCLOAK, "c", Optional.empty(), T0);
        for (ExternalIdentity identity : List.of(third, tieC, first, tieB, tieA)) {
            store.link(identity);
        }
        store.link(identity(bob, KEYCLOAK, "bob"));

        assertThat(store.listForUser(alice)).containsExactly(first, tieB, tieC, tieA, third);
        assertThat(store.listForUser(bob)).extracting(ExternalIdentity::subject).containsExactly("bob");
        assertThat(store.listForUser(Long.MAX_VALUE)).isEmpty();
    }

    // ================================================================ unlink

    @Test
    void unlink_removesTheUsersIdentity_only() {
        store.link(identity(alice, KEYCLOAK, "alice"));
        store.link(identity(alice, ENTRA, "alice"));

        assertThat(store.unlink(alice, KEYCLOAK, "alice")).isTrue();

        assertThat(store.find(KEYCLOAK, "alice")).isEmpty();
        assertThat(store.listForUser(alice)).extracting(ExternalIdentity::issuer).containsExactly(ENTRA);
        assertThat(store.unlink(alice, KEYCLOAK, "alice")).as("already gone").isFalse();
    }

    @Test
    void unlink_ofSomeoneElsesIdentity_changesNothing() {
        ExternalIdentity alices = identity(alice, KEYCLOAK, "alice");
        store.link(alices);

        assertThat(store.unlink(bob, KEYCLOAK, "alice")).isFalse();

        assertThat(store.find(KEYCLOAK, "alice")).contains(alices);
    }

    @Test
    void anUnlinkedKey_canBeLinkedAgain_toAnotherUser() {
        store.link(identity(alice, KEYCLOAK, "shared"));
        store.unlink(alice, KEYCLOAK, "shared");

        store.link(identity(bob, KEYCLOAK, "shared"));

        assertThat(store.find(KEYCLOAK, "shared").orElseThrow().userId()).isEqualTo(bob);
    }

    // ================================================================ recordSignIn

    @Test
    void recordSignIn_setsLastSignIn_toTheMicrosecond_andNeverMovesItBack() {
        ExternalIdentity linked = identity(alice, KEYCLOAK, "alice");
        store.link(linked);
        Instant later = T0.plusSeconds(60).plusNanos(1_999);

        store.recordSignIn(KEYCLOAK, "alice", later);
        assertThat(store.find(KEYCLOAK, "alice")).contains(linked.signedInAt(later.minusNanos(999)));

        store.recordSignIn(KEYCLOAK, "alice", T0.plusSeconds(30));
        assertThat(store.find(KEYCLOAK, "alice").orElseThrow().lastSignInAt()).contains(later.minusNanos(999));

        store.recordSignIn(KEYCLOAK, "alice", later.plusSeconds(1));
        assertThat(store.find(KEYCLOAK, "alice").orElseThrow().lastSignInAt()).contains(later.minusNanos(999).plusSeconds(1));
        assertThat(store.find(KEYCLOAK, "alice").orElseThrow().linkedAt()).isEqualTo(T0);
    }

    @Test
    void recordSignIn_ofAnUnlinkedKey_doesNothing() {
        store.recordSignIn(KEYCLOAK, "nobody", T0);

        assertThat(store.find(KEYCLOAK, "nobody")).isEmpty();
    }

    @Test
    void recordSignIn_outsideTheStorableInstants_isRefused() {
        store.link(identity(alice, KEYCLOAK, "alice"));

        assertThatThrownBy(() -> store.recordSignIn(KEYCLOAK, "alice", Instant.MAX)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.recordSignIn(KEYCLOAK, "alice", Instant.EPOCH.minusSeconds(1)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(store.find(KEYCLOAK, "alice").orElseThrow().lastSignInAt()).isEmpty();
    }

    // ================================================================ users deleted

    @Test
    void deletingAUser_unlinksTheirIdentities_andFreesTheKeys() {
        store.link(identity(alice, KEYCLOAK, "alice"));
        store.link(identity(alice, ENTRA, "alice"));
        ExternalIdentity bobs = identity(bob, KEYCLOAK, "bob");
        store.link(bobs);

        deleteUser(alice);

        assertThat(store.find(KEYCLOAK, "alice")).isEmpty();
        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.find(KEYCLOAK, "bob")).contains(bobs);
        long carol = newUser();
        store.link(identity(carol, ENTRA, "alice"));
        assertThat(store.find(ENTRA, "alice").orElseThrow().userId()).isEqualTo(carol);
    }

    // ================================================================ nulls

    @Test
    void nullArguments_throwNullPointerException_evenWhenEmpty() {
        assertThatNullPointerException().isThrownBy(() -> store.link(null));
        assertThatNullPointerException().isThrownBy(() -> store.find(null, "s"));
        assertThatNullPointerException().isThrownBy(() -> store.find(KEYCLOAK, null));
        assertThatNullPointerException().isThrownBy(() -> store.unlink(alice, null, "s"));
        assertThatNullPointerException().isThrownBy(() -> store.unlink(alice, KEYCLOAK, null));
        assertThatNullPointerException().isThrownBy(() -> store.recordSignIn(null, "s", T0));
        assertThatNullPointerException().isThrownBy(() -> store.recordSignIn(KEYCLOAK, null, T0));
        assertThatNullPointerException().isThrownBy(() -> store.recordSignIn(KEYCLOAK, "s", null));
    }
}
