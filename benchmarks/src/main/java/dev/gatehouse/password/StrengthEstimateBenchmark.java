package dev.gatehouse.password;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the password policy's strength estimate costs per new password, for inputs an attacker
 * would choose to make it slow (long repeats, patterns and l33t characters, up to the 128-character maximum): the
 * estimator sees at most the first 32 characters, so the 128-character rows cost no more than the
 * 32-character ones. docs/security.md records a run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StrengthEstimateBenchmark {

    @Param({"aB3$-128", "q-128", "password1-128", "random-128", "l33t-128", "passphrase-28", "aaaaaaaa-8"})
    public String input;

    private final PasswordPolicy policy = PasswordPolicy.builder().build();
    private String password;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        password = switch (input) {
            case "aB3$-128" -> "aB3$".repeat(32);
            case "q-128" -> "q".repeat(128);
            case "password1-128" -> "password1".repeat(15).substring(0, 128);
            case "random-128" -> "ksjdhf82hsd9f8h2k3jh4k2j3h4kj2h3k4jh23k4jh2k3j4h2k3jh4k2j3h4kjh23k4jh23kj4h2k3j4h2k3jh4k2j3h4k2j3h4kj2h34kj2h3k4jh2k3j4h2k3jh4";
            // Every l33t character zxcvbn4j knows: its substitutions are combined, the slowest input found.
            case "l33t-128" -> "4@8({[<3691!|70$5+%2".repeat(7).substring(0, 128);
            case "passphrase-28" -> "velvet orbit pancake lantern";
            default -> "aaaaaaaa";
        };
    }

    @Benchmark
    public Object check() {
        return policy.check(password, List.of("alice.smith@example.com", "asmith"));
    }
}
