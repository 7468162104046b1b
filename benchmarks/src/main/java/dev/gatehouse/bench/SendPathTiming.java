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
import java.util.Arrays;

/**
 * Known against unknown address, interleaved in one JVM so machine noise hits both alike (JMH runs
 * its parameters one after the other): times {@code requestReset} or {@code sendCode} for both,
 * alternating which goes first, and prints medians and quartiles. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.SendPathTiming reset|sendCode [rounds]}.
 * docs/security.md records a run.
 */
public final class SendPathTiming {

    private SendPathTiming() {
    }

    public static void main(String[] args) {
        String operation = args.length > 0 ? args[0] : "reset";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        Gatehouse gatehouse = Gatehouse.builder()
                .config(c -> c.set(SECRET, Secret.of("benchmark-secret-benchmark-secret-0123456789")).set(EXTERNAL_URL, "https://app.example.com")
                        .set(RECOVERABLE, true).set(UNIFIED_SIGNIN, true).set(RETURN_GENERIC_RESPONSES, true).set(RATE_LIMITS_ENABLED, false))
                .build();
        gatehouse.users().createUser(NewUser.builder("known@example.com").build());
        ClientInfo client = ClientInfo.of("192.0.2.1", "bench");
        String[] addresses = {"known@example.com", "unknown@example.com"};
        long[][] nanos = new long[2][rounds];
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up and is overwritten
            for (int i = 0; i < rounds; i++) {
                for (int k = 0; k < 2; k++) {
                    int which = i % 2 == 0 ? k : 1 - k;
                    long start = System.nanoTime();
                    if (operation.equals("reset")) {
                        gatehouse.recovery().requestReset(addresses[which], client);
                    } else {
                        gatehouse.passwordless().sendCode(addresses[which], client);
                    }
                    nanos[which][i] = System.nanoTime() - start;
                }
            }
        }
        for (int which = 0; which < 2; which++) {
            long[] sorted = nanos[which].clone();
            Arrays.sort(sorted);
            System.out.printf("%s %-7s median %.1f µs, quartiles %.1f–%.1f µs%n", operation, which == 0 ? "known" : "unknown",
                    sorted[rounds / 2] / 1e3, sorted[rounds / 4] / 1e3, sorted[3 * rounds / 4] / 1e3);
        }
    }
}
