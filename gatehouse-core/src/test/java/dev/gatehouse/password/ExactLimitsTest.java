package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every cost, size and length limit of the password package, pinned at the limit and one unit past
 * it: these limits bound the work a stored hash or a configuration can ask for, so moving one by a
 * unit (PIT's boundary mutants, docs/security.md "Mutation testing") must fail a test.
 */
class ExactLimitsTest {

    private static String b64(int bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(new byte[bytes]);
    }

    private static String ab64(int bytes) {
        return HashEncoding.ab64(new byte[bytes]);
    }

    @Nested
    class StoredArgon2 {

        private String argon2(String params, int saltBytes, int hashBytes) {
            return "$argon2id$v=19$" + params + "$" + b64(saltBytes) + "$" + b64(hashBytes);
        }

        @Test
        void parallelism_up_to_255_is_read_and_256_is_not() {
            assertThat(Argon2Hash.parse(argon2("m=2048,t=1,p=255", 16, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=4096,t=1,p=256", 16, 32))).isEmpty();
        }

        @Test
        void memory_of_8_kib_per_lane_is_read_and_one_kib_less_is_not() {
            assertThat(Argon2Hash.parse(argon2("m=16,t=1,p=2", 16, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=15,t=1,p=2", 16, 32))).isEmpty();
        }

        @Test
        void memory_up_to_2_gib_is_read_and_one_kib_more_is_not() {
            assertThat(Argon2Hash.parse(argon2("m=2097152,t=1,p=1", 16, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=2097153,t=1,p=1", 16, 32))).isEmpty();
        }

        @Test
        void iterations_up_to_1000_are_read_and_1001_are_not() {
            assertThat(Argon2Hash.parse(argon2("m=64,t=1000,p=1", 16, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1001,p=1", 16, 32))).isEmpty();
        }

        @Test
        void salts_of_8_to_512_bytes_and_hashes_of_4_to_512_bytes_are_read_and_no_others() {
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 8, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 7, 32))).isEmpty();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 512, 32))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 513, 32))).isEmpty();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 16, 4))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 16, 3))).isEmpty();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 16, 512))).isPresent();
            assertThat(Argon2Hash.parse(argon2("m=64,t=1,p=1", 16, 513))).isEmpty();
        }
    }

    @Nested
    class ConfiguredArgon2 {

        @Test
        void each_parameter_is_accepted_at_its_limits_and_refused_one_past_them() {
            assertThatCode(() -> HashScheme.argon2id(8, 1, 1)).doesNotThrowAnyException();
            assertThatCode(() -> HashScheme.argon2id(2040, 1000, 255)).doesNotThrowAnyException();
            assertThatCode(() -> HashScheme.argon2id(2_097_152, 1, 1)).doesNotThrowAnyException();
            assertThatThrownBy(() -> HashScheme.argon2id(4096, 1, 256)).hasMessageContaining("argon2 parallelism");
            assertThatThrownBy(() -> HashScheme.argon2id(2039, 1, 255)).hasMessageContaining("argon2 memory")
                    .hasMessageContaining("8 KiB per lane (2040)");
            assertThatThrownBy(() -> HashScheme.argon2id(15, 1, 2)).hasMessageContaining("argon2 memory");
            assertThatThrownBy(() -> HashScheme.argon2id(2_097_153, 1, 1)).hasMessageContaining("argon2 memory");
            assertThatThrownBy(() -> HashScheme.argon2id(64, 1001, 1)).hasMessageContaining("argon2 iterations");
        }

        @Test
        void schemes_are_equal_only_when_every_parameter_is() {
            HashScheme scheme = HashScheme.argon2id(64, 2, 1);

            assertThat(scheme).isEqualTo(HashScheme.argon2id(64, 2, 1)).hasSameHashCodeAs(HashScheme.argon2id(64, 2, 1));
            assertThat(scheme).isNotEqualTo(HashScheme.argon2id(72, 2, 1));
            assertThat(scheme).isNotEqualTo(HashScheme.argon2id(64, 3, 1));
            assertThat(scheme).isNotEqualTo(HashScheme.argon2id(64, 2, 2));
            assertThat(scheme).isNotEqualTo(HashScheme.bcrypt(12));
        }
    }

    @Nested
    class Scrypt {

        @Test
        void log2_n_from_1_to_20_is_accepted_and_0_and_21_are_not() {
            assertThat(ScryptHash.checkParameters(1, 1, 1)).isNull();
            assertThat(ScryptHash.checkParameters(20, 1, 1)).isNull();
            assertThat(ScryptHash.checkParameters(0, 1, 1)).contains("log2(N)");
            assertThat(ScryptHash.checkParameters(21, 1, 1)).contains("log2(N)");
        }

        @Test
        void block_size_and_parallelism_of_1_are_accepted_and_0_is_not() {
            assertThat(ScryptHash.checkParameters(4, 0, 1)).contains("at least 1");
            assertThat(ScryptHash.checkParameters(4, 1, 0)).contains("at least 1");
        }

        @Test
        void exactly_1_gib_of_memory_is_accepted_and_more_is_not() {
            // 128 * r * N bytes: r = 8, N = 2^20 is exactly 2^30.
            assertThat(ScryptHash.checkParameters(20, 8, 1)).isNull();
            assertThat(ScryptHash.checkParameters(20, 9, 1)).contains("1 GiB");
            assertThat(ScryptHash.checkParameters(19, 17, 1)).contains("1 GiB");
        }

        @Test
        void r_times_p_below_2_to_the_30_is_accepted_and_2_to_the_30_is_not() {
            assertThat(ScryptHash.checkParameters(1, 1, (1 << 30) - 1)).isNull();
            assertThat(ScryptHash.checkParameters(1, 1, 1 << 30)).contains("2^30");
            assertThat(ScryptHash.checkParameters(1, 2, 1 << 29)).contains("2^30");
        }

        @Test
        void stored_salts_of_1_to_512_bytes_and_hashes_of_16_to_512_bytes_are_read_and_no_others() {
            String params = "$scrypt$ln=4,r=8,p=1$";
            assertThat(ScryptHash.parsePasslib(params + b64(1) + "$" + b64(32))).isPresent();
            assertThat(ScryptHash.parsePasslib(params + b64(512) + "$" + b64(32))).isPresent();
            assertThat(ScryptHash.parsePasslib(params + b64(513) + "$" + b64(32))).isEmpty();
            assertThat(ScryptHash.parsePasslib(params + b64(16) + "$" + b64(16))).isPresent();
            assertThat(ScryptHash.parsePasslib(params + b64(16) + "$" + b64(15))).isEmpty();
            assertThat(ScryptHash.parsePasslib(params + b64(16) + "$" + b64(512))).isPresent();
            assertThat(ScryptHash.parsePasslib(params + b64(16) + "$" + b64(513))).isEmpty();
        }

        @Test
        void stored_parameters_are_checked_like_configured_ones() {
            String salt = "$" + b64(16) + "$" + b64(32);
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=20,r=8,p=1" + salt)).isPresent();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=20,r=9,p=1" + salt)).isEmpty();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=21,r=1,p=1" + salt)).isEmpty();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=1,r=1,p=1073741823" + salt)).isPresent();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=1,r=1,p=1073741824" + salt)).isEmpty();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=1,r=1,p=2147483648" + salt)).isEmpty();
            assertThat(ScryptHash.parsePasslib("$scrypt$ln=1,r=2147483648,p=1" + salt)).isEmpty();
        }
    }

    @Nested
    class Pbkdf2 {

        @Test
        void stored_iterations_up_to_the_largest_int_are_read_and_one_more_is_not() {
            String rest = "$" + ab64(16) + "$" + ab64(32);
            assertThat(Pbkdf2Hash.parse("$pbkdf2-sha256$2147483647" + rest)).get()
                    .extracting(Pbkdf2Hash::iterations).isEqualTo(Integer.MAX_VALUE);
            assertThat(Pbkdf2Hash.parse("$pbkdf2-sha256$2147483648" + rest)).isEmpty();
        }

        @Test
        void stored_salts_of_1_to_1024_bytes_are_read_and_no_longer_ones() {
            assertThat(Pbkdf2Hash.parse("$pbkdf2-sha256$1000$" + ab64(1) + "$" + ab64(32))).isPresent();
            assertThat(Pbkdf2Hash.parse("$pbkdf2-sha256$1000$" + ab64(1024) + "$" + ab64(32))).isPresent();
            assertThat(Pbkdf2Hash.parse("$pbkdf2-sha256$1000$" + ab64(1025) + "$" + ab64(32))).isEmpty();
        }

        @Test
        void configured_iterations_from_1_are_accepted_and_0_is_not() {
            assertThat(HashScheme.pbkdf2Sha256(1)).hasToString("pbkdf2-sha256(iterations=1)");
            assertThat(HashScheme.pbkdf2Sha512(1)).hasToString("pbkdf2-sha512(iterations=1)");
            assertThatThrownBy(() -> HashScheme.pbkdf2Sha512(0)).hasMessageContaining("PBKDF2 iterations");
        }
    }

    @Nested
    class Bcrypt {

        private final PasswordHasher bcrypt = PasswordHasher.builder().scheme(HashScheme.BCRYPT).build();

        @Test
        void costs_from_12_to_31_are_accepted_and_11_and_32_are_not() {
            assertThat(HashScheme.bcrypt(12)).isEqualTo(HashScheme.BCRYPT).hasToString("bcrypt(cost=12)");
            assertThat(HashScheme.bcrypt(31)).hasToString("bcrypt(cost=31)").isNotEqualTo(HashScheme.BCRYPT);
            assertThatThrownBy(() -> HashScheme.bcrypt(11)).hasMessageContaining("between 12 and 31");
            assertThatThrownBy(() -> HashScheme.bcrypt(32)).hasMessageContaining("between 12 and 31");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u0436", "\uD83D\uDE00"})
        void seventy_two_bytes_of_multi_byte_characters_are_hashed_and_one_byte_more_is_refused(String character) {
            // Cyrillic zhe (2 bytes) and U+1F600 (4 bytes): NFKD leaves both unchanged.
            String atLimit = character.repeat(72 / character.getBytes(StandardCharsets.UTF_8).length);

            String hash = bcrypt.hash(atLimit);

            assertThat(bcrypt.verify(atLimit, hash)).isTrue();
            assertThatThrownBy(() -> bcrypt.hash(atLimit + "x"))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo("PASSWORD_TOO_LONG"));
        }
    }

    @Nested
    class Utf8Length {

        @Test
        void counts_the_bytes_utf8_encodes_at_every_width_boundary() {
            for (String s : new String[] {"\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\uD800\uDC00",
                    "\uDBFF\uDFFF", "a\u00e9\u20ac\uD83D\uDE00"}) {
                assertThat(PasswordText.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
            }
        }

        @Test
        void unpaired_surrogates_count_as_the_one_byte_they_encode_to() {
            for (String s : new String[] {"\uD83D", "a\uD83D", "\uDE00", "\uDE00\uD83D", "\uD83Da"}) {
                assertThat(PasswordText.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "\u0436", "\u20ac", "\uD83D\uDE00"})
        void exactly_4096_bytes_of_1_to_4_byte_characters_are_within_limits_and_one_byte_more_is_not(String character) {
            int width = character.getBytes(StandardCharsets.UTF_8).length;
            String atLimit = character.repeat(4096 / width) + "a".repeat(4096 % width);

            assertThat(PasswordText.normalizeWithinLimits(atLimit)).contains(atLimit);
            assertThat(PasswordText.normalizeWithinLimits(atLimit + "x").isPresent()).isFalse();
        }

        @Test
        void a_password_that_nfkd_shortens_to_the_limit_is_accepted() {
            // U+1D400 MATHEMATICAL BOLD CAPITAL A: two UTF-16 units, one "A" after NFKD. 4096 of them are
            // exactly the 8192 units let through before normalizing, and 4096 bytes after.
            String bold = "\uD835\uDC00".repeat(4096);

            assertThat(PasswordText.normalizeWithinLimits(bold)).contains("A".repeat(4096));
            assertThat(PasswordText.normalizeWithinLimits(bold + "\uD835\uDC00")).isEmpty();
        }
    }

    @Nested
    class Policy {

        private PasswordPolicy.Builder lengthOnly() {
            return PasswordPolicy.builder().noStrengthEstimate().rejectCommonPasswords(false);
        }

        @Test
        void length_settings_are_accepted_at_their_limits_and_refused_one_past_them() {
            assertThatCode(() -> lengthOnly().minLength(1).maxLength(1).build()).doesNotThrowAnyException();
            assertThatCode(() -> lengthOnly().minLength(8).maxLength(4096).build()).doesNotThrowAnyException();
            assertThatThrownBy(() -> lengthOnly().minLength(0)).hasMessageContaining("minLength");
            assertThatThrownBy(() -> lengthOnly().maxLength(0)).hasMessageContaining("maxLength");
            assertThatThrownBy(() -> lengthOnly().maxLength(4097)).hasMessageContaining("maxLength");
            assertThatThrownBy(() -> lengthOnly().minLength(9).maxLength(8).build()).hasMessageContaining("minLength");
        }

        @Test
        void a_password_of_exactly_the_minimum_or_maximum_length_passes_and_one_past_does_not() {
            PasswordPolicy policy = lengthOnly().minLength(10).maxLength(12).build();

            assertThat(policy.check("q".repeat(10))).isEmpty();
            assertThat(policy.check("q".repeat(12))).isEmpty();
            assertThat(policy.check("q".repeat(9))).extracting(PolicyViolation::code)
                    .containsExactly("PASSWORD_INVALID_LENGTH");
            assertThat(policy.check("q".repeat(13))).hasSize(1);
        }

        @Test
        void the_maximum_counts_code_points_after_nfkd() {
            PasswordPolicy policy = lengthOnly().minLength(1).maxLength(12).build();

            // "é" is one code point as typed and two after NFKD (e + U+0301).
            assertThat(policy.check("q".repeat(10) + "\u00e9")).isEmpty();
            assertThat(policy.check("q".repeat(11) + "\u00e9")).hasSize(1);
            // A supplementary character is one code point, though two UTF-16 units.
            assertThat(policy.check("\uD83D\uDE00".repeat(12))).isEmpty();
        }

        @Test
        void minimum_scores_from_0_to_4_are_accepted_and_no_others() {
            assertThatCode(() -> PasswordPolicy.builder().minimumScore(0).minimumScore(4)).doesNotThrowAnyException();
            assertThatThrownBy(() -> PasswordPolicy.builder().minimumScore(-1)).hasMessageContaining("0 to 4");
            assertThatThrownBy(() -> PasswordPolicy.builder().minimumScore(5)).hasMessageContaining("0 to 4");
        }

        @Test
        void a_breach_count_of_at_least_1_is_accepted_and_0_is_not() {
            assertThatCode(() -> HaveIBeenPwnedCheck.builder().minimumCount(1)).doesNotThrowAnyException();
            assertThatThrownBy(() -> HaveIBeenPwnedCheck.builder().minimumCount(0)).hasMessageContaining("at least 1");
        }
    }

    @Nested
    class ContextWordLimits {

        @Test
        void words_of_three_code_points_count_and_shorter_ones_do_not_and_the_whole_input_is_a_word_too() {
            assertThat(ContextWords.of(java.util.List.of("al.bob@x.example")))
                    .containsExactly("al.bob@x.example", "example", "bob");
        }

        @Test
        void a_password_exactly_half_made_of_context_words_is_mostly_made_of_them_and_less_is_not() {
            java.util.List<String> words = java.util.List.of("alice");

            assertThat(ContextWords.mostlyMadeOf("alicezqxjv", words)).isTrue();
            assertThat(ContextWords.mostlyMadeOf("alicezqxjvw", words)).isFalse();
        }
    }

    @Nested
    class Argon2EngineChoice {

        @Test
        void a_native_engine_that_agrees_with_bouncy_castle_is_chosen() {
            Argon2Engine agreeing = new RecordingArgon2Engine(new BouncyCastleArgon2Engine());

            assertThat(Argon2Engines.select(() -> agreeing)).isSameAs(agreeing);
        }

        @Test
        void a_native_engine_that_differs_in_one_byte_is_not_chosen() {
            Argon2Engine offByOne = new Argon2Engine() {
                private final Argon2Engine real = new BouncyCastleArgon2Engine();

                @Override
                public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                                   byte[] password, byte[] salt, int hashLength) {
                    byte[] hash = real.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
                    hash[hashLength - 1] ^= 1;
                    return hash;
                }

                @Override
                public String description() {
                    return "off-by-one engine";
                }
            };

            assertThat(Argon2Engines.select(() -> offByOne)).isInstanceOf(BouncyCastleArgon2Engine.class);
        }
    }
}
