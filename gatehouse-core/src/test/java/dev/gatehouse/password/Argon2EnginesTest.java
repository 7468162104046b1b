package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The native (libargon2) and pure-Java (Bouncy Castle) engines, and how one is chosen. */
class Argon2EnginesTest {

    private final Argon2Engine nativeEngine = NativeArgon2Engine.load();
    private final Argon2Engine pureJava = new BouncyCastleArgon2Engine();

    static Stream<Arguments> parameters() {
        return Stream.of(
                // type, version, m, t, p, hash length
                Arguments.of(Argon2Type.ID, 0x13, 19_456, 2, 1, 32), // Gatehouse's default
                Arguments.of(Argon2Type.ID, 0x13, 64, 1, 1, 32),
                Arguments.of(Argon2Type.ID, 0x13, 1000, 3, 3, 64), // memory not a multiple of 4 * p
                Arguments.of(Argon2Type.I, 0x13, 256, 2, 2, 16),
                Arguments.of(Argon2Type.D, 0x13, 256, 2, 1, 20),
                Arguments.of(Argon2Type.I, 0x10, 128, 2, 1, 32),
                Arguments.of(Argon2Type.ID, 0x10, 128, 3, 4, 4));
    }

    @ParameterizedTest
    @MethodSource("parameters")
    void native_and_bouncy_castle_compute_byte_identical_hashes(Argon2Type type, int version, int m, int t, int p,
                                                                int length) {
        byte[] password = "p\u00e4ssw\u00f6rd".getBytes(StandardCharsets.UTF_8);
        byte[] salt = "sixteen byte sal".getBytes(StandardCharsets.US_ASCII);

        byte[] fromNative = nativeEngine.hash(type, version, m, t, p, password, salt, length);
        byte[] fromJava = pureJava.hash(type, version, m, t, p, password, salt, length);

        assertThat(fromNative).hasSize(length).isEqualTo(fromJava);
        assertThat(nativeEngine.hash(type, version, m, t, p, "other".getBytes(StandardCharsets.UTF_8), salt, length))
                .isNotEqualTo(fromNative);
    }

    @Test
    void the_engines_leave_the_password_bytes_as_they_were() {
        byte[] password = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] copy = password.clone();

        nativeEngine.hash(Argon2Type.ID, 0x13, 64, 1, 1, password, new byte[16], 32);
        pureJava.hash(Argon2Type.ID, 0x13, 64, 1, 1, password, new byte[16], 32);

        assertThat(password).isEqualTo(copy);
    }

    @Test
    void the_native_engine_is_chosen_where_libargon2_loads_and_the_choice_is_made_once() {
        assertThat(Argon2Engines.select(() -> NativeArgon2Engine.load())).isInstanceOf(NativeArgon2Engine.class);
        assertThat(Argon2Engines.preferred()).isSameAs(Argon2Engines.preferred());
        assertThat(Argon2Engines.preferred()).isNotInstanceOf(BouncyCastleArgon2Engine.class);
    }

    @Test
    void without_libsodium_the_engine_behind_it_is_used_and_that_is_logged_at_info() throws Exception {
        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.faster(nativeEngine, others -> {
            throw new UnsatisfiedLinkError("Unable to load library 'sodium'");
        }, NOT_TIMED));

        assertThat(selected.value()).isSameAs(nativeEngine);
        assertThat(selected.stderr()).doesNotContain("WARN")
                .contains("INFO", "libsodium is not installed", "UnsatisfiedLinkError", "libsodium23");
    }

    @Test
    void a_libsodium_engine_that_computes_wrong_hashes_is_not_used() throws Exception {
        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.faster(nativeEngine, others -> new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                               byte[] password, byte[] salt, int hashLength) {
                // Right where the check has two lanes (the engine behind), wrong with one.
                return parallelism == 1 ? new byte[hashLength]
                        : others.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
            }

            @Override
            public String description() {
                return "broken libsodium";
            }
        }, NOT_TIMED));

        assertThat(selected.value()).isSameAs(nativeEngine);
        assertThat(selected.stderr()).contains("WARN", "broken libsodium computed a different hash");
    }

    @Test
    void libsodium_is_used_where_it_hashes_the_default_faster() throws Exception {
        Argon2Engine sodium = renamed(nativeEngine, "fast libsodium");
        Map<Argon2Engine, Long> nanos = Map.of(nativeEngine, 20_000_000L, sodium, 10_000_000L);

        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.faster(nativeEngine, others -> sodium, nanos::get));

        assertThat(selected.value()).isSameAs(sodium);
        assertThat(selected.stderr()).doesNotContain("WARN", "INFO");
    }

    @Test
    void libsodium_is_left_out_where_it_hashes_the_default_slower_and_that_is_logged_at_info() throws Exception {
        // As on a virtual machine whose hypervisor faults in every new page: libsodium maps fresh memory per hash.
        Argon2Engine sodium = renamed(nativeEngine, "slow libsodium");
        Map<Argon2Engine, Long> nanos = Map.of(nativeEngine, 21_300_000L, sodium, 45_100_000L);

        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.faster(nativeEngine, others -> sodium, nanos::get));

        assertThat(selected.value()).isSameAs(nativeEngine);
        assertThat(selected.stderr()).doesNotContain("WARN")
                .contains("INFO", "libsodium hashes Gatehouse's default slower than " + nativeEngine.description(),
                        "45.1 ms against 21.3 ms");
    }

    @Test
    void the_engines_are_timed_in_turn_and_each_ones_least_time_counts() {
        Argon2Engine sodium = renamed(nativeEngine, "libsodium");
        // A slow first hash (a cold allocator) and a disturbed one must not decide: the least times are 15 and 20 ms.
        Deque<Long> sodiumNanos = new ArrayDeque<>(List.of(90_000_000L, 15_000_000L, 40_000_000L));
        Deque<Long> nativeNanos = new ArrayDeque<>(List.of(35_000_000L, 20_000_000L, 22_000_000L));
        List<String> order = new ArrayList<>();

        Argon2Engine selected = Argon2Engines.faster(nativeEngine, others -> sodium, engine -> {
            order.add(engine == sodium ? "sodium" : "native");
            return (engine == sodium ? sodiumNanos : nativeNanos).removeFirst();
        });

        assertThat(selected).isSameAs(sodium);
        assertThat(order).containsExactly("native", "sodium", "native", "sodium", "native", "sodium");
        assertThat(Argon2Engines.TIMING_ROUNDS).isEqualTo(3);
    }

    @Test
    void the_timed_hash_is_gatehouse_default_argon2id() {
        RecordingArgon2Engine recording = new RecordingArgon2Engine(nativeEngine);

        long nanos = Argon2Engines.timeDefaultHash(recording);

        assertThat(nanos).isPositive();
        assertThat(recording.calls()).containsExactly(new RecordingArgon2Engine.Call(Argon2Type.ID, 0x13, 19_456, 2, 1, 16, 32));
    }

    @Test
    void a_hasher_asks_for_its_engine_at_its_first_argon2_hash_not_when_built() {
        // So that a command-line run that never hashes does not time the engines.
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1))
                .argon2EngineChoice(() -> {
                    asked.incrementAndGet();
                    return nativeEngine;
                })
                .build();

        assertThat(asked).hasValue(0);
        assertThat(hasher.scheme()).isEqualTo(HashScheme.argon2id(64, 1, 1));
        assertThat(hasher.concurrency()).isPositive();
        assertThat(asked).hasValue(0);

        assertThat(hasher.verify("correct horse", hasher.hash("correct horse"))).isTrue();
        assertThat(asked.get()).isPositive();
        assertThat(hasher.argon2Engine()).isSameAs(nativeEngine);
    }

    /** {@code engine} under another name, as a distinct engine. */
    private static Argon2Engine renamed(Argon2Engine engine, String name) {
        return new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                               byte[] password, byte[] salt, int hashLength) {
                return engine.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
            }

            @Override
            public String description() {
                return name;
            }
        };
    }

    /** For choices that must be made before any timing. */
    private static final ToLongFunction<Argon2Engine> NOT_TIMED = engine -> {
        throw new AssertionError("timed " + engine.description());
    };

    @Test
    void when_native_loading_fails_bouncy_castle_is_used_and_a_warning_is_logged_once() throws Exception {
        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.select(() -> {
            throw new UnsatisfiedLinkError("Unable to load library 'argon2'");
        }));
        Argon2Engine engine = selected.value();

        Captured<String> hashed = captureStderr(() -> {
            PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).argon2Engine(engine).build();
            String hash = hasher.hash("correct horse battery staple");
            hasher.verify("correct horse battery staple", hash);
            return hash;
        });

        assertThat(engine).isInstanceOf(BouncyCastleArgon2Engine.class);
        assertThat(selected.stderr().lines().filter(l -> l.contains("WARN"))).singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("native libargon2 is not available", "UnsatisfiedLinkError", "Bouncy Castle"));
        assertThat(hashed.stderr()).doesNotContain("WARN");
        // The fallback's hashes are ordinary argon2id: the native engine verifies them.
        assertThat(PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).build()
                .verify("correct horse battery staple", hashed.value())).isTrue();
    }

    @Test
    void when_jna_itself_is_missing_bouncy_castle_is_used() {
        Argon2Engine engine = Argon2Engines.select(() -> {
            throw new NoClassDefFoundError("com/sun/jna/Library");
        });

        assertThat(engine).isInstanceOf(BouncyCastleArgon2Engine.class);
    }

    @Test
    void without_argon2_jvm_and_jna_on_the_class_path_gatehouse_still_hashes_with_bouncy_castle() throws Exception {
        // A class loader that sees the test class path minus argon2-jvm and JNA, as in an
        // application that excluded them.
        java.net.URL[] urls = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("argon2-jvm") && !entry.contains("/jna/"))
                .map(entry -> {
                    try {
                        return java.nio.file.Path.of(entry).toUri().toURL();
                    } catch (java.net.MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toArray(java.net.URL[]::new);
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> engines = Class.forName(Argon2Engines.class.getName(), true, loader);
            java.lang.reflect.Method preferred = engines.getDeclaredMethod("preferred");
            preferred.setAccessible(true);

            Captured<Object> chosen = captureStderr(() -> preferred.invoke(null));

            assertThat(chosen.value().getClass().getName()).isEqualTo(BouncyCastleArgon2Engine.class.getName());
            assertThat(chosen.value().getClass().getClassLoader()).isSameAs(loader);
            assertThat(chosen.stderr()).contains("WARN", "NoClassDefFoundError", "de/mkammerer/argon2");
        }
    }

    @Test
    void a_native_engine_that_computes_wrong_hashes_is_not_used() throws Exception {
        Argon2Engine broken = new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                               byte[] password, byte[] salt, int hashLength) {
                return new byte[hashLength];
            }

            @Override
            public String description() {
                return "broken engine";
            }
        };

        Captured<Argon2Engine> selected = captureStderr(() -> Argon2Engines.select(() -> broken));

        assertThat(selected.value()).isInstanceOf(BouncyCastleArgon2Engine.class);
        assertThat(selected.stderr()).contains("WARN", "broken engine computed a different hash");
    }

    @Test
    void hashes_from_either_engine_verify_with_the_other() {
        HashScheme scheme = HashScheme.argon2id(256, 2, 2);
        PasswordHasher viaNative = PasswordHasher.builder().scheme(scheme).argon2Engine(nativeEngine).build();
        PasswordHasher viaJava = PasswordHasher.builder().scheme(scheme).argon2Engine(pureJava).build();

        assertThat(viaJava.verify("correct horse", viaNative.hash("correct horse"))).isTrue();
        assertThat(viaNative.verify("correct horse", viaJava.hash("correct horse"))).isTrue();
        assertThat(Arrays.asList(viaNative.hash("x"), viaJava.hash("x"))).allMatch(h -> h.startsWith("$argon2id$v=19$m=256,t=2,p=2$"));
    }

    private record Captured<T>(T value, String stderr) {
    }

    /** Runs {@code action} with System.err captured (slf4j-simple, the test binding, logs there). */
    private static <T> Captured<T> captureStderr(Callable<T> action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            T value = action.call();
            return new Captured<>(value, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
