package dev.gatehouse.password;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link PasswordHasher#verify} per scheme at its default (OWASP) parameters, through the public
 * API: what a sign-in costs with each choice of {@link HashScheme}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SchemeBenchmark {

    @Param({"argon2id", "bcrypt", "scrypt", "pbkdf2-sha256", "pbkdf2-sha512"})
    public String scheme;

    private PasswordHasher hasher;
    private String storedHash;

    @Setup
    public void setUp() {
        hasher = PasswordHasher.builder().scheme(HashScheme.named(scheme)).build();
        storedHash = hasher.hash("correct horse battery staple");
    }

    @Benchmark
    public boolean verify() {
        return hasher.verify("correct horse battery staple", storedHash);
    }
}
