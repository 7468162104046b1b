package dev.gatehouse.bench;

import static dev.gatehouse.config.Settings.EXTERNAL_URL;
import static dev.gatehouse.config.Settings.RATE_LIMITS_ENABLED;
import static dev.gatehouse.config.Settings.RECOVERABLE;
import static dev.gatehouse.config.Settings.RETURN_GENERIC_RESPONSES;
import static dev.gatehouse.config.Settings.SECRET;
import static dev.gatehouse.config.Settings.UNIFIED_SIGNIN;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.Secret;
import dev.gatehouse.request.ClientInfo;
import dev.gatehouse.user.NewUser;
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
 * The request-thread cost of asking for a reset link or a sign-in code, for an address with an
 * account ({@code known}) and one without ({@code unknown}), with generic responses: issue 10
 * found the unknown path measurably cheaper. In-memory stores, so this compares the work Gatehouse
 * itself does (token signing, mail sealing, events); docs/security.md records a run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SendPathBenchmark {

    @Param({"known", "unknown"})
    public String address;

    private Gatehouse gatehouse;
    private String email;
    private final ClientInfo client = ClientInfo.of("192.0.2.1", "bench");

    @Setup
    public void setUp() {
        gatehouse = Gatehouse.builder()
                .config(c -> c.set(SECRET, Secret.of("benchmark-secret-benchmark-secret-0123456789")).set(EXTERNAL_URL, "https://app.example.com")
                        .set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true).set(RETURN_GENERIC_RESPONSES, true).set(RATE_LIMITS_ENABLED, false))
                .build();
        gatehouse.users().createUser(NewUser.builder("known@example.com").build());
        email = address + "@example.com";
    }

    @Benchmark
    public Object reset() {
        return gatehouse.recovery().requestReset(email, client);
    }

    @Benchmark
    public Object sendCode() {
        return gatehouse.passwordless().sendCode(email, client);
    }
}
