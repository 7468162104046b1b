package dev.gatehouse.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.InvalidConfigurationException;
import dev.gatehouse.config.Secret;
import dev.gatehouse.config.Settings;
import dev.gatehouse.error.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The bounded pool every hash and verification runs on ({@code password-hash-concurrency}). */
class HashingCapacityTest {

    private static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Nested
    class WhenEverySlotIsBusy {

        private final HashingGate gate = new HashingGate(Duration.ZERO);
        private final String stored = gate.hasher().hash("stored password");

        @Test
        void hashing_verifying_and_the_dummy_verification_are_refused_and_work_again_once_a_slot_frees() throws Exception {
            PasswordHasher hasher = gate.hasher();
            Future<String> holder = holdTheOnlySlot(hasher);

            assertBusy(() -> hasher.hash("another password"));
            assertBusy(() -> hasher.verify("stored password", stored));
            assertBusy(() -> hasher.verifyAndUpdate("stored password", stored));
            // Unknown accounts meet the same refusal, or a flood would tell them apart.
            assertBusy(() -> hasher.verifyDummy("stored password"));

            gate.open();
            assertThat(holder.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
            assertThat(hasher.verify("stored password", stored)).isTrue();
            assertThat(hasher.verifyDummy("stored password").matches()).isFalse();
        }

        @Test
        void the_refusal_names_its_code_and_a_retry_delay_and_no_secret() throws Exception {
            holdTheOnlySlot(gate.hasher());

            assertThatThrownBy(() -> gate.hasher().verify("stored password", stored))
                    .isInstanceOfSatisfying(HashingCapacityException.class, e -> {
                        assertThat(e.code()).isEqualTo("HASHING_BUSY");
                        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                        assertThat(e.getMessage()).contains("password-hash-concurrency")
                                .doesNotContain("stored password").doesNotContain(stored);
                        // Thrown dozens of times a second under a flood, always from one place.
                        assertThat(e.getStackTrace()).isEmpty();
                    });
            gate.open();
        }

        @Test
        void a_check_that_finds_two_checks_per_slot_in_progress_is_refused_without_running() throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            Future<Boolean> first = gate.holdAnAdmission(threads, done);
            Future<Boolean> second = gate.holdAnAdmission(threads, done);
            AtomicBoolean ran = new AtomicBoolean();

            assertBusy(() -> gate.hasher().admitted(() -> ran.getAndSet(true)));
            assertThat(ran).isFalse();

            done.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
            // Admitted, a check's own hashes take their slot as usual.
            assertThat(gate.hasher().admitted(() -> gate.hasher().verify("stored password", stored))).isTrue();
        }

        @Test
        void a_stored_value_in_no_known_format_needs_no_slot() throws Exception {
            holdTheOnlySlot(gate.hasher());

            assertThat(gate.hasher().verify("stored password", "plaintext")).isFalse();
            gate.open();
        }

        private Future<String> holdTheOnlySlot(PasswordHasher hasher) throws InterruptedException {
            gate.close();
            Future<String> holder = threads.submit(() -> hasher.hash("held password"));
            gate.awaitHeld();
            return holder;
        }
    }

    @Test
    void as_many_hashes_as_the_concurrency_run_at_once_and_one_more_is_refused() throws Exception {
        HashingGate gate = new HashingGate(2, Duration.ZERO);
        gate.close();
        Future<String> first = threads.submit(() -> gate.hasher().hash("one"));
        Future<String> second = threads.submit(() -> gate.hasher().hash("two"));
        gate.awaitHeld();
        gate.awaitHeld();

        assertBusy(() -> gate.hasher().hash("three"));

        gate.open();
        assertThat(first.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
        assertThat(second.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
    }

    @Test
    void a_waiting_caller_gets_the_slot_when_it_frees_within_the_queue_timeout() throws Exception {
        HashingGate gate = new HashingGate(Duration.ofSeconds(30));
        gate.close();
        Future<String> holder = threads.submit(() -> gate.hasher().hash("one"));
        gate.awaitHeld();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Boolean> waiting = threads.submit(() -> {
            waiter.set(Thread.currentThread());
            return gate.hasher().verify("one", gate.hasher().hash("one"));
        });
        awaitParked(waiter);

        gate.open();

        assertThat(holder.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void without_a_queue_timeout_a_caller_waits_as_long_as_it_takes() throws Exception {
        HashingGate gate = new HashingGate(Duration.ZERO);
        PasswordHasher patient = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1))
                .argon2Engine(gate.hasher().argon2Engine()).concurrency(1).waitIndefinitely().build();
        assertThat(patient.queueTimeout()).isEmpty();
        gate.close();
        Future<String> holder = threads.submit(() -> patient.hash("one"));
        gate.awaitHeld();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<String> waiting = threads.submit(() -> {
            waiter.set(Thread.currentThread());
            return patient.hash("two");
        });
        awaitParked(waiter);

        gate.open();

        assertThat(holder.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
        assertThat(waiting.get(30, TimeUnit.SECONDS)).startsWith("$argon2id$");
    }

    @Test
    void hashes_run_on_daemon_threads_at_background_priority_and_the_caller_keeps_its_own() throws Exception {
        AtomicReference<Thread> hashingThread = new AtomicReference<>();
        AtomicReference<String> hashingNice = new AtomicReference<>();
        Argon2Engine real = Argon2Engines.preferred();
        Argon2Engine observed = new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                    byte[] password, byte[] salt, int hashLength) {
                hashingThread.set(Thread.currentThread());
                hashingNice.set(niceOfCurrentThread());
                return real.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
            }

            @Override
            public String description() {
                return "observed";
            }
        };
        PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).argon2Engine(observed)
                .concurrency(1).queueTimeout(Duration.ofSeconds(5)).build();
        String callerNice = niceOfCurrentThread();

        assertThat(hasher.hash("password")).startsWith("$argon2id$");

        assertThat(hashingThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(hashingThread.get().getName()).startsWith("gatehouse-password-hashing-");
        assertThat(hashingThread.get().isDaemon()).isTrue();
        assertThat(niceOfCurrentThread()).isEqualTo(callerNice);
        if (System.getProperty("os.name").startsWith("Linux")) {
            // setpriority lowers the hashing thread alone: request threads stay where they were.
            assertThat(Integer.parseInt(hashingNice.get())).isEqualTo(BackgroundPriority.NICE);
        } else {
            System.err.println("SKIPPED on " + System.getProperty("os.name") + ": thread nice values are Linux's");
        }
    }

    /** Field 19 of /proc/thread-self/stat (after the parenthesised name): the thread's nice value. */
    private static String niceOfCurrentThread() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "n/a";
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_failing_hash_gives_its_slot_back() {
        AtomicBoolean failNext = new AtomicBoolean(true);
        Argon2Engine real = Argon2Engines.preferred();
        Argon2Engine flaky = new Argon2Engine() {
            @Override
            public byte[] hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                    byte[] password, byte[] salt, int hashLength) {
                if (failNext.getAndSet(false)) {
                    throw new IllegalStateException("engine failure");
                }
                return real.hash(type, version, memoryKiB, iterations, parallelism, password, salt, hashLength);
            }

            @Override
            public String description() {
                return "flaky";
            }
        };
        PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.argon2id(64, 1, 1)).argon2Engine(flaky)
                .concurrency(1).queueTimeout(Duration.ZERO).build();

        assertThatThrownBy(() -> hasher.hash("first")).isInstanceOf(IllegalStateException.class);

        assertThat(hasher.hash("second")).startsWith("$argon2id$");
    }

    @Test
    void a_refused_input_gives_its_slot_back() {
        PasswordHasher hasher = PasswordHasher.builder().scheme(HashScheme.BCRYPT).concurrency(1)
                .queueTimeout(Duration.ZERO).build();

        // bcrypt refuses more than 72 bytes inside the slot.
        assertThatThrownBy(() -> hasher.hash("x".repeat(73))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> hasher.hash("x".repeat(73))).isInstanceOf(InvalidInputException.class);
    }

    @Nested
    class Configuration {

        @Test
        void the_settings_size_the_pool_and_bound_the_wait() {
            GatehouseConfig config = config().set("password-hash-concurrency", "3")
                    .set("password-hash-queue-timeout", "250ms").build();

            PasswordHasher hasher = PasswordHasher.fromConfig(config).build();

            assertThat(hasher.concurrency()).isEqualTo(3);
            assertThat(hasher.queueTimeout()).contains(Duration.ofMillis(250));
        }

        @Test
        void by_default_one_slot_per_processor_and_the_same_wait_as_a_plain_builder() {
            PasswordHasher configured = PasswordHasher.fromConfig(config().build()).build();
            PasswordHasher built = PasswordHasher.builder().build();

            assertThat(configured.concurrency()).isEqualTo(Runtime.getRuntime().availableProcessors())
                    .isEqualTo(built.concurrency());
            assertThat(configured.queueTimeout()).isEqualTo(built.queueTimeout()).contains(Duration.ofMillis(500));
        }

        @Test
        void out_of_range_settings_are_refused_naming_the_setting() {
            assertThatThrownBy(() -> config().set("password-hash-concurrency", "0"))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("password-hash-concurrency");
            assertThatThrownBy(() -> config().set("password-hash-concurrency", "many"))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("password-hash-concurrency");
            assertThatThrownBy(() -> config().set("password-hash-queue-timeout", "31s"))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("password-hash-queue-timeout");
            assertThatThrownBy(() -> config().set("password-hash-queue-timeout", "-PT1S"))
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("password-hash-queue-timeout");
        }

        @Test
        void the_builder_refuses_an_empty_pool_and_a_negative_wait() {
            assertThatThrownBy(() -> PasswordHasher.builder().concurrency(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PasswordHasher.builder().queueTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private GatehouseConfig.Builder config() {
            return GatehouseConfig.builder().set(Settings.SECRET, Secret.of(SECRET));
        }
    }

    private static void assertBusy(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(HashingCapacityException.class);
    }

    /** Waits until {@code thread} parks, i.e. waits for a slot (a semaphore parks its waiters). */
    private static void awaitParked(AtomicReference<Thread> thread) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            Thread t = thread.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the caller never waited for a slot");
    }
}
