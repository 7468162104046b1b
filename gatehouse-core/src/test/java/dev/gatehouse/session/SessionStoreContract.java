package dev.gatehouse.session;

import static dev.gatehouse.testing.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.gatehouse.testing.Races.Outcome;
import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.SecurityStamps;
import dev.gatehouse.user.StoreLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every {@link SessionStore} must have, as executable tests. A store module
 * subclasses this, supplying a fresh, empty store per test through {@link #newStore()} and users
 * for the records through {@link #newUser()}; the in-memory, H2, PostgreSQL and MariaDB stores all
 * run it.
 *
 * <p>Stores may keep instants to the microsecond only, so every instant here has microsecond
 * precision. No test reads a clock: instants are passed explicitly.
 */
public abstract class SessionStoreContract {

    /** A point in time with microseconds, so that a store losing precision would show. */
    protected static final Instant T0 = Instant.parse("2024-05-01T12:34:56.123456Z");
    /** How many threads the race tests run; database pools must allow this many connections. */
    protected static final int THREADS = 8;
    /**
     * Threads in the bulk-delete races: one deleting, the rest changing records. More threads than
     * cores only slow each round down without making the overlap likelier.
     */
    private static final int BULK_RACERS = 4;
    private static final Duration MICRO = Duration.ofNanos(1_000);

    protected SessionStore store;
    /** Users the records of a test belong to; a fresh pair per test. */
    protected long alice;
    protected long bob;

    /** A fresh, empty store. */
    protected abstract SessionStore newStore();

    /**
     * The id of a new user records may belong to. Database stores need the user's row (their
     * sessions table references the users table); others may just count.
     */
    protected abstract long newUser();

    /**
     * How many rounds the bulk-delete races run. A lost update between reading a record and
     * deleting it needs many rounds to show in memory; a database round costs some milliseconds,
     * and a store that deletes in one SQL statement may run fewer.
     */
    protected int raceRounds() {
        return 20;
    }

    @BeforeEach
    void freshStore() {
        store = newStore();
        alice = newUser();
        bob = newUser();
    }

    // ================================================================ save and find

    @ParameterizedTest
    @EnumSource(SessionKind.class)
    void find_returnsEveryFieldAsSaved_withClientInfoPresentOrAbsent(SessionKind kind) {
        // Distinct values everywhere, so that two swapped columns could not go unnoticed.
        SessionRecord full = record(alice).kind(kind).generation(7)
                .createdAt(T0)
                .lastUsedAt(T0.plusSeconds(1).plus(MICRO))
                .authenticatedAt(T0.minusSeconds(2).minus(MICRO.multipliedBy(2)))
                .expiresAt(T0.plus(Duration.ofHours(3)).plus(MICRO.multipliedBy(3)))
                .consumed(true)
                .ip("2001:db8::8a2e:370:7334")
                .userAgent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .save();
        SessionRecord bare = record(bob).kind(kind).generation(0)
                .createdAt(T0.plus(MICRO))
                .lastUsedAt(T0.plus(MICRO.multipliedBy(5)))
                .authenticatedAt(Instant.EPOCH)
                .expiresAt(T0.plus(Duration.ofDays(30)))
                .consumed(false)
                .noIp()
                .noUserAgent()
                .save();

        assertThat(store.find(full.id())).contains(full);
        assertThat(store.find(bare.id())).contains(bare);
        assertThat(store.find(bare.id()).orElseThrow().ip()).isEmpty();
        assertThat(store.find(bare.id()).orElseThrow().userAgent()).isEmpty();
    }

    @Test
    void find_ofAnUnknownId_isEmpty() {
        record(alice).save();

        assertThat(store.find(OneTimeSecret.generate().digest())).isEmpty();
    }

    @Test
    void save_keepsTheLongestClientInfo_includingTextBeyondAscii() {
        String ip = "fe80:0000:0000:0000:0000:0000:0000:0001%enp0s31f6-with-a-long-zone";
        String userAgent = "Mozilla/5.0 (Linux; Android 14) Écrit à Zürich 日本語 👩🏽‍💻 𝄞 ".repeat(10);
        SessionRecord saved = record(alice).ip(ip).userAgent(userAgent).save();
        // The record cut them to their limits; the store keeps what the record holds.
        assertThat(saved.ip().orElseThrow()).hasSize(SessionRecord.MAX_IP_LENGTH);
        assertThat(saved.userAgent().orElseThrow()).hasSizeBetween(SessionRecord.MAX_USER_AGENT_LENGTH - 1,
                SessionRecord.MAX_USER_AGENT_LENGTH).contains("👩🏽‍💻", "日本語");

        assertThat(store.find(saved.id())).contains(saved);
    }

    @Test
    void save_keepsClientInfoThatWasMadeStorable() {
        // NUL, other control characters and a lone surrogate half: the record replaces them.
        SessionRecord saved = record(alice).ip("192.0.2.1\u0000").userAgent("bad\u0000agent\u001b[31m \ud83d end").save();

        assertThat(saved.userAgent()).contains("bad\uFFFDagent\uFFFD[31m \uFFFD end");
        assertThat(store.find(saved.id())).contains(saved);
    }

    @Test
    void save_keepsTheExtremesOfTheInstantRange() {
        SessionRecord saved = record(alice).createdAt(StoreLimits.MIN_INSTANT).lastUsedAt(StoreLimits.MIN_INSTANT)
                .authenticatedAt(StoreLimits.MIN_INSTANT).expiresAt(StoreLimits.MAX_INSTANT).save();

        assertThat(store.find(saved.id())).contains(saved);
    }

    @Test
    void save_replacesTheWholeRecordWithTheSameId() {
        SessionRecord first = record(alice).kind(SessionKind.REFRESH_TOKEN).generation(3).consumed(true)
                .familyId("first-family").ip("192.0.2.1").userAgent("first").save();
        SessionRecord second = record(bob).id(first.id()).kind(SessionKind.SESSION).generation(0).consumed(false)
                .familyId("second-family").createdAt(T0.plusSeconds(60)).lastUsedAt(T0.plusSeconds(61))
                .authenticatedAt(T0.plusSeconds(59)).expiresAt(T0.plusSeconds(3600)).noIp().userAgent("second")
                .build();

        store.save(second);

        assertThat(store.find(first.id())).contains(second);
        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.listForUser(bob)).containsExactly(second);
        assertThat(store.deleteFamily("first-family")).isZero();
        assertThat(store.consume(first.id())).as("the replacement is not consumed").isTrue();
    }

    @Test
    void stringsThatCannotBeIdsOrFamilyIds_matchNothing() {
        String id = OneTimeSecret.digestOf("a known secret");
        SessionRecord saved = record(alice).id(id).familyId("FamilyA").lastUsedAt(T0).save();
        List<String> notIds = List.of(id.toUpperCase(Locale.ROOT), id + " ", " " + id, id.substring(1), id + "0",
                id.substring(0, 63) + "g", "", "x".repeat(10_000));
        List<String> notFamilies = List.of("familya", "FAMILYA", "FamilyA ", " FamilyA", "Family", "FamilyA%", "",
                "F".repeat(10_000));

        for (String notId : notIds) {
            assertThat(store.find(notId)).isEmpty();
            store.touch(notId, T0.plusSeconds(1));
            assertThat(store.consume(notId)).isFalse();
            assertThat(store.delete(notId)).isFalse();
        }
        for (String notFamily : notFamilies) {
            assertThat(store.familyExpiresAt(notFamily)).isEmpty();
            assertThat(store.deleteFamily(notFamily)).isZero();
        }

        assertThat(store.find(id)).contains(saved);
    }

    // ================================================================ touch

    @Test
    void touch_movesLastUsedAtForward_andChangesNothingElse() {
        SessionRecord saved = record(alice).lastUsedAt(T0).save();

        store.touch(saved.id(), T0.plus(MICRO));

        assertThat(store.find(saved.id())).contains(saved.usedAt(T0.plus(MICRO)));
        store.touch(saved.id(), T0.plus(Duration.ofHours(2)));
        assertThat(store.find(saved.id())).contains(saved.usedAt(T0.plus(Duration.ofHours(2))));
    }

    @Test
    void touch_neverMovesLastUsedAtBack() {
        SessionRecord saved = record(alice).lastUsedAt(T0).save();

        store.touch(saved.id(), T0);
        store.touch(saved.id(), Instant.EPOCH);
        // Last, so that a store moving it back would be caught here whatever it did before.
        store.touch(saved.id(), T0.minus(MICRO));

        assertThat(store.find(saved.id())).contains(saved);
    }

    @Test
    void touch_ofAMissingRecord_doesNothing() {
        String missing = OneTimeSecret.generate().digest();

        store.touch(missing, T0);

        assertThat(store.find(missing)).isEmpty();
        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.deleteExpired(StoreLimits.MAX_INSTANT)).isZero();
    }

    @Test
    void touch_keepsAConsumedRecordConsumed() {
        SessionRecord saved = record(alice).kind(SessionKind.REFRESH_TOKEN).lastUsedAt(T0).save();
        store.consume(saved.id());

        store.touch(saved.id(), T0.plusSeconds(5));

        assertThat(store.find(saved.id())).contains(saved.asConsumed().usedAt(T0.plusSeconds(5)));
    }

    @Test
    void concurrentTouches_leaveTheLatestInstant() throws Exception {
        SessionRecord saved = record(alice).lastUsedAt(T0).save();

        // Each thread touches with its own instants, the latest overall coming from the last thread.
        List<Outcome<Void>> outcomes = race(THREADS, i -> {
            for (int k = 0; k < 5; k++) {
                store.touch(saved.id(), T0.plusSeconds(1 + i + (long) k * THREADS));
            }
            return null;
        });

        assertThat(outcomes).allMatch(Outcome::succeeded);
        assertThat(store.find(saved.id())).contains(saved.usedAt(T0.plusSeconds(5L * THREADS)));
    }

    // ================================================================ consume

    @Test
    void consume_succeedsOnce_andMarksOnlyThatRecord() {
        SessionRecord token = record(alice).kind(SessionKind.REFRESH_TOKEN).save();
        SessionRecord sibling = record(alice).kind(SessionKind.REFRESH_TOKEN).familyId(token.familyId()).generation(1).save();

        assertThat(store.consume(token.id())).isTrue();

        assertThat(store.find(token.id())).contains(token.asConsumed());
        assertThat(store.consume(token.id())).isFalse();
        assertThat(store.consume(token.id())).isFalse();
        assertThat(store.find(token.id())).contains(token.asConsumed());
        assertThat(store.find(sibling.id())).contains(sibling);
    }

    @Test
    void consume_ofARecordSavedAsConsumed_isFalse() {
        SessionRecord used = record(alice).kind(SessionKind.REFRESH_TOKEN).consumed(true).save();

        assertThat(store.consume(used.id())).isFalse();
        assertThat(store.find(used.id())).contains(used);
    }

    @Test
    void consume_ofAMissingRecord_isFalse_andCreatesNothing() {
        String missing = OneTimeSecret.generate().digest();

        assertThat(store.consume(missing)).isFalse();

        assertThat(store.find(missing)).isEmpty();
    }

    @Test
    void concurrentConsumes_ofOneRecord_haveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 3; round++) {
            SessionRecord token = record(alice).kind(SessionKind.REFRESH_TOKEN).save();

            List<Outcome<Boolean>> outcomes = race(THREADS, i -> store.consume(token.id()));

            assertThat(outcomes).allMatch(Outcome::succeeded);
            assertThat(outcomes.stream().filter(Outcome::value).count()).as("winners in round " + round).isEqualTo(1);
            assertThat(store.find(token.id())).contains(token.asConsumed());
        }
    }

    // ================================================================ delete

    @Test
    void delete_removesOneRecord_andSaysWhetherItExisted() {
        SessionRecord doomed = record(alice).save();
        SessionRecord sibling = record(alice).familyId(doomed.familyId()).kind(SessionKind.REMEMBER_ME).save();

        assertThat(store.delete(doomed.id())).isTrue();

        assertThat(store.find(doomed.id())).isEmpty();
        assertThat(store.delete(doomed.id())).isFalse();
        assertThat(store.find(sibling.id())).contains(sibling);
        assertThat(store.delete(OneTimeSecret.generate().digest())).isFalse();
    }

    @Test
    void deleteFamily_removesEveryKindInTheFamily_andNothingElse() {
        List<SessionRecord> family = List.of(
                record(alice).familyId("FamilyA").kind(SessionKind.SESSION).save(),
                record(alice).familyId("FamilyA").kind(SessionKind.REMEMBER_ME).save(),
                record(alice).familyId("FamilyA").kind(SessionKind.REFRESH_TOKEN).generation(1).consumed(true).save());
        List<SessionRecord> others = List.of(
                record(alice).familyId("FamilyB").save(),
                record(alice).familyId("familya").save(),
                record(alice).familyId("FamilyA2").save(),
                record(bob).familyId("Family").save());

        assertThat(store.deleteFamily("FamilyA")).isEqualTo(3);

        assertThat(family).allSatisfy(r -> assertThat(store.find(r.id())).isEmpty());
        assertThat(others).allSatisfy(r -> assertThat(store.find(r.id())).contains(r));
        assertThat(store.deleteFamily("FamilyA")).isZero();
        assertThat(store.deleteFamily("NoSuchFamily")).isZero();
    }

    // ================================================================ familyExpiresAt

    @Test
    void familyExpiresAt_isTheLatestExpiryOfAnyRecordOfTheFamily_consumedAndExpiredIncluded() {
        Instant latest = T0.plus(Duration.ofDays(30));
        record(alice).familyId("FamilyA").kind(SessionKind.SESSION).expiresAt(T0.plus(Duration.ofHours(12))).save();
        record(alice).familyId("FamilyA").kind(SessionKind.REFRESH_TOKEN).consumed(true).expiresAt(latest).save();
        record(alice).familyId("FamilyA").kind(SessionKind.REMEMBER_ME).expiresAt(T0).save();
        record(alice).familyId("FamilyB").expiresAt(latest.plusSeconds(1)).save();
        record(alice).familyId("familya").expiresAt(latest.plusSeconds(2)).save();

        assertThat(store.familyExpiresAt("FamilyA")).contains(latest);
        assertThat(store.familyExpiresAt("NoSuchFamily")).isEmpty();
    }

    @Test
    void familyExpiresAt_followsDeletesAndReplacements() {
        SessionRecord session = record(alice).familyId("FamilyA").expiresAt(T0.plus(Duration.ofHours(1))).save();
        SessionRecord grant = record(alice).familyId("FamilyA").kind(SessionKind.REMEMBER_ME)
                .expiresAt(T0.plus(Duration.ofDays(2))).save();

        assertThat(store.delete(grant.id())).isTrue();
        assertThat(store.familyExpiresAt("FamilyA")).contains(session.expiresAt());

        // The same id saved into another family leaves the first one.
        record(alice).id(session.id()).familyId("FamilyB").expiresAt(T0.plus(Duration.ofHours(3))).save();
        assertThat(store.familyExpiresAt("FamilyA")).isEmpty();
        assertThat(store.familyExpiresAt("FamilyB")).contains(T0.plus(Duration.ofHours(3)));

        record(alice).familyId("FamilyB").save();
        store.deleteFamily("FamilyB");
        assertThat(store.familyExpiresAt("FamilyB")).isEmpty();

        record(bob).familyId("FamilyC").save();
        store.deleteAllForUser(bob);
        assertThat(store.familyExpiresAt("FamilyC")).isEmpty();

        record(bob).familyId("FamilyD").expiresAt(T0).save();
        store.deleteExpired(T0);
        assertThat(store.familyExpiresAt("FamilyD")).isEmpty();
    }

    @Test
    void deleteAllForUser_removesOnlyThatUsersRecords() {
        record(alice).kind(SessionKind.SESSION).save();
        record(alice).kind(SessionKind.REMEMBER_ME).save();
        record(alice).kind(SessionKind.REFRESH_TOKEN).expiresAt(T0).save();
        List<SessionRecord> bobs = List.of(record(bob).save(), record(bob).kind(SessionKind.REFRESH_TOKEN).save());

        assertThat(store.deleteAllForUser(alice)).isEqualTo(3);

        assertThat(store.listForUser(alice)).isEmpty();
        assertThat(store.listForUser(bob)).containsExactlyInAnyOrderElementsOf(bobs);
        assertThat(store.deleteAllForUser(alice)).isZero();
        assertThat(store.deleteAllForUser(newUser())).isZero();
    }

    @Test
    void deleteExpired_removesRecordsExpiringAtOrBeforeNow_ofEveryUser() {
        Instant now = T0.plus(Duration.ofHours(1));
        record(alice).expiresAt(now.minus(MICRO)).save();
        record(alice).expiresAt(now).kind(SessionKind.REMEMBER_ME).save();
        record(alice).expiresAt(StoreLimits.MIN_INSTANT).createdAt(StoreLimits.MIN_INSTANT)
                .lastUsedAt(StoreLimits.MIN_INSTANT).authenticatedAt(StoreLimits.MIN_INSTANT).save();
        record(bob).expiresAt(now.minusSeconds(1)).kind(SessionKind.REFRESH_TOKEN).save();
        List<SessionRecord> alive = List.of(
                record(alice).expiresAt(now.plus(MICRO)).save(),
                record(bob).expiresAt(StoreLimits.MAX_INSTANT).save());

        assertThat(store.deleteExpired(now)).isEqualTo(4);

        assertThat(store.listForUser(alice)).containsExactly(alive.get(0));
        assertThat(store.listForUser(bob)).containsExactly(alive.get(1));
        assertThat(store.deleteExpired(now)).isZero();
    }

    // ================================================================ listForUser

    @Test
    void listForUser_returnsThatUsersRecords_oldestFirst_expiredAndConsumedIncluded() {
        // Saved out of order, interleaved with another user's.
        SessionRecord second = record(alice).createdAt(T0.plus(MICRO)).kind(SessionKind.REMEMBER_ME).save();
        record(bob).createdAt(T0.minusSeconds(10)).save();
        SessionRecord fourth = record(alice).createdAt(T0.plusSeconds(3600)).save();
        SessionRecord first = record(alice).createdAt(T0).expiresAt(T0.plusSeconds(1)).save();
        record(bob).createdAt(T0.plusSeconds(1)).save();
        SessionRecord third = record(alice).createdAt(T0.plusSeconds(1)).kind(SessionKind.REFRESH_TOKEN)
                .consumed(true).save();

        assertThat(store.listForUser(alice)).containsExactly(first, second, third, fourth);
        assertThat(store.listForUser(newUser())).isEmpty();
    }

    @Test
    void listForUser_showsRecordsAsTheyAreNow() {
        SessionRecord saved = record(alice).kind(SessionKind.REFRESH_TOKEN).lastUsedAt(T0).save();
        store.touch(saved.id(), T0.plusSeconds(30));
        store.consume(saved.id());

        assertThat(store.listForUser(alice)).containsExactly(saved.usedAt(T0.plusSeconds(30)).asConsumed());
    }

    // ================================================================ races with bulk deletes

    @Test
    void deleteFamily_deletesRecordsTouchedAndConsumedMeanwhile() throws Exception {
        assertBulkDeleteWinsRaces(round -> record(alice).familyId("race" + round),
                round -> store.deleteFamily("race" + round));
    }

    @Test
    void deleteAllForUser_deletesRecordsTouchedAndConsumedMeanwhile() throws Exception {
        assertBulkDeleteWinsRaces(round -> record(alice), round -> store.deleteAllForUser(alice));
    }

    @Test
    void deleteExpired_deletesRecordsTouchedAndConsumedMeanwhile() throws Exception {
        assertBulkDeleteWinsRaces(round -> record(alice).expiresAt(T0.plusSeconds(round)),
                round -> store.deleteExpired(T0.plusSeconds(round)));
    }

    /**
     * Per round: saves a group of records, then one thread deletes the group while the others
     * keep touching and consuming its records. A store that deletes only records unchanged since
     * it looked at them would leave some behind (while counting them).
     */
    private void assertBulkDeleteWinsRaces(Function<Integer, Draft> member, ToIntFunction<Integer> deleteGroup)
            throws Exception {
        int size = 16;
        for (int round = 0; round < raceRounds(); round++) {
            List<SessionRecord> group = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                group.add(member.apply(round)
                        .kind(i % 2 == 0 ? SessionKind.SESSION : SessionKind.REFRESH_TOKEN).lastUsedAt(T0).save());
            }
            AtomicBoolean busy = new AtomicBoolean();
            AtomicBoolean deleted = new AtomicBoolean();
            int currentRound = round;

            List<Outcome<Integer>> outcomes = race(BULK_RACERS, i -> {
                if (i == 0) {
                    // Start deleting once the others are busy, so that the two overlap.
                    while (!busy.get()) {
                        Thread.onSpinWait();
                    }
                    int count = deleteGroup.applyAsInt(currentRound);
                    deleted.set(true);
                    return count;
                }
                Instant at = T0;
                for (int k = i; !deleted.get(); k++) {
                    busy.set(true);
                    SessionRecord r = group.get(k % size);
                    at = at.plus(MICRO);
                    store.touch(r.id(), at);
                    if (r.kind() == SessionKind.REFRESH_TOKEN) {
                        store.consume(r.id());
                    }
                }
                return 0;
            });

            assertThat(outcomes.get(0).value()).as("deleted in round " + round).isEqualTo(size);
            assertThat(group).as("left behind in round " + round)
                    .allSatisfy(r -> assertThat(store.find(r.id())).isEmpty());
            assertThat(outcomes).allMatch(Outcome::succeeded);
        }
    }

    // ================================================================ nulls

    @Test
    void nullArguments_areRefused_onAnEmptyStoreAndOtherwise() {
        assertNullsRefused();
        SessionRecord saved = record(alice).save();

        assertNullsRefused();

        assertThat(store.find(saved.id())).contains(saved);
        assertThat(store.listForUser(alice)).containsExactly(saved);
    }

    private void assertNullsRefused() {
        String id = OneTimeSecret.generate().digest();
        assertThatNullPointerException().isThrownBy(() -> store.save(null));
        assertThatNullPointerException().isThrownBy(() -> store.find(null));
        assertThatNullPointerException().isThrownBy(() -> store.touch(null, T0));
        assertThatNullPointerException().isThrownBy(() -> store.touch(id, null));
        assertThatNullPointerException().isThrownBy(() -> store.consume(null));
        assertThatNullPointerException().isThrownBy(() -> store.delete(null));
        assertThatNullPointerException().isThrownBy(() -> store.deleteFamily(null));
        assertThatNullPointerException().isThrownBy(() -> store.familyExpiresAt(null));
        assertThatNullPointerException().isThrownBy(() -> store.deleteExpired(null));
    }

    // ================================================================ helpers

    /** A new record of {@code userId} with a random id and family and plausible values. */
    protected Draft record(long userId) {
        return new Draft(userId);
    }

    /** A record being put together for a test: every field settable, storable defaults. */
    protected final class Draft {
        private String id = OneTimeSecret.generate().digest();
        private SessionKind kind = SessionKind.SESSION;
        private final long userId;
        private final String securityStamp = SecurityStamps.generate();
        private String familyId = OneTimeSecret.generate().value();
        private int generation;
        private Instant createdAt = T0;
        private Instant lastUsedAt = T0.plusSeconds(10);
        private Instant authenticatedAt = T0.minusSeconds(5);
        private Instant expiresAt = T0.plus(Duration.ofHours(12));
        private boolean consumed;
        private Optional<String> ip = Optional.of("192.0.2.1");
        private Optional<String> userAgent = Optional.of("JUnit");

        private Draft(long userId) {
            this.userId = userId;
        }

        public Draft id(String value) {
            id = value;
            return this;
        }

        public Draft kind(SessionKind value) {
            kind = value;
            return this;
        }

        public Draft familyId(String value) {
            familyId = value;
            return this;
        }

        public Draft generation(int value) {
            generation = value;
            return this;
        }

        public Draft createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Draft lastUsedAt(Instant value) {
            lastUsedAt = value;
            return this;
        }

        public Draft authenticatedAt(Instant value) {
            authenticatedAt = value;
            return this;
        }

        public Draft expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        public Draft consumed(boolean value) {
            consumed = value;
            return this;
        }

        public Draft ip(String value) {
            ip = Optional.of(value);
            return this;
        }

        public Draft noIp() {
            ip = Optional.empty();
            return this;
        }

        public Draft userAgent(String value) {
            userAgent = Optional.of(value);
            return this;
        }

        public Draft noUserAgent() {
            userAgent = Optional.empty();
            return this;
        }

        public SessionRecord build() {
            return new SessionRecord(id, kind, userId, securityStamp, familyId, generation, createdAt, lastUsedAt,
                    authenticatedAt, expiresAt, consumed, ip, userAgent);
        }

        /** Builds the record, saves it, and returns it. */
        public SessionRecord save() {
            SessionRecord record = build();
            store.save(record);
            return record;
        }
    }
}
