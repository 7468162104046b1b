package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gatehouse.token.OneTimeSecret;
import dev.gatehouse.user.StoreLimits;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link SessionRecord} accepts, and how it makes client-supplied text storable. */
class SessionRecordTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:34:56.123456Z");
    private static final String ID = OneTimeSecret.digestOf("secret");
    private static final String FAMILY = OneTimeSecret.generate().value();
    private static final String STAMP = "abcdefghijklmnopqrstuvwxyz012345";

    @Test
    void recordsOfGeneratedValues_areAccepted() {
        SessionRecord record = record(ID, FAMILY, STAMP, 0, T0, Optional.of("192.0.2.1"), Optional.of("JUnit"));

        assertThat(record.id()).isEqualTo(ID);
        assertThat(record.ip()).contains("192.0.2.1");
        assertThat(record.userAgent()).contains("JUnit");
        assertThat(SessionRecord.isWellFormedId(ID)).isTrue();
        assertThat(SessionRecord.isWellFormedFamilyId(FAMILY)).isTrue();
    }

    @Test
    void idsMustBeDigests_andTheMessageDoesNotQuoteThem() {
        String upper = ID.toUpperCase(java.util.Locale.ROOT);
        for (String bad : new String[] {upper, ID + " ", ID.substring(1), ID + "0", "", "g".repeat(64)}) {
            assertThat(SessionRecord.isWellFormedId(bad)).as(bad).isFalse();
            assertThatIllegalArgumentException().isThrownBy(() -> record(bad, FAMILY, STAMP, 0, T0, Optional.empty(), Optional.empty()))
                    .withMessageNotContaining(upper.substring(0, 10)).withMessageNotContaining(ID.substring(0, 10));
        }
    }

    @Test
    void familyIdsAndStamps_areOneTo64UrlSafeCharacters() {
        for (String bad : new String[] {"", "a".repeat(65), "with space", "tab\t", "dot.", "ü"}) {
            assertThat(SessionRecord.isWellFormedFamilyId(bad)).as(bad).isFalse();
            assertThatIllegalArgumentException().isThrownBy(() -> record(ID, bad, STAMP, 0, T0, Optional.empty(), Optional.empty()));
            assertThatIllegalArgumentException().isThrownBy(() -> record(ID, FAMILY, bad, 0, T0, Optional.empty(), Optional.empty()));
        }
        assertThat(record(ID, "a".repeat(64), "-_Az09", 0, T0, Optional.empty(), Optional.empty()).familyId()).hasSize(64);
    }

    @Test
    void generationsAreNotNegative_andInstantsLieInTheStorableRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> record(ID, FAMILY, STAMP, -1, T0, Optional.empty(), Optional.empty()));
        assertThatIllegalArgumentException().isThrownBy(() -> record(ID, FAMILY, STAMP, 0, Instant.EPOCH.minusNanos(1000),
                Optional.empty(), Optional.empty()));
        assertThatIllegalArgumentException().isThrownBy(() -> record(ID, FAMILY, STAMP, 0, StoreLimits.MAX_INSTANT.plusNanos(1000),
                Optional.empty(), Optional.empty()));
        // Stored to the microsecond, this is MAX_INSTANT.
        assertThat(record(ID, FAMILY, STAMP, 0, StoreLimits.MAX_INSTANT.plusNanos(999), Optional.empty(), Optional.empty())
                .expiresAt()).isEqualTo(StoreLimits.MAX_INSTANT.plusNanos(999));
    }

    @Test
    void clientText_isCutToItsLimit_withoutSplittingASurrogatePair() {
        String agent = "a".repeat(254) + "😀" + "tail";
        SessionRecord record = record(ID, FAMILY, STAMP, 0, T0, Optional.of("x".repeat(100)), Optional.of(agent));

        assertThat(record.ip()).contains("x".repeat(64));
        assertThat(record.userAgent()).contains("a".repeat(254));
        assertThat(SessionRecord.clientText("a".repeat(253) + "😀" + "tail", 255)).isEqualTo("a".repeat(253) + "😀");
        assertThat(SessionRecord.clientText("short", 255)).isEqualTo("short");
    }

    @Test
    void clientText_replacesControlCharactersAndBrokenSurrogates() {
        assertThat(SessionRecord.clientText("a\u0000b\u0007c\u007fd\u0085e", 255)).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
        assertThat(SessionRecord.clientText("x\ud83d", 255)).isEqualTo("x\uFFFD");
        assertThat(SessionRecord.clientText("\ude00x", 255)).isEqualTo("\uFFFDx");
        assertThat(SessionRecord.clientText("\ud83d\ud83d\ude00", 255)).isEqualTo("\uFFFD😀");
        assertThat(SessionRecord.clientText("Écrit à Zürich 日本語 👩🏽‍💻", 255)).isEqualTo("Écrit à Zürich 日本語 👩🏽‍💻");
    }

    @Test
    void usedAtAndAsConsumed_changeOneFieldEach() {
        SessionRecord record = record(ID, FAMILY, STAMP, 2, T0, Optional.of("192.0.2.1"), Optional.of("JUnit"));

        SessionRecord used = record.usedAt(T0.plusSeconds(1));
        SessionRecord consumed = record.asConsumed();

        assertThat(used).usingRecursiveComparison().ignoringFields("lastUsedAt").isEqualTo(record);
        assertThat(used.lastUsedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(consumed).usingRecursiveComparison().ignoringFields("consumed").isEqualTo(record);
        assertThat(consumed.consumed()).isTrue();
        assertThat(record.consumed()).isFalse();
    }

    @Test
    void everyInstant_mustLieInTheStorableRange() {
        Instant late = StoreLimits.MAX_INSTANT.plusSeconds(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionRecord(ID, SessionKind.SESSION, 1, STAMP, FAMILY, 0,
                late, T0, T0, T0, false, Optional.empty(), Optional.empty())).withMessageContaining("createdAt");
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionRecord(ID, SessionKind.SESSION, 1, STAMP, FAMILY, 0,
                T0, late, T0, T0, false, Optional.empty(), Optional.empty())).withMessageContaining("lastUsedAt");
        assertThatIllegalArgumentException().isThrownBy(() -> new SessionRecord(ID, SessionKind.SESSION, 1, STAMP, FAMILY, 0,
                T0, T0, late, T0, false, Optional.empty(), Optional.empty())).withMessageContaining("authenticatedAt");
    }

    @Test
    void aSecretOfTheLongestAllowedLength_isLookedUp_andOnlyForItsKind() {
        String longest = "s".repeat(OneTimeSecret.MAX_PRESENTED_LENGTH);
        SessionStore store = new InMemorySessionStore();
        store.save(new SessionRecord(OneTimeSecret.digestOf(longest), SessionKind.REFRESH_TOKEN, 1, STAMP, FAMILY, 0, T0, T0, T0, T0,
                false, Optional.empty(), Optional.empty()));

        assertThat(store.findBySecret(longest, SessionKind.REFRESH_TOKEN)).isPresent();
        assertThat(store.findBySecret(longest, SessionKind.SESSION)).isEmpty();
        assertThat(store.findBySecret(longest + "s", SessionKind.REFRESH_TOKEN)).isEmpty();
    }

    @Test
    void toString_showsNeitherIdNorStamp() {
        SessionRecord record = record(ID, FAMILY, STAMP, 0, T0, Optional.empty(), Optional.empty());

        assertThat(record.toString()).doesNotContain(ID).doesNotContain(STAMP).doesNotContain(FAMILY)
                .startsWith("SessionRecord[SESSION, user=1, family=" + FAMILY.substring(0, 6));
    }

    private static SessionRecord record(String id, String family, String stamp, int generation, Instant expiresAt,
            Optional<String> ip, Optional<String> userAgent) {
        return new SessionRecord(id, SessionKind.SESSION, 1, stamp, family, generation, T0, T0, T0, expiresAt, false, ip,
                userAgent);
    }
}
