package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the real {@code gatehouse} command line in this JVM — {@link GatehouseCli#run}, the picocli
 * {@code CommandLine} that {@code main} runs — with an environment, standard input and terminal
 * chosen by the test, and captures standard output and standard error.
 */
final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment = new HashMap<>();
    private byte[] stdin = new byte[0];
    private Environment.Terminal terminal;

    /** What a run left behind. */
    record Result(int exitCode, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        /** Both streams, for assertions that something appears (or not) anywhere. */
        String all() {
            return out + "\n" + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A command line whose database is {@code url}, given as GATEHOUSE_DB_URL like an operator would. */
    static Cli on(String url) {
        return new Cli().env("GATEHOUSE_DB_URL", url);
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Cli stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** An interactive terminal answering the prompts with {@code answers}, in order. */
    Cli terminal(String... answers) {
        Deque<String> queue = new ArrayDeque<>(List.of(answers));
        this.terminal = new Environment.Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                String answer = queue.poll();
                return answer == null ? null : answer.toCharArray();
            }

            @Override
            public String readLine(String prompt) {
                return queue.poll();
            }
        };
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment env = new Environment(environment, new ByteArrayInputStream(stdin), Optional.ofNullable(terminal));
        int exitCode = GatehouseCli.run(args, env, new PrintWriter(out), new PrintWriter(err));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
