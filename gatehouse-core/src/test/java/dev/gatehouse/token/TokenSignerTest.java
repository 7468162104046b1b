package dev.gatehouse.token;

import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.SECRET_PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.Secret;
import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.token.TokenCheck.Expired;
import dev.gatehouse.token.TokenCheck.Invalid;
import dev.gatehouse.token.TokenCheck.Reason;
import dev.gatehouse.token.TokenCheck.Valid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSignerTest {

    static final String SECRET_A = "a-secret-of-enough-bytes-1c8e0b7f4d2a9e6b";
    static final String SECRET_B = "b-secret-of-enough-bytes-5f3a7d1c9b0e2f8a";
    static final String SECRET_C = "c-secret-of-enough-bytes-7e2b4c6a8d0f1e3c";
    static final Duration MAX_AGE = Duration.ofMinutes(15);
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final TokenSigner signer = signer(SECRET_A);

    TokenSigner signer(String secret, String... previous) {
        GatehouseConfig config = GatehouseConfig.builder().set(SECRET, Secret.of(secret)).set(SECRET_PREVIOUS, List.of(previous).stream().map(Secret::of).toList()).build();
        return TokenSigner.create(config, clock);
    }

    static Invalid invalid(Reason reason) {
        return new Invalid(reason);
    }

    @Nested
    class RoundTrip {

        @Test
        void a_signed_token_verifies_with_its_payload_and_issue_time() {
            String token = signer.sign("confirm", "42:9fQ2");

            assertThat(signer.verify("confirm", token, MAX_AGE))
                    .isEqualTo(new Valid("42:9fQ2", Instant.parse("2026-03-01T10:00:00Z")));
            assertThat(signer.verify("confirm", token, MAX_AGE).validPayload()).contains("42:9fQ2");
        }

        @Test
        void the_token_is_compact_url_safe_and_versioned() {
            String token = signer.sign("reset", "42:9fQ2");

            assertThat(token).matches("v1\\.[A-Za-z0-9_-]{8}\\.1772359200\\.NDI6OWZRMg\\.[A-Za-z0-9_-]{43}");
            assertThat(token).hasSizeLessThan(80);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "x", "a.b.c..", "...", "ünïcødé ✓ 𝄞 日本語", "{\"id\":42,\"stamp\":\"9fQ2\"}", "tab\tnew\nline\u0000nul",
                "=+/ padding== and base64 look-alikes"})
        void any_payload_round_trips(String payload) {
            String token = signer.sign("login", payload);

            assertThat(signer.verify("login", token, MAX_AGE)).isEqualTo(new Valid(payload, clock.instant()));
        }

        @Test
        void the_largest_payload_fits_the_largest_token() {
            String payload = "€".repeat(TokenSigner.MAX_PAYLOAD_BYTES / 3) + "xy";   // exactly 2048 bytes

            String token = signer.sign("api", payload);

            assertThat(token.length()).isLessThanOrEqualTo(TokenSigner.MAX_TOKEN_LENGTH);
            assertThat(signer.verify("api", token, MAX_AGE).validPayload()).contains(payload);
        }

        @Test
        void another_signer_with_the_same_secret_verifies_it() {
            String token = signer.sign("remember", "7:abc");

            assertThat(signer(SECRET_A).verify("remember", token, MAX_AGE).validPayload()).contains("7:abc");
        }
    }

    @Nested
    class PurposeBinding {

        @Test
        void a_token_for_one_purpose_is_invalid_for_any_other() {
            String token = signer.sign("confirm", "42:9fQ2");

            for (String other : List.of("reset", "login", "remember", "api", "confirm-email", "confirmx")) {
                assertThat(signer.verify(other, token, MAX_AGE)).as(other).isEqualTo(invalid(Reason.BAD_SIGNATURE));
            }
        }

        @Test
        void purposes_sign_with_different_keys() {
            String confirm = signer.sign("confirm", "42");
            String reset = signer.sign("reset", "42");

            assertThat(confirm.substring(0, confirm.lastIndexOf('.'))).isEqualTo(reset.substring(0, reset.lastIndexOf('.')));
            assertThat(confirm).isNotEqualTo(reset);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Reset", "1reset", "re set", "reset.v2", "re_set", "abcdefghijklmnopqrstuvwxyz1234567"})
        void malformed_purposes_are_programming_errors(String purpose) {
            assertThatThrownBy(() -> signer.sign(purpose, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> signer.verify(purpose, "x", MAX_AGE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Tampering {

        @Test
        void changing_any_single_character_makes_the_token_invalid() {
            clock.advance(Duration.ofMinutes(20));   // signed long ago: a tampered token must not pass as expired either
            String token = signer.sign("reset", "42:9fQ2.stamp");
            clock.advance(Duration.ofMinutes(5));
            int checked = 0;

            for (int i = 0; i < token.length(); i++) {
                for (char c : ALPHABET.toCharArray()) {
                    if (c != token.charAt(i)) {
                        String tampered = token.substring(0, i) + c + token.substring(i + 1);
                        assertThat(signer.verify("reset", tampered, MAX_AGE)).as(tampered).isInstanceOf(Invalid.class);
                        checked++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(4000);
        }

        @Test
        void the_signature_text_is_canonical_even_in_base64s_unused_bits() {
            String token = signer.sign("reset", "42");
            char last = token.charAt(token.length() - 1);
            // The last of 43 characters carries 4 signature bits and 2 unused ones: flip only the unused.
            int index = ALPHABET.indexOf(last);
            char sameBits = ALPHABET.charAt(index ^ 1);

            assertThat(signer.verify("reset", token.substring(0, token.length() - 1) + sameBits, MAX_AGE))
                    .isEqualTo(invalid(Reason.BAD_SIGNATURE));
        }

        @Test
        void every_truncation_and_extension_is_invalid() {
            String token = signer.sign("reset", "42:9fQ2");

            for (int length = 0; length < token.length(); length++) {
                assertThat(signer.verify("reset", token.substring(0, length), MAX_AGE)).isInstanceOf(Invalid.class);
            }
            for (String suffix : List.of("A", ".", "=", "==", " ", "\n", ".AAAA")) {
                assertThat(signer.verify("reset", token + suffix, MAX_AGE)).isInstanceOf(Invalid.class);
            }
            assertThat(signer.verify("reset", " " + token, MAX_AGE)).isInstanceOf(Invalid.class);
        }

        @Test
        void swapping_parts_between_genuine_tokens_is_invalid() {
            String[] first = signer.sign("reset", "42:aaaa").split("\\.");
            clock.advance(Duration.ofSeconds(7));
            String[] second = signer.sign("reset", "43:bbbb").split("\\.");

            String otherPayload = String.join(".", first[0], first[1], first[2], second[3], first[4]);
            String otherTime = String.join(".", first[0], first[1], second[2], first[3], first[4]);

            assertThat(signer.verify("reset", otherPayload, MAX_AGE)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
            assertThat(signer.verify("reset", otherTime, MAX_AGE)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
        }
    }

    /** A token that verified once is answered from memory after; nothing about the answer may change. */
    @Nested
    class Remembered {

        @Test
        void a_token_verified_again_is_answered_from_memory() {
            String token = signer.sign("api", "42:stamp:family");

            Valid first = (Valid) signer.verify("api", token, MAX_AGE);
            Valid again = (Valid) signer.verify("api", token, MAX_AGE);

            assertThat(again).isEqualTo(first);
            // Decoding the payload afresh would give an equal string, not the same one.
            assertThat(again.payload()).isSameAs(first.payload());
            assertThat(signer.rememberedTokens()).isEqualTo(1);
        }

        @Test
        void changing_any_single_character_of_a_remembered_token_makes_it_invalid_and_is_not_remembered() {
            String token = signer.sign("api", "42:9fQ2.stamp");
            assertThat(signer.verify("api", token, MAX_AGE)).isInstanceOf(Valid.class);

            for (int i = 0; i < token.length(); i++) {
                for (char c : ALPHABET.toCharArray()) {
                    if (c != token.charAt(i)) {
                        String tampered = token.substring(0, i) + c + token.substring(i + 1);
                        assertThat(signer.verify("api", tampered, MAX_AGE)).as(tampered).isInstanceOf(Invalid.class);
                    }
                }
            }
            assertThat(signer.rememberedTokens()).isEqualTo(1);
            assertThat(signer.verify("api", token, MAX_AGE)).isInstanceOf(Valid.class);
        }

        @Test
        void a_remembered_signature_is_compared_as_text_down_to_base64s_unused_bits() {
            String token = signer.sign("api", "42");
            signer.verify("api", token, MAX_AGE);
            char last = token.charAt(token.length() - 1);
            char sameBits = ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);

            assertThat(signer.verify("api", token.substring(0, token.length() - 1) + sameBits, MAX_AGE))
                    .isEqualTo(invalid(Reason.BAD_SIGNATURE));
        }

        @Test
        void a_remembered_token_is_still_bound_to_its_purpose() {
            String token = signer.sign("api", "42");
            assertThat(signer.verify("api", token, MAX_AGE)).isInstanceOf(Valid.class);

            assertThat(signer.verify("reset", token, MAX_AGE)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
        }

        @Test
        void a_remembered_token_still_ages_and_is_still_refused_from_the_future() {
            Instant issued = clock.instant();
            String token = signer.sign("api", "42");
            assertThat(signer.verify("api", token, MAX_AGE)).isInstanceOf(Valid.class);

            clock.advance(MAX_AGE.plusSeconds(1));
            assertThat(signer.verify("api", token, MAX_AGE)).isEqualTo(new Expired("42", issued, issued.plus(MAX_AGE)));
            clock.set(issued.minus(TokenSigner.CLOCK_SKEW).minusSeconds(1));
            assertThat(signer.verify("api", token, MAX_AGE)).isEqualTo(invalid(Reason.ISSUED_IN_FUTURE));
            clock.set(issued);
            assertThat(signer.verify("api", token, MAX_AGE)).isEqualTo(new Valid("42", issued));
        }

        @Test
        void the_memory_is_bounded_and_starts_afresh_when_full() {
            String last = null;
            for (int i = 0; i <= VerifiedTokens.MAX_ENTRIES; i++) {
                last = signer.sign("api", Integer.toString(i));
                assertThat(signer.verify("api", last, MAX_AGE)).isInstanceOf(Valid.class);
            }

            assertThat(signer.rememberedTokens()).isEqualTo(1);
            Valid first = (Valid) signer.verify("api", last, MAX_AGE);
            assertThat(signer.verify("api", last, MAX_AGE)).isInstanceOfSatisfying(Valid.class,
                    again -> assertThat(again.payload()).isSameAs(first.payload()));
        }
    }

    @Nested
    class Garbage {

        static Stream<String> garbage() {
            String token = "v1.AAAAAAAA.1772359200.NDI.";
            return Stream.of(null, "", " ", ".", "....", ".....", "v1", "v1....", "v2.AAAAAAAA.1.NDI." + "A".repeat(43),
                    "V1.AAAAAAAA.1.NDI." + "A".repeat(43),
                    token + "A".repeat(42), token + "A".repeat(44), token + "A".repeat(42) + "=",
                    "v1.AAAAAAA.1.NDI." + "A".repeat(43),
                    "v1.AAAAAAAA.01.NDI." + "A".repeat(43),
                    "v1.AAAAAAAA.-1.NDI." + "A".repeat(43),
                    "v1.AAAAAAAA.1234567890123.NDI." + "A".repeat(43),
                    "v1.AAAAAAAA.1.N." + "A".repeat(43),
                    "v1.AAAAAAAA.1.NDI=." + "A".repeat(43),
                    "v1.AAAAAAAA.1.ND+/." + "A".repeat(43),
                    "v1.AAAAAAAA.1.NDI." + "A".repeat(42) + "é",
                    "v1.AAAAAAAA.1.NDI." + "A".repeat(43) + ".x",
                    "v1.ÄAAAAAAA.1.NDI." + "A".repeat(43),
                    "v1.AAAAAAAA.１.NDI." + "A".repeat(43),
                    "\u0000".repeat(100),
                    "eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9.",
                    ".".repeat(TokenSigner.MAX_TOKEN_LENGTH),
                    "A".repeat(TokenSigner.MAX_TOKEN_LENGTH + 1),
                    "v1.AAAAAAAA.1." + "A".repeat(1_000_000) + "." + "A".repeat(43));
        }

        @ParameterizedTest
        @MethodSource("garbage")
        void is_invalid_without_exceptions(String input) {
            assertThat(signer.verify("reset", input, MAX_AGE)).isInstanceOf(Invalid.class);
        }

        @Test
        void well_shaped_random_tokens_are_invalid() {
            Random random = new Random(20260301);
            String keyId = signer.sign("reset", "x").split("\\.")[1];
            for (int i = 0; i < 2000; i++) {
                String candidate = String.join(".", "v1", i % 2 == 0 ? keyId : random(random, 8),
                        Long.toString(1772359200L - random.nextInt(1000)), random(random, random.nextInt(40)),
                        random(random, 43));
                TokenCheck result = signer.verify("reset", candidate, MAX_AGE);
                assertThat(result).as(candidate).isInstanceOf(Invalid.class);
            }
        }

        @Test
        void unknown_keys_are_reported_as_such() {
            String token = signer(SECRET_C).sign("reset", "42");

            assertThat(signer.verify("reset", token, MAX_AGE)).isEqualTo(invalid(Reason.UNKNOWN_KEY));
        }

        private static String random(Random random, int length) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                b.append(ALPHABET.charAt(random.nextInt(64)));
            }
            return b.toString();
        }
    }

    @Nested
    class Expiry {

        @Test
        void a_token_is_valid_up_to_its_max_age_inclusive_then_expired_with_its_payload() {
            Instant issued = clock.instant();
            String token = signer.sign("confirm", "42:9fQ2");

            clock.advance(MAX_AGE);
            assertThat(signer.verify("confirm", token, MAX_AGE)).isEqualTo(new Valid("42:9fQ2", issued));

            clock.advance(Duration.ofSeconds(1));
            assertThat(signer.verify("confirm", token, MAX_AGE)).isEqualTo(new Expired("42:9fQ2", issued, issued.plus(MAX_AGE)));
            assertThat(signer.verify("confirm", token, MAX_AGE).validPayload()).isEmpty();
            assertThat(signer.verify("confirm", token, Duration.ofDays(5))).isInstanceOf(Valid.class);
        }

        @Test
        void expired_and_tampered_are_distinct() {
            String token = signer.sign("confirm", "42");
            clock.advance(Duration.ofHours(1));

            assertThat(signer.verify("confirm", token, MAX_AGE)).isInstanceOf(Expired.class);
            assertThat(signer.verify("confirm", token.replace(".NDI.", ".NDM."), MAX_AGE)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
            assertThat(signer.verify("reset", token, MAX_AGE)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
        }

        @Test
        void issue_times_in_the_future_are_accepted_only_within_the_clock_skew() {
            String token = signer.sign("login", "42");

            clock.advance(TokenSigner.CLOCK_SKEW.negated());
            assertThat(signer.verify("login", token, MAX_AGE)).isInstanceOf(Valid.class);

            clock.advance(Duration.ofSeconds(-1));
            assertThat(signer.verify("login", token, MAX_AGE)).isEqualTo(invalid(Reason.ISSUED_IN_FUTURE));
        }

        @Test
        void a_huge_max_age_does_not_overflow() {
            String token = signer.sign("api", "42");
            clock.advance(Duration.ofDays(3650));

            assertThat(signer.verify("api", token, Duration.ofSeconds(Long.MAX_VALUE))).isInstanceOf(Valid.class);
        }

        @Test
        void max_age_must_be_positive() {
            String token = signer.sign("api", "42");

            assertThatThrownBy(() -> signer.verify("api", token, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> signer.verify("api", token, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Rotation {

        @Test
        void old_tokens_verify_while_the_old_secret_is_previous_and_not_after_it_is_removed() {
            String oldToken = signer(SECRET_A).sign("remember", "42");

            TokenSigner rotated = signer(SECRET_B, SECRET_A);
            assertThat(rotated.verify("remember", oldToken, MAX_AGE).validPayload()).contains("42");

            TokenSigner later = signer(SECRET_B);
            assertThat(later.verify("remember", oldToken, MAX_AGE)).isEqualTo(invalid(Reason.UNKNOWN_KEY));
        }

        @Test
        void new_tokens_are_signed_with_the_current_secret() {
            TokenSigner rotated = signer(SECRET_B, SECRET_A);

            String token = rotated.sign("remember", "42");

            assertThat(signer(SECRET_B).verify("remember", token, MAX_AGE)).isInstanceOf(Valid.class);
            assertThat(signer(SECRET_A).verify("remember", token, MAX_AGE)).isEqualTo(invalid(Reason.UNKNOWN_KEY));
            assertThat(token.split("\\.")[1]).isEqualTo(signer(SECRET_B).sign("x", "y").split("\\.")[1]);
        }

        @Test
        void any_number_of_previous_secrets_verify() {
            TokenSigner rotated = signer(SECRET_C, SECRET_B, SECRET_A);

            assertThat(rotated.verify("api", signer(SECRET_A).sign("api", "a"), MAX_AGE).validPayload()).contains("a");
            assertThat(rotated.verify("api", signer(SECRET_B).sign("api", "b"), MAX_AGE).validPayload()).contains("b");
            assertThat(rotated.verify("api", signer(SECRET_C).sign("api", "c"), MAX_AGE).validPayload()).contains("c");
        }
    }

    @Nested
    class Inputs {

        @Test
        void payloads_are_limited_and_must_be_well_formed_unicode() {
            assertThatThrownBy(() -> signer.sign("api", "x".repeat(TokenSigner.MAX_PAYLOAD_BYTES + 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
            assertThatThrownBy(() -> signer.sign("api", "broken \uD800 surrogate"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("broken");
            assertThatThrownBy(() -> signer.sign("api", null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void nothing_secret_shows_in_to_string() {
            String token = signer.sign("api", "user-42-stamp-9fQ2");
            TokenCheck valid = signer.verify("api", token, MAX_AGE);
            clock.advance(Duration.ofHours(1));
            TokenCheck expired = signer.verify("api", token, MAX_AGE);

            assertThat(signer.toString()).doesNotContain(SECRET_A).startsWith("TokenSigner[key=" + token.split("\\.")[1]);
            assertThat(valid.toString()).doesNotContain("user-42");
            assertThat(expired.toString()).doesNotContain("user-42");
        }
    }

    /**
     * Shape errors are refused as {@link Reason#MALFORMED} before any HMAC is computed, at the exact
     * limits of the format; the garbage tests above only ask for "invalid", which a later check
     * (unknown key, bad signature) would also give.
     */
    @Nested
    class ShapeLimits {

        private final String keyId = signer.sign("reset", "x").split("\\.")[1];
        private final String signature = "A".repeat(43);

        private TokenCheck check(String token) {
            return signer.verify("reset", token, MAX_AGE);
        }

        @Test
        void issue_times_of_one_to_twelve_digits_without_leading_zeros_are_read() {
            for (long seconds : new long[] {0, 5, 10, 999_999_999_999L}) {
                clock.set(Instant.ofEpochSecond(seconds));
                String token = signer.sign("reset", "42");
                assertThat(check(token)).as("issued at %d", seconds).isEqualTo(new Valid("42", Instant.ofEpochSecond(seconds)));
            }
        }

        @Test
        void other_spellings_of_the_issue_time_are_malformed() {
            for (String time : new String[] {"", "00", "05", "1234567890123", "12a4", "1.5", "+5"}) {
                assertThat(check("v1." + keyId + "." + time + ".NDI." + signature)).as("time '%s'", time)
                        .isEqualTo(invalid(Reason.MALFORMED));
            }
        }

        @Test
        void key_ids_and_payloads_outside_base64url_are_malformed() {
            assertThat(check("v1.AAAAAAA!.1.NDI." + signature)).isEqualTo(invalid(Reason.MALFORMED));
            assertThat(check("v1.AAAAAAA\u0080.1.NDI." + signature)).as("first char past ASCII").isEqualTo(invalid(Reason.MALFORMED));
            assertThat(check("v1.AAAAAAA\u007f.1.NDI." + signature)).isEqualTo(invalid(Reason.MALFORMED));
            assertThat(check("v1." + keyId + ".1.NDIxN." + signature)).as("5 base64 characters decode to nothing")
                    .isEqualTo(invalid(Reason.MALFORMED));
            assertThat(check("v1." + keyId + ".1.NDIx." + signature)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
            assertThat(check("v1." + keyId)).as("ends right after the key id").isEqualTo(invalid(Reason.MALFORMED));
            assertThat(check("v1." + keyId + ".")).isEqualTo(invalid(Reason.MALFORMED));
        }

        @Test
        void a_token_of_exactly_the_maximum_length_is_read_and_one_longer_is_not() {
            String head = "v1." + keyId + ".1.";
            String payload = "A".repeat(TokenSigner.MAX_TOKEN_LENGTH - head.length() - 1 - 43);
            String longest = head + payload + "." + signature;
            assertThat(longest).hasSize(TokenSigner.MAX_TOKEN_LENGTH);
            assertThat(payload.length() % 4).isNotEqualTo(1);

            assertThat(check(longest)).isEqualTo(invalid(Reason.BAD_SIGNATURE));
            assertThat(check(head + payload + "A." + signature)).isEqualTo(invalid(Reason.MALFORMED));
        }

        @Test
        void a_token_is_valid_to_the_millisecond_of_its_max_age() {
            clock.set(Instant.parse("2026-03-01T10:00:00.250Z"));
            String token = signer.sign("reset", "42");

            clock.set(Instant.parse("2026-03-01T10:15:00Z"));
            assertThat(check(token)).isInstanceOf(Valid.class);
            clock.set(Instant.parse("2026-03-01T10:15:00.001Z"));
            assertThat(check(token)).isInstanceOf(Expired.class);
        }

        @Test
        void checks_describe_themselves_without_the_payload() {
            String token = signer.sign("reset", "user-42");
            assertThat(check(token)).hasToString("Valid[issuedAt=2026-03-01T10:00:00Z]");
            clock.advance(Duration.ofHours(1));
            assertThat(check(token)).hasToString("Expired[issuedAt=2026-03-01T10:00:00Z, expiredAt=2026-03-01T10:15:00Z]");
        }

        @Test
        void macs_check_their_purpose_too() {
            assertThatThrownBy(() -> signer.mac("Not A Purpose", "data")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> signer.verifyMac("Not A Purpose", "data", signature))
                    .isInstanceOf(IllegalArgumentException.class);
            String mac = signer.mac("csrf", "data");
            assertThat(signer.verifyMac("csrf", "data", mac)).isTrue();
            assertThat(signer.verifyMac("csrf", "datb", mac)).isFalse();
            assertThat(signer.verifyMac("other", "data", mac)).isFalse();
        }
    }

    @Test
    void is_safe_to_share_between_threads() throws Exception {
        TokenSigner shared = signer(SECRET_B, SECRET_A);
        TokenSigner old = signer(SECRET_A);
        List<String> purposes = List.of("confirm", "reset", "login", "remember", "api");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int valid = 0;
                    for (int i = 0; i < 250; i++) {
                        String purpose = purposes.get((thread + i) % purposes.size());
                        String payload = thread + ":" + i + ":ü";
                        String token = (i % 3 == 0 ? old : shared).sign(purpose, payload);
                        if (shared.verify(purpose, token, MAX_AGE).equals(new Valid(payload, clock.instant()))
                                && shared.verify(purposes.get((thread + i + 1) % purposes.size()), token, MAX_AGE)
                                        .equals(invalid(Reason.BAD_SIGNATURE))) {
                            valid++;
                        }
                    }
                    return valid;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(250);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
