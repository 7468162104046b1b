package dev.gatehouse.password;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One argon2id hash at Gatehouse's default parameters (m=19456 KiB, t=2, p=1, 32-byte hash), raw,
 * by each engine Gatehouse can use (libsodium needs the system library: libsodium23 on Debian), by Password4j for reference, and one full
 * {@link PasswordHasher#verify} (parse, NFKD, hash, compare) through the public API.
 *
 * <p>Lives in Gatehouse's package to reach the package-private engines directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class Argon2Benchmark {

    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;

    private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private final byte[] salt = "sixteen byte sal".getBytes(StandardCharsets.US_ASCII);
    private Argon2Engine nativeEngine;
    private Argon2Engine sodium;
    private Argon2Engine bouncyCastle;
    private Argon2Function password4j;
    private PasswordHasher hasher;
    private String storedHash;

    @Setup
    public void setUp() {
        nativeEngine = NativeArgon2Engine.load();
        bouncyCastle = new BouncyCastleArgon2Engine();
        sodium = SodiumArgon2Engine.load(bouncyCastle);
        password4j = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES, Argon2.ID, 0x13);
        hasher = PasswordHasher.builder().build();
        storedHash = hasher.hash("correct horse battery staple");
        byte[] reference = bouncyCastle.hash(Argon2Type.ID, 0x13, MEMORY_KIB, ITERATIONS, PARALLELISM, password, salt, HASH_BYTES);
        if (!java.util.Arrays.equals(reference, nativeLibargon2())
                || !java.util.Arrays.equals(reference, libsodium())
                || !java.util.Arrays.equals(reference, password4jPureJava())) {
            throw new IllegalStateException("the implementations disagree; the comparison would be meaningless");
        }
    }

    @Benchmark
    public byte[] nativeLibargon2() {
        return nativeEngine.hash(Argon2Type.ID, 0x13, MEMORY_KIB, ITERATIONS, PARALLELISM, password, salt, HASH_BYTES);
    }

    @Benchmark
    public byte[] libsodium() {
        return sodium.hash(Argon2Type.ID, 0x13, MEMORY_KIB, ITERATIONS, PARALLELISM, password, salt, HASH_BYTES);
    }

    @Benchmark
    public byte[] bouncyCastle() {
        return bouncyCastle.hash(Argon2Type.ID, 0x13, MEMORY_KIB, ITERATIONS, PARALLELISM, password, salt, HASH_BYTES);
    }

    @Benchmark
    public byte[] password4jPureJava() {
        return password4j.hash(password, salt).getBytes();
    }

    @Benchmark
    public boolean gatehouseVerify() {
        return hasher.verify("correct horse battery staple", storedHash);
    }
}
