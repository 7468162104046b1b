package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    /** Cheap argon2id for tests that are not about the default cost. */
    static final HashScheme CHEAP_ARGON2 = HashScheme.argon2id(64, 1, 1);

    private final PasswordHasher cheap = PasswordHasher.builder().scheme(CHEAP_ARGON2).build();

    @Nested
    class Defaults {

        @Test
        void the_default_scheme_is_argon2id_with_owasp_parameters() {
            PasswordHasher hasher = PasswordHasher.builder().build();

            String hash = hasher.hash("correct horse battery staple");

            assertThat(hasher.scheme()).isEqualTo(HashScheme.ARGON2ID).isEqualTo(HashScheme.argon2id(19_456, 2, 1));
            assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
            assertThat(hasher.verifyAndUpdate("correct horse battery staple", hash))
                    .isEqualTo(new Verification(true, java.util.Optional.empty()));
        }

        @Test
        void the_constants_carry_the_owasp_parameters() {
            assertThat(HashScheme.ARGON2ID).hasToString("argon2id(m=19456, t=2, p=1)");
            assertThat(HashScheme.BCRYPT).hasToString("bcrypt(cost=12)");
            assertThat(HashScheme.SCRYPT).hasToString("scrypt(ln=17, r=8, p=1)");
            assertThat(HashScheme.PBKDF2_SHA256).hasToString("pbkdf2-sha256(iterations=600000)");
            assertThat(HashScheme.PBKDF2_SHA512).hasToString("pbkdf2-sha512(iterations=210000)");
        }

        @Test
        void schemes_are_found_by_their_configuration_names() {
            assertThat(HashScheme.named("argon2id")).isSameAs(HashScheme.ARGON2ID);
            assertThat(HashScheme.named("BCRYPT")).isSameAs(HashScheme.BCRYPT);
            assertThat(HashScheme.named("scrypt")).isSameAs(HashScheme.SCRYPT);
            assertThat(HashScheme.named("pbkdf2-sha256")).isSameAs(HashScheme.PBKDF2_SHA256);
            assertThat(HashScheme.named("pbkdf2-sha512")).isSameAs(HashScheme.PBKDF2_SHA512);
            assertThatThrownBy(() -> HashScheme.named("md5"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("argon2id, bcrypt, scrypt, pbkdf2-sha256, pbkdf2-sha512");
        }
    }

    @Nested
    class EachScheme {

        @Test
        void bcrypt_at_the_default_cost_writes_2b_and_verifies() {
            PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.BCRYPT).build();

            String hash = hasher.hash("correct horse battery staple");

            assertThat(hash).matches("\\$2b\\$12\\$[./A-Za-z0-9]{53}");
            assertThat(hasher.verifyAndUpdate("correct horse battery staple", hash).updatedHash()).isEmpty();
            assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
        }

        @Test
        void scrypt_writes_passlib_format() {
            PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.scrypt(4, 8, 1)).build();

            String hash = hasher.hash("correct horse battery staple");

            assertThat(hash).matches("\\$scrypt\\$ln=4,r=8,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
            assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
            assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
        }

        @Test
        void scrypt_at_the_default_cost_is_current() {
            PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.SCRYPT).build();

            String hash = hasher.hash("correct horse battery staple");

            assertThat(hash).startsWith("$scrypt$ln=17,r=8,p=1$");
            assertThat(hasher.verifyAndUpdate("correct horse battery staple", hash))
                    .isEqualTo(new Verification(true, java.util.Optional.empty()));
        }

        @Test
        void pbkdf2_writes_passlib_format_with_adapted_base64() {
            PasswordHasher sha256 = PasswordHasher.builder().scheme(HashScheme.pbkdf2Sha256(1000)).build();
            PasswordHasher sha512 = PasswordHasher.builder().scheme(HashScheme.pbkdf2Sha512(1000)).build();

            String hash256 = sha256.hash("correct horse battery staple");
            String hash512 = sha512.hash("correct horse battery staple");

            assertThat(hash256).matches("\\$pbkdf2-sha256\\$1000\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{43}");
            assertThat(hash512).matches("\\$pbkdf2-sha512\\$1000\\$[./A-Za-z0-9]{22}\\$[./A-Za-z0-9]{86}");
            assertThat(sha256.verify("correct horse battery staple", hash256)).isTrue();
            assertThat(sha512.verify("correct horse battery staple", hash512)).isTrue();
            assertThat(sha512.verify("correct horse battery stapler", hash512)).isFalse();
        }

        @Test
        void pbkdf2_at_the_default_iterations_is_current() {
            PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.PBKDF2_SHA512).build();

            String hash = hasher.hash("correct horse battery staple");

            assertThat(hash).startsWith("$pbkdf2-sha512$210000$");
            assertThat(hasher.verifyAndUpdate("correct horse battery staple", hash).updatedHash()).isEmpty();
        }

        @Test
        void every_hash_uses_a_fresh_salt() {
            assertThat(cheap.hash("correct horse battery staple")).isNotEqualTo(cheap.hash("correct horse battery staple"));
        }
    }

    @Nested
    class Bcrypt72ByteLimit {

        private final PasswordHasher bcrypt = PasswordHasher.builder().scheme(HashScheme.BCRYPT).build();

        @Test
        void a_password_of_exactly_72_bytes_is_hashed_and_bytes_beyond_do_not_sneak_in() {
            String password = "x".repeat(72);

            String hash = bcrypt.hash(password);

            assertThat(bcrypt.verify(password, hash)).isTrue();
            assertThat(bcrypt.verify("x".repeat(71), hash)).isFalse();
        }

        @Test
        void a_password_over_72_bytes_is_refused_rather_than_truncated() {
            assertThatThrownBy(() -> bcrypt.hash("x".repeat(73)))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.field()).isEqualTo("password");
                        assertThat(e.code()).isEqualTo("PASSWORD_TOO_LONG");
                        assertThat(e.getMessage()).contains("72 bytes").doesNotContain("xxx");
                    });
        }

        @Test
        void the_limit_counts_utf8_bytes_of_the_normalized_password_not_characters() {
            // 25 x "é": 25 characters, 50 bytes as typed (NFC), 75 bytes in NFKD (e + U+0301).
            String password = "\u00e9".repeat(25);

            assertThatThrownBy(() -> bcrypt.hash(password))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo("PASSWORD_TOO_LONG"));
        }

        @Test
        void bcrypt_cost_below_12_is_refused() {
            assertThatThrownBy(() -> HashScheme.bcrypt(10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 12 and 31");
        }
    }

    @Nested
    class Normalization {

        @Test
        void composed_and_decomposed_forms_are_the_same_password() {
            String composed = "p\u00e4ssw\u00f6rd \u00e9t\u00e9";
            String decomposed = "pa\u0308sswo\u0308rd e\u0301te\u0301";

            String hash = cheap.hash(composed);

            assertThat(decomposed).isNotEqualTo(composed);
            assertThat(cheap.verifyAndUpdate(decomposed, hash)).isEqualTo(Verification.match());
        }

        @Test
        void compatibility_characters_are_folded_as_nfkd_does() {
            String hash = cheap.hash("\ufb01anc\u00e9 \u216b"); // 'fi' ligature, Roman numeral twelve

            assertThat(cheap.verify("fiance\u0301 XII", hash)).isTrue();
            assertThat(cheap.verify("fianc\u00e9 XII", hash)).isTrue();
            assertThat(cheap.verify("fiance XII", hash)).isFalse();
        }

        @Test
        void a_hash_of_the_unnormalized_password_from_another_system_verifies_and_is_replaced() {
            // What a system that does not normalize stores for "été" typed in NFC.
            String typed = "\u00e9t\u00e9 \u00e0 la plage";
            String foreign = new Argon2Scheme(64, 1, 1).hash(typed, new HashingContext(
                    BouncyCastleArgon2Engine::new, new java.security.SecureRandom(), java.util.Optional.empty()));

            Verification v = cheap.verifyAndUpdate(typed, foreign);

            assertThat(v.matches()).isTrue();
            // Even though the parameters are current: the new hash is of the normalized form.
            assertThat(v.updatedHash()).isPresent();
            assertThat(cheap.verifyAndUpdate("e\u0301te\u0301 a\u0300 la plage", v.updatedHash().orElseThrow()))
                    .isEqualTo(Verification.match());
        }
    }

    @Nested
    class Update {

        @Test
        void a_current_hash_needs_no_update() {
            String hash = cheap.hash("correct horse battery staple");

            assertThat(cheap.verifyAndUpdate("correct horse battery staple", hash)).isEqualTo(Verification.match());
        }

        @Test
        void argon2_with_other_parameters_is_replaced_by_a_current_hash() {
            PasswordHasher older = PasswordHasher.builder().scheme(HashScheme.argon2id(32, 1, 1)).build();
            String oldHash = older.hash("correct horse battery staple");

            Verification v = cheap.verifyAndUpdate("correct horse battery staple", oldHash);

            assertThat(v.matches()).isTrue();
            String fresh = v.updatedHash().orElseThrow();
            assertThat(fresh).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
            assertThat(cheap.verifyAndUpdate("correct horse battery staple", fresh)).isEqualTo(Verification.match());
        }

        @Test
        void scrypt_and_bcrypt_with_other_costs_are_replaced_by_current_hashes() {
            PasswordHasher scryptOld = PasswordHasher.builder().scheme(HashScheme.scrypt(4, 8, 1)).build();
            PasswordHasher scryptNew = PasswordHasher.builder().scheme(HashScheme.scrypt(5, 8, 1)).build();
            PasswordHasher bcryptOld = PasswordHasher.builder().scheme(HashScheme.bcrypt(12)).build();
            PasswordHasher bcryptNew = PasswordHasher.builder().scheme(HashScheme.bcrypt(13)).build();
            String scryptHash = scryptOld.hash("correct horse battery staple");
            String bcryptHash = bcryptOld.hash("correct horse battery staple");

            assertThat(scryptNew.verifyAndUpdate("correct horse battery staple", scryptHash).updatedHash())
                    .hasValueSatisfying(h -> assertThat(h).startsWith("$scrypt$ln=5,r=8,p=1$"));
            assertThat(scryptOld.verifyAndUpdate("correct horse battery staple", scryptHash)).isEqualTo(Verification.match());
            assertThat(bcryptNew.verifyAndUpdate("correct horse battery staple", bcryptHash).updatedHash())
                    .hasValueSatisfying(h -> assertThat(h).startsWith("$2b$13$"));
            assertThat(bcryptOld.verifyAndUpdate("correct horse battery staple", bcryptHash)).isEqualTo(Verification.match());
        }

        @Test
        void another_scheme_is_replaced_by_the_current_one() {
            PasswordHasher pbkdf2 = PasswordHasher.builder().scheme(HashScheme.pbkdf2Sha256(1000)).build();
            String oldHash = pbkdf2.hash("correct horse battery staple");

            Verification v = cheap.verifyAndUpdate("correct horse battery staple", oldHash);

            assertThat(v.updatedHash()).hasValueSatisfying(h -> assertThat(h).startsWith("$argon2id$"));
            // ...and the other way round: the configured scheme decides what is current.
            assertThat(pbkdf2.verifyAndUpdate("correct horse battery staple", oldHash).updatedHash()).isEmpty();
            assertThat(pbkdf2.verifyAndUpdate("correct horse battery staple", v.updatedHash().orElseThrow())
                    .updatedHash()).hasValueSatisfying(h -> assertThat(h).startsWith("$pbkdf2-sha256$1000$"));
        }

        @Test
        void a_wrong_password_gives_a_mismatch_and_no_update() {
            PasswordHasher older = PasswordHasher.builder().scheme(HashScheme.argon2id(32, 1, 1)).build();
            String oldHash = older.hash("correct horse battery staple");

            Verification v = cheap.verifyAndUpdate("Correct horse battery staple", oldHash);

            assertThat(v).isEqualTo(Verification.mismatch());
            assertThat(v.updatedHash()).isEmpty();
        }

        @Test
        void a_match_that_the_current_scheme_cannot_hash_still_signs_in_and_keeps_the_old_hash() {
            String longPassword = "a long passphrase that is well beyond what bcrypt can take in its 72 bytes";
            String argon2Hash = cheap.hash(longPassword);
            PasswordHasher bcrypt = PasswordHasher.builder().scheme(HashScheme.BCRYPT).build();

            assertThat(bcrypt.verifyAndUpdate(longPassword, argon2Hash)).isEqualTo(Verification.match());
        }

        @Test
        void verification_results_do_not_show_the_new_hash() {
            Verification v = new Verification(true, java.util.Optional.of("$argon2id$v=19$secret-looking"));

            assertThat(v.toString()).doesNotContain("argon2").contains("matches=true");
            assertThatThrownBy(() -> new Verification(false, java.util.Optional.of("$argon2id$")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A digest that differs from the right one in any single byte must not verify: a comparison
     * that looked at only part of the digest (the first byte, a prefix) would let a password that
     * matches there through. Each byte position gets its own tampered copy.
     */
    @Nested
    class TamperedDigests {

        private static final String PASSWORD = "correct horse battery staple";

        @Test
        void argon2_refuses_a_hash_that_differs_in_any_one_byte() {
            Argon2Hash stored = Argon2Hash.parse(cheap.hash(PASSWORD)).orElseThrow();
            assertThat(cheap.verify(PASSWORD, stored.encode())).isTrue();

            for (int i = 0; i < stored.hash().length; i++) {
                String tampered = new Argon2Hash(stored.type(), stored.version(), stored.memoryKiB(),
                        stored.iterations(), stored.parallelism(), stored.salt(), flipped(stored.hash(), i)).encode();
                assertThat(cheap.verify(PASSWORD, tampered)).as("digest byte %d changed", i).isFalse();
            }
        }

        @Test
        void argon2_refuses_a_hash_with_another_salt_or_parameters() {
            Argon2Hash stored = Argon2Hash.parse(cheap.hash(PASSWORD)).orElseThrow();

            assertThat(cheap.verify(PASSWORD, new Argon2Hash(stored.type(), stored.version(), stored.memoryKiB(),
                    stored.iterations(), stored.parallelism(), flipped(stored.salt(), 15), stored.hash()).encode()))
                    .isFalse();
            assertThat(cheap.verify(PASSWORD, new Argon2Hash(stored.type(), stored.version(), stored.memoryKiB(),
                    stored.iterations() + 1, stored.parallelism(), stored.salt(), stored.hash()).encode())).isFalse();
            assertThat(cheap.verify(PASSWORD, new Argon2Hash(Argon2Type.I, stored.version(), stored.memoryKiB(),
                    stored.iterations(), stored.parallelism(), stored.salt(), stored.hash()).encode())).isFalse();
        }

        @Test
        void pbkdf2_refuses_a_hash_that_differs_in_any_one_byte() {
            PasswordHasher pbkdf2 = PasswordHasher.builder().scheme(HashScheme.pbkdf2Sha256(1000)).build();
            Pbkdf2Hash stored = Pbkdf2Hash.parse(pbkdf2.hash(PASSWORD)).orElseThrow();
            assertThat(pbkdf2.verify(PASSWORD, stored.encode())).isTrue();

            for (int i = 0; i < stored.hash().length; i++) {
                String tampered = new Pbkdf2Hash(stored.digest(), stored.iterations(), stored.salt(),
                        flipped(stored.hash(), i)).encode();
                assertThat(pbkdf2.verify(PASSWORD, tampered)).as("digest byte %d changed", i).isFalse();
            }
        }

        @Test
        void scrypt_refuses_a_hash_that_differs_in_any_one_byte() {
            PasswordHasher scrypt = PasswordHasher.builder().scheme(HashScheme.scrypt(4, 8, 1)).build();
            ScryptHash stored = ScryptHash.parsePasslib(scrypt.hash(PASSWORD)).orElseThrow();
            assertThat(scrypt.verify(PASSWORD, stored.encode())).isTrue();

            for (int i = 0; i < stored.hash().length; i++) {
                String tampered = new ScryptHash(stored.log2N(), stored.blockSize(), stored.parallelism(),
                        stored.salt(), flipped(stored.hash(), i)).encode();
                assertThat(scrypt.verify(PASSWORD, tampered)).as("digest byte %d changed", i).isFalse();
            }
        }

        private static byte[] flipped(byte[] bytes, int index) {
            byte[] copy = bytes.clone();
            copy[index] ^= 0x01;
            return copy;
        }
    }

    @Nested
    class StoredValuesThatAreNotHashes {

        @ParameterizedTest
        @ValueSource(strings = {
                "",
                "correct horse battery staple",
                "{noop}correct horse battery staple",
                "{MD5}5f4dcc3b5aa765d61d8327deb882cf99",
                "{sha256}97cde38028ad898ebc02e690819fa220e88c62e0699403e94fff291cfffaf8410849f27605abcbc0",
                "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0",
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNo",
                "$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNo",
                "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "$argon2x$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "$2b$03$MqW.k5wzu1ubcN/oOJc1Ou5t0yJrgBzYHNRJbd9/415h6bDKPax6G",
                "$2b$12$MqW.k5wzu1ubcN/oOJc1Ou5t0yJrgBzYHNRJbd9/415h6bDKPax6",
                "$2x$12$MqW.k5wzu1ubcN/oOJc1Ou5t0yJrgBzYHNRJbd9/415h6bDKPax6G",
                "$scrypt$ln=25,r=8,p=1$by0F4FzrvbcWAgAgJKT03g$FuFdDDrxflkeVONoyO69Cv+91HfiN507L/G7DsKXye8",
                "$scrypt$ln=4,r=8,p=1$$FuFdDDrxflkeVONoyO69Cv+91HfiN507L/G7DsKXye8",
                "$pbkdf2-sha256$1000$8j6nlPLeOweAcI6REgIgpA$K4RjP2prtjBC3YUtwfMl5sVkhecu4SjJ7PqBwLrQM",
                "$pbkdf2-sha256$0$8j6nlPLeOweAcI6REgIgpA$K4RjP2prtjBC3YUtwfMl5sVkhecu4SjJ7PqBwLrQMCA",
                "$pbkdf2-sha384$1000$8j6nlPLeOweAcI6REgIgpA$K4RjP2prtjBC3YUtwfMl5sVkhecu4SjJ7PqBwLrQMCA",
                "$5$rounds=999$qtSITToK2/xVRJDR$OK3ZsPkKCGrnPIDf4ez6LMFiLINVnTPiTKCGVbpeda1",
                "$6$d94UKhYgpNdLRgTr$T5vLQslhuDqWWqGgavQtvnY8JkFaD9XDz4Iw216kXUC95DRc",
                "{fs}correct horse battery staple",
                "{fs}{bcrypt}$2a$10$c6uiCSRMt.zZ/nz7apk9Xu3tHR8R8EFgPcqOOPIKuMofpvlgQhMTm",
                "{bcrypt}$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                "{pbkdf2}826e1f613ce2903d75902f389792b32a4de25b3b412fdc255eacd31e3d25e035408794caf5fd6b7",
                "{pbkdf2}not hex at all, but long enough to look like something else entirely",
                "{scrypt}$e0801$AaIeN2nLgpL2ixAuBlOKV2mDvl0lI1qKN++RKJTPMj0wNtlRXm6VeKk5GSaj24OkoGQ7wq2Le29rQQELSun35A$zmu6",
                "{unknown}$2a$10$c6uiCSRMt.zZ/nz7apk9Xu3tHR8R8EFgPcqOOPIKuMofpvlgQhMTm",
                " $2b$12$MqW.k5wzu1ubcN/oOJc1Ou5t0yJrgBzYHNRJbd9/415h6bDKPax6G",
                "$2b$12$MqW.k5wzu1ubcN/oOJc1Ou5t0yJrgBzYHNRJbd9/415h6bDKPax6G\n",
        })
        void never_match_never_throw_and_are_not_recognized(String stored) {
            assertThat(cheap.verify("correct horse battery staple", stored)).isFalse();
            assertThat(cheap.verifyAndUpdate("correct horse battery staple", stored)).isEqualTo(Verification.mismatch());
            assertThat(PasswordHashFormat.isRecognized(stored)).isFalse();
        }

        @Test
        void a_very_long_value_is_not_a_hash() {
            String stored = "$argon2id$v=19$m=64,t=1,p=1$" + "A".repeat(700) + "$" + "A".repeat(700);

            assertThat(PasswordHashFormat.isRecognized(stored)).isFalse();
            assertThat(cheap.verify("x", stored)).isFalse();
            assertThat(PasswordHashFormat.isRecognized(null)).isFalse();
        }
    }

    @Nested
    class PasswordLimits {

        @Test
        void an_empty_password_is_not_hashed_and_never_matches() {
            assertThatThrownBy(() -> cheap.hash(""))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.field()).isEqualTo("password");
                        assertThat(e.code()).isEqualTo("PASSWORD_NOT_PROVIDED");
                    });
            assertThat(cheap.verify("", cheap.hash("x"))).isFalse();
        }

        @Test
        void passwords_over_4096_bytes_are_refused_like_passlib_does() {
            String atLimit = "a".repeat(4096);
            String overLimit = "a".repeat(4097);

            String hash = cheap.hash(atLimit);

            assertThat(cheap.verify(atLimit, hash)).isTrue();
            assertThatThrownBy(() -> cheap.hash(overLimit))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.code()).isEqualTo("PASSWORD_TOO_LONG"));
            assertThat(cheap.verify(overLimit, hash)).isFalse();
        }
    }

    @Nested
    class DummyVerification {

        @Test
        void the_dummy_hash_has_the_current_scheme_and_parameters() {
            PasswordHasher hasher = PasswordHasher.builder().build();

            StoredHash dummy = hasher.dummyHash();

            assertThat(dummy.isCurrent(HashScheme.ARGON2ID)).isTrue();
            assertThat(hasher.dummyHash()).isSameAs(dummy);
        }

        @Test
        void verify_dummy_does_the_same_argon2_work_as_verifying_a_real_account() {
            RecordingArgon2Engine engine = new RecordingArgon2Engine(Argon2Engines.preferred());
            PasswordHasher hasher = PasswordHasher.builder().argon2Engine(engine).build();
            String realHash = hasher.hash("correct horse battery staple");
            hasher.dummyHash();
            engine.calls().clear();

            hasher.verify("a wrong guess", realHash);
            List<RecordingArgon2Engine.Call> realAccount = List.copyOf(engine.calls());
            engine.calls().clear();
            Verification dummy = hasher.verifyDummy("a wrong guess");

            assertThat(dummy).isEqualTo(Verification.mismatch());
            assertThat(realAccount).hasSize(1);
            assertThat(engine.calls()).isEqualTo(realAccount);
            assertThat(realAccount.get(0)).isEqualTo(
                    new RecordingArgon2Engine.Call(Argon2Type.ID, 0x13, 19_456, 2, 1, 16, 32));
        }

        @Test
        void verify_dummy_follows_the_configured_scheme() {
            PasswordHasher bcrypt = PasswordHasher.builder().scheme(HashScheme.BCRYPT).build();

            assertThat(bcrypt.verifyDummy("correct horse battery staple")).isEqualTo(Verification.mismatch());
            assertThat(bcrypt.dummyHash()).isInstanceOfSatisfying(BcryptHash.class,
                    b -> assertThat(b.isCurrent(HashScheme.BCRYPT)).isTrue());
        }
    }

    @Nested
    class SchemeValidation {

        @Test
        void argon2_parameters_out_of_range_are_refused_with_the_setting_named() {
            assertThatThrownBy(() -> HashScheme.argon2id(4, 2, 1)).hasMessageContaining("argon2 memory");
            assertThatThrownBy(() -> HashScheme.argon2id(19_456, 0, 1)).hasMessageContaining("argon2 iterations");
            assertThatThrownBy(() -> HashScheme.argon2id(19_456, 2, 0)).hasMessageContaining("argon2 parallelism");
        }

        @Test
        void scrypt_and_pbkdf2_parameters_out_of_range_are_refused() {
            assertThatThrownBy(() -> HashScheme.scrypt(0, 8, 1)).hasMessageContaining("log2(N)");
            assertThatThrownBy(() -> HashScheme.scrypt(20, 16, 1)).hasMessageContaining("1 GiB");
            assertThatThrownBy(() -> HashScheme.pbkdf2Sha256(0)).hasMessageContaining("PBKDF2 iterations");
        }

        @Test
        void an_empty_flask_security_salt_is_refused() {
            assertThatThrownBy(() -> PasswordHasher.builder().flaskSecurityPasswordSalt(""))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
