package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.MissingService;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The libsodium engine against the system's libsodium (scripts/prerequisites installs Debian's
 * libsodium23): the same bytes as Bouncy Castle and libargon2, and every shape libsodium cannot
 * compute handed to the engine behind it.
 */
class SodiumArgon2EngineTest {

    private static final byte[] SALT = "sixteen byte sal".getBytes(StandardCharsets.US_ASCII);
    private static String skipReason;

    private final Argon2Engine pureJava = new BouncyCastleArgon2Engine();
    private final RecordingArgon2Engine others = new RecordingArgon2Engine(NativeArgon2Engine.load());

    @BeforeAll
    static void libsodiumIsInstalled() {
        try {
            SodiumArgon2Engine.load(new BouncyCastleArgon2Engine());
        } catch (LinkageError e) {
            skipReason = MissingService.failOrSkip("libsodium", "libsodium is not installed (" + e.getMessage() + ")",
                    "Install it (Debian: apt-get install libsodium23); scripts/prerequisites does.", e);
        }
    }

    private SodiumArgon2Engine sodium() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
        return SodiumArgon2Engine.load(others);
    }

    static Stream<Arguments> shapesLibsodiumComputes() {
        return Stream.of(
                // type, m, t, hash length
                Arguments.of(Argon2Type.ID, 19_456, 2, 32), // Gatehouse's default
                Arguments.of(Argon2Type.ID, 8, 1, 16), // the smallest libsodium takes
                Arguments.of(Argon2Type.ID, 1000, 3, 64), // memory not a multiple of 4
                Arguments.of(Argon2Type.I, 256, 3, 32));
    }

    @ParameterizedTest
    @MethodSource("shapesLibsodiumComputes")
    void computes_the_same_bytes_as_bouncy_castle_without_the_engine_behind_it(Argon2Type type, int m, int t,
                                                                             int length) {
        SodiumArgon2Engine sodium = sodium();
        byte[] password = "p\u00e4ssw\u00f6rd".getBytes(StandardCharsets.UTF_8);

        byte[] fromSodium = sodium.hash(type, 0x13, m, t, 1, password, SALT, length);

        assertThat(fromSodium).hasSize(length).isEqualTo(pureJava.hash(type, 0x13, m, t, 1, password, SALT, length));
        assertThat(sodium.hash(type, 0x13, m, t, 1, "other".getBytes(StandardCharsets.UTF_8), SALT, length))
                .isNotEqualTo(fromSodium);
        assertThat(others.calls()).isEmpty();
    }

    static Stream<Arguments> shapesForTheEngineBehind() {
        return Stream.of(
                // type, version, m, t, p, salt length, hash length
                Arguments.of(Argon2Type.ID, 0x13, 256, 2, 2, 16, 32), // more than one lane
                Arguments.of(Argon2Type.ID, 0x10, 128, 2, 1, 16, 32), // version 1.0
                Arguments.of(Argon2Type.D, 0x13, 128, 2, 1, 16, 32), // argon2d
                Arguments.of(Argon2Type.I, 0x13, 128, 2, 1, 16, 32), // argon2i with fewer than 3 passes
                Arguments.of(Argon2Type.ID, 0x13, 128, 2, 1, 8, 32), // short salt (passlib's imports may have them)
                Arguments.of(Argon2Type.ID, 0x13, 128, 2, 1, 32, 32), // long salt
                Arguments.of(Argon2Type.ID, 0x13, 128, 2, 1, 16, 8)); // short hash
    }

    @ParameterizedTest
    @MethodSource("shapesForTheEngineBehind")
    void hands_shapes_libsodium_cannot_compute_to_the_engine_behind_it(Argon2Type type, int version, int m, int t,
                                                                     int p, int saltLength, int length) {
        SodiumArgon2Engine sodium = sodium();
        byte[] password = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[saltLength];
        salt[0] = 7;

        byte[] hash = sodium.hash(type, version, m, t, p, password, salt, length);

        assertThat(hash).isEqualTo(pureJava.hash(type, version, m, t, p, password, salt, length));
        assertThat(others.calls()).containsExactly(
                new RecordingArgon2Engine.Call(type, version, m, t, p, saltLength, length));
    }

    @Test
    void leaves_the_password_bytes_as_they_were_and_takes_an_empty_one() {
        SodiumArgon2Engine sodium = sodium();
        byte[] password = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] copy = password.clone();

        sodium.hash(Argon2Type.ID, 0x13, 64, 1, 1, password, SALT, 32);

        assertThat(password).isEqualTo(copy);
        assertThat(sodium.hash(Argon2Type.ID, 0x13, 64, 1, 1, new byte[0], SALT, 32))
                .isEqualTo(pureJava.hash(Argon2Type.ID, 0x13, 64, 1, 1, new byte[0], SALT, 32));
    }

    @Test
    void where_libsodium_is_installed_the_preferred_engine_is_it_with_libargon2_behind_or_libargon2_if_faster() {
        sodium();
        Argon2Engine preferred = Argon2Engines.preferred();

        // Which of the two hashes faster depends on the machine (see Argon2EnginesTest for the choice).
        if (preferred instanceof SodiumArgon2Engine) {
            assertThat(preferred.description()).startsWith("libsodium 1.").contains("native libargon2 (argon2-jvm) for other shapes");
        } else {
            assertThat(preferred).isInstanceOf(NativeArgon2Engine.class);
        }
        assertThat(PasswordHasher.builder().build().argon2Engine()).isSameAs(preferred);
    }

    @Test
    void gatehouse_default_hashes_from_libsodium_verify_with_bouncy_castle_and_back() {
        sodium();
        PasswordHasher viaSodium = PasswordHasher.builder().build();
        PasswordHasher viaJava = PasswordHasher.builder().argon2Engine(pureJava).build();

        String hash = viaSodium.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(viaJava.verify("correct horse battery staple", hash)).isTrue();
        assertThat(viaSodium.verify("correct horse battery staple", viaJava.hash("correct horse battery staple")))
                .isTrue();
        assertThat(viaSodium.verify("Correct horse battery staple", hash)).isFalse();
    }
}
