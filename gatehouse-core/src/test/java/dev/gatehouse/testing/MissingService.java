package dev.gatehouse.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The rule for tests that need something outside the JVM (a database server, a browser): with
 * {@code CI=true} a missing one fails the build; anywhere else its tests are skipped, and a banner
 * on the console says so, so a skipped suite never passes silently.
 */
public final class MissingService {

    private MissingService() {
    }

    /**
     * Fails under {@code CI=true}; otherwise prints the banner and returns the reason to skip each
     * test with ({@code Assumptions.abort}).
     *
     * @param tests    what is skipped, e.g. {@code "PostgreSQL"} or {@code "browser"}
     * @param reason   what is missing, and where it was looked for
     * @param howToFix one sentence for the person reading the banner or the failure
     * @param cause    the error that showed it missing, if any
     * @throws IllegalStateException with {@code CI=true}
     */
    public static String failOrSkip(String tests, String reason, String howToFix, Throwable cause) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + ". CI=true, so this fails the build. " + howToFix, cause);
        }
        String line = "*".repeat(100);
        String text = String.join(System.lineSeparator(), "", line,
                "*** SKIPPING " + tests.toUpperCase(Locale.ROOT) + " TESTS: " + reason,
                "*** " + howToFix,
                "*** With CI=true this fails the build instead.", line, "");
        // Surefire sends a test's System.err to a report file; the banner must reach the console,
        // so it also goes to the process's real standard error.
        System.err.println(text);
        @SuppressWarnings("resource")
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        console.println(text);
        return reason + " - skipped (with CI=true this fails)";
    }
}
