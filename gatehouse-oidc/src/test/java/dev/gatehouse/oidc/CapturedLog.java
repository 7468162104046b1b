package dev.gatehouse.oidc;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A copy of what the test JVM writes to standard error and output — where slf4j-simple logs — kept from
 * {@link #install()} on, so a test can prove its secrets stayed out of the log (gatehouse-web's
 * {@code LogCapture} does the same for the whole HTTP suite, but lives in another module's test package).
 * The streams still reach surefire as before.
 */
final class CapturedLog {

    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private static boolean installed;

    private CapturedLog() {
    }

    /** Tees {@code System.err} and {@code System.out} into the copy; once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        System.setErr(tee(System.err));
        System.setOut(tee(System.out));
        installed = true;
    }

    /** Where the copy ends now, for {@link #since(int)}. */
    static int mark() {
        synchronized (COPY) {
            return COPY.size();
        }
    }

    /** Everything written after {@code mark}. */
    static String since(int mark) {
        System.err.flush();
        System.out.flush();
        synchronized (COPY) {
            byte[] all = COPY.toByteArray();
            return new String(all, mark, all.length - mark, StandardCharsets.UTF_8);
        }
    }

    private static PrintStream tee(PrintStream original) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (COPY) {
                    COPY.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (COPY) {
                    COPY.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        return new PrintStream(both, true, StandardCharsets.UTF_8);
    }
}
