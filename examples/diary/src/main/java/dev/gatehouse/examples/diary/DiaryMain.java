package dev.gatehouse.examples.diary;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.error.GatehouseException;
import io.javalin.util.JavalinBindException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts the Javalin diary: {@code java -jar diary.jar [--port 8080] [--host 127.0.0.1] [--data data]
 * [--db-url jdbc:postgresql://...] [--db-user user] [--demo]}; options, environment, database and
 * defaults as {@link DiarySetup} describes.
 */
public final class DiaryMain {

    private DiaryMain() {
    }

    /** A started diary and what it holds open. */
    record Running(Diary diary, DiarySetup.Backend backend, String url) implements AutoCloseable {

        Gatehouse gatehouse() {
            return backend.gatehouse();
        }

        @Override
        public void close() {
            diary.close();
            backend.close();
        }
    }

    public static void main(String[] args) {
        DiarySetup.Options options;
        try {
            options = DiarySetup.Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("diary: " + e.getMessage());
            System.err.println(DiarySetup.Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DiarySetup.Options.USAGE);
            return;
        }
        try {
            Running running = launch(options, System.getenv(), System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "diary-shutdown"));
        } catch (GatehouseException | IllegalStateException | UncheckedIOException | JavalinBindException e) {
            // Configuration, database and port problems: the message says what to fix.
            System.err.println("diary: " + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            System.exit(1);
        }
    }

    /** Connects, migrates, seeds and starts the diary as {@code options} and {@code environment} say. */
    static Running launch(DiarySetup.Options options, Map<String, String> environment, PrintStream out) {
        DiarySetup.Backend backend = DiarySetup.open(options, environment, out);
        try {
            Diary diary = new Diary(backend.gatehouse(), backend.entries()).start(options.host(), backend.port());
            String address = "http://localhost:" + diary.port() + "/";
            DiarySetup.printStarted(out, backend, address, diary.mailDestination());
            return new Running(diary, backend, address);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }
}
