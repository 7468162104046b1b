package dev.gatehouse.password;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the scheduling priority of the calling thread to nice {@value #NICE}, so that a password
 * hash yields the cores to requests of signed-in users when both want them (the scheduler weighs
 * a normal thread about ten times a nice-10 one) and still takes every cycle nobody else wants.
 * Not lower: a thread of the lowest class ({@code SCHED_IDLE}) would let a flood of cheap requests
 * stop sign-in altogether.
 *
 * <p>On Linux the nice value belongs to the thread: {@code setpriority(PRIO_PROCESS, 0, n)}
 * changes the calling thread only (see setpriority(2), "BUGS"). Elsewhere it would lower the whole
 * process, so there nothing is done but Java's own priority hint, which Linux ignores.
 */
final class BackgroundPriority {

    /** The nice value of the hashing threads. */
    static final int NICE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final int PRIO_PROCESS = 0;
    /** The C library, or null where it cannot be reached (not Linux, no JNA). */
    private static final LibC LIBC = load();

    private BackgroundPriority() {
    }

    /** The one function of the C library used here. */
    interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    private static LibC load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            LOG.info("password hashing runs at normal priority: the C library is not reachable through JNA ({})",
                    e.toString());
            return null;
        }
    }

    /** Lowers the calling thread's priority; whether the operating system took it. */
    static boolean applyToCurrentThread() {
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
        if (LIBC == null) {
            return false;
        }
        if (LIBC.setpriority(PRIO_PROCESS, 0, NICE) != 0) {
            LOG.info("password hashing runs at normal priority: setpriority was refused (errno {})", Native.getLastError());
            return false;
        }
        return true;
    }
}
