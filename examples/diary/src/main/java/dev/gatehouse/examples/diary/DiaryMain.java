package dev.gatehouse.examples.diary;

import io.javalin.util.JavalinBindException;
import java.io.PrintStream;
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

        @Override
        public void close() {
            diary.close();
            backend.close();
        }
    }

    public static void main(String[] args) {
        DiarySetup.main(args, DiaryMain::launch, JavalinBindException.class);
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
