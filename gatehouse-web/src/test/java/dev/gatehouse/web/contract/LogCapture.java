package dev.gatehouse.web.contract;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps a copy of everything the test JVM writes to standard output and standard error — where
 * slf4j-simple, Javalin and Jetty log — from the start of the JUnit session, so
 * {@link NoSecretsInLogsTest} can scan the whole HTTP suite's log once the other classes ran.
 * Registered through {@code META-INF/services}; the streams still reach surefire as before.
 */
public final class LogCapture implements LauncherSessionListener {

    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private static volatile boolean installed;

    /** Tees {@code System.out} and {@code System.err} into the copy; once per JVM. */
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        System.setOut(tee(System.out));
        System.setErr(tee(System.err));
        installed = true;
    }

    /** Whether the copy is being kept (the listener ran). */
    static boolean installed() {
        return installed;
    }

    /** Everything written since {@link #install()}. */
    public static String text() {
        synchronized (COPY) {
            return COPY.toString(StandardCharsets.UTF_8);
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
