package dev.gatehouse.password;

import com.nulabinc.zxcvbn.Zxcvbn;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of one strength estimate for inputs an attacker would choose, at the policy's cap
 * ({@link StrengthEstimate#MAX_ESTIMATED} characters, as the policy estimates) and on the whole
 * 128 characters (what the cap saves). CPU time of this thread, not wall time, so other processes
 * on a shared machine inflate it less than JMH's numbers. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.gatehouse.password.StrengthEstimateTiming [estimates]}.
 * docs/security.md records a run.
 */
public final class StrengthEstimateTiming {

    private StrengthEstimateTiming() {
    }

    public static void main(String[] args) {
        int estimates = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("the 20 l33t characters repeated", "4@8({[<3691!|70$5+%2".repeat(7).substring(0, 128));
        inputs.put("aB3$ x 32", "aB3$".repeat(32));
        inputs.put("q x 128", "q".repeat(128));
        inputs.put("password1 repeated", "password1".repeat(15).substring(0, 128));
        inputs.put("19871231 repeated", "19871231".repeat(16));
        inputs.put("random", "ksjdhf82hsd9f8h2k3jh4k2j3h4kj2h3k4jh23k4jh2k3j4h2k3jh4k2j3h4kjh23k4jh23kj4h2k3j4h2k3jh4k2j3h4k2j3h4kj2h34kj2h3k4jh2k3j4h2k3jh4kj");
        inputs.put("velvet orbit pancake lantern", "velvet orbit pancake lantern");
        List<String> context = List.of("alice.smith@example.com", "asmith");
        Zxcvbn zxcvbn = new Zxcvbn();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%-32s %14s %14s%n", "input", "cpu at cap", "cpu uncapped");
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            String whole = input.getValue();
            // what StrengthEstimate.of hands the library (all inputs here are ASCII: chars are code points)
            String capped = whole.substring(0, Math.min(whole.length(), StrengthEstimate.MAX_ESTIMATED));
            double[] millis = new double[2];
            List<String> passwords = List.of(capped, whole);
            for (int column = 0; column < 2; column++) {
                String password = passwords.get(column);
                // uncapped estimates take seconds: fewer of them
                int runs = column == 0 ? estimates : Math.max(1, estimates / 4);
                zxcvbn.measure(password, context); // warm-up
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < runs; i++) {
                    zxcvbn.measure(password, context);
                }
                millis[column] = (threads.getCurrentThreadCpuTime() - start) / 1e6 / runs;
            }
            System.out.printf("%-32s %11.1f ms %11.1f ms%n", input.getKey(), millis[0], millis[1]);
        }
    }
}
