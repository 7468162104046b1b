package dev.gatehouse.examples.diary;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.jdbc.JdbcDatabase;
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
 * with a data folder of its own (deleted on close) and the given environment; on Javalin unless
 * another {@link Stack} is given (the Spring Boot diary's tests give theirs).
 */
final class TestDiary implements AutoCloseable {

    /** A web stack serving the diary: launches it as its main class does, after parsing options. */
    interface Stack {
        Started launch(DiarySetup.Options options, Map<String, String> environment, PrintStream out);
    }

    /**
     * A started diary of one stack: its back end, its port, and what stops it all.
     *
     * @param server closes the server and the back end
     */
    record Started(DiarySetup.Backend backend, int port, AutoCloseable server) {

        Gatehouse gatehouse() {
            return backend.gatehouse();
        }

        JdbcDatabase database() {
            return backend.database();
        }

        void close() {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The Javalin diary ({@link DiaryMain}). */
    static final Stack JAVALIN = (options, environment, out) -> {
        DiaryMain.Running running = DiaryMain.launch(options, environment, out);
        return new Started(running.backend(), running.diary().port(), running);
    };

    static final String SECRET = "diary-test-secret-diary-test-secret-0123456789";
    static final String PASSWORD = "a long enough passphrase";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final Started running;
    final Path data;
    final String output;
    private final boolean ownData;

    private TestDiary(Started running, Path data, String output, boolean ownData) {
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
        return start(JAVALIN, environment);
    }

    /** On {@code stack}, in a new data folder. */
    static TestDiary start(Stack stack, Map<String, String> environment) {
        try {
            return start(stack, Files.createTempDirectory("diary-test-"), environment, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In {@code data}, which the caller owns (to restart on the same data). */
    static TestDiary start(Path data, Map<String, String> environment, boolean ownData) {
        return start(JAVALIN, data, environment, ownData);
    }

    static TestDiary start(Stack stack, Path data, Map<String, String> environment, boolean ownData) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("GATEHOUSE_SECRET", SECRET);
        // Tests sign in and register far faster than people do, all from 127.0.0.1.
        env.putIfAbsent("GATEHOUSE_RATE_LIMITS_ENABLED", "false");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Started running = stack.launch(
                new DiarySetup.Options("127.0.0.1", 0, data, Optional.empty(), Optional.empty(), false, false),
                env, new PrintStream(output, true, StandardCharsets.UTF_8));
        return new TestDiary(running, data, output.toString(StandardCharsets.UTF_8), ownData);
    }

    /** {@code http://localhost:<port>}: localhost, where browsers accept Secure cookies over HTTP. */
    String url() {
        return "http://localhost:" + running.port();
    }

    HttpSession client() {
        return new HttpSession(url());
    }

    /** A unique address per call. */
    static String email(String name) {
        return name + "-" + SEQUENCE.incrementAndGet() + "@example.com";
    }

    /** A new writer, registered through the form, then signed in (registration signs nobody in). */
    HttpSession newWriter(String name) {
        HttpSession session = client();
        String email = email(name);
        HttpSession.Reply reply = session.register(email, PASSWORD, name);
        if (reply.status() != 302) {
            throw new AssertionError("registration failed: " + reply);
        }
        HttpSession.Reply login = session.login(email, PASSWORD);
        if (login.status() != 302) {
            throw new AssertionError("sign-in after registration failed: " + login);
        }
        return session;
    }

    /** The folder the development mailer writes to. */
    Path mailFolder() {
        return data.resolve("mail");
    }

    /**
     * The {@code n}-th message (from 1) written for {@code to}, waiting for the delivery worker if
     * it is not there yet; fails if it never comes.
     */
    String mail(String to, int n) {
        String suffix = "-" + to.replaceAll("[^A-Za-z0-9._-]", "_") + ".eml";
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Stream<Path> files = Files.exists(mailFolder()) ? Files.list(mailFolder()) : Stream.empty()) {
                java.util.List<Path> mine = files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
                if (mine.size() >= n) {
                    return readable(mine.get(n - 1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no message " + n + " for " + to + " in " + mailFolder());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A MIME file as a mail client shows it: From, To and Subject lines, then each part decoded
     * (text, then HTML), so that quoted-printable line breaks do not split a link.
     */
    static String readable(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()), in);
            StringBuilder b = new StringBuilder()
                    .append("From: ").append(m.getFrom()[0]).append("\n")
                    .append("To: ").append(m.getAllRecipients()[0]).append("\n")
                    .append("Subject: ").append(m.getSubject()).append("\n\n");
            if (m.getContent() instanceof jakarta.mail.Multipart parts) {
                for (int i = 0; i < parts.getCount(); i++) {
                    b.append(parts.getBodyPart(i).getContent()).append("\n");
                }
            } else {
                b.append(m.getContent());
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError("not a MIME message: " + file, e);
        }
    }

    /** The path of the first link to {@code path} in a message, e.g. {@code /reset/...}. */
    static String link(String mail, String path) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://[^/\\s]+(" + java.util.regex.Pattern.quote(path)
                + "/[A-Za-z0-9_.\\-]+)").matcher(mail);
        if (!m.find()) {
            throw new AssertionError("no link to " + path + " in " + mail);
        }
        return m.group(1);
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
