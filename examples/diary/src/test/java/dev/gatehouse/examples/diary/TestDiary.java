package dev.gatehouse.examples.diary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The diary started for a test exactly as {@code java -jar diary.jar} starts it, on a free port,
 * with a data folder of its own (deleted on close) and the given environment.
 */
final class TestDiary implements AutoCloseable {

    static final String SECRET = "diary-test-secret-diary-test-secret-0123456789";
    static final String PASSWORD = "a long enough passphrase";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final DiaryMain.Running running;
    final Path data;
    final String output;
    private final boolean ownData;

    private TestDiary(DiaryMain.Running running, Path data, String output, boolean ownData) {
        this.running = running;
        this.data = data;
        this.output = output;
        this.ownData = ownData;
    }

    /** On H2 in a new data folder. */
    static TestDiary start() {
        return start(Map.of());
    }

    static TestDiary start(Map<String, String> environment) {
        try {
            return start(Files.createTempDirectory("diary-test-"), environment, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In {@code data}, which the caller owns (to restart on the same data). */
    static TestDiary start(Path data, Map<String, String> environment, boolean ownData) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("GATEHOUSE_SECRET", SECRET);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        DiaryMain.Running running = DiaryMain.launch(
                new DiaryMain.Options("127.0.0.1", 0, data, Optional.empty(), Optional.empty(), false, false),
                env, new PrintStream(output, true, StandardCharsets.UTF_8));
        return new TestDiary(running, data, output.toString(StandardCharsets.UTF_8), ownData);
    }

    /** {@code http://localhost:<port>}: localhost, where browsers accept Secure cookies over HTTP. */
    String url() {
        return "http://localhost:" + running.diary().port();
    }

    HttpSession client() {
        return new HttpSession(url());
    }

    /** A unique address per call. */
    static String email(String name) {
        return name + "-" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    /** A new writer, registered through the form and signed in. */
    HttpSession newWriter(String name) {
        HttpSession session = client();
        HttpSession.Reply reply = session.register(email(name), PASSWORD, name);
        if (reply.status() != 302) {
            throw new AssertionError("registration failed: " + reply);
        }
        return session;
    }

    HttpSession admin() {
        return signedIn("admin@example.com", "adminpass");
    }

    HttpSession signedIn(String email, String password) {
        HttpSession session = client();
        HttpSession.Reply reply = session.login(email, password);
        if (reply.status() != 302) {
            throw new AssertionError("login failed: " + reply);
        }
        return session;
    }

    @Override
    public void close() {
        running.close();
        if (ownData) {
            delete(data);
        }
    }

    static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
