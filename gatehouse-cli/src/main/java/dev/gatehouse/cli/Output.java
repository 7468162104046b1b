package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a command's results go: standard output gets either text for people or, with
 * {@code --json}, exactly one JSON document for scripts; warnings and notes always go to standard
 * error, so they never break a script reading standard output.
 */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** The command's result: {@code text} for people, {@code document} with {@code --json}. */
    void result(String text, Object document) {
        if (json) {
            out.println(toJson(document));
        } else if (!text.isEmpty()) {
            out.println(text);
        }
        out.flush();
    }

    /** Something the operator must know, on standard error. */
    void warning(String message) {
        err.println("warning: " + message);
        err.flush();
    }

    /** What the operator must read or do while the command runs, on standard error (stdout stays the result). */
    void say(String message) {
        err.println(message);
        err.flush();
    }

    /** Something worth knowing, on standard error. */
    void note(String message) {
        err.println("note: " + message);
        err.flush();
    }

    /** A failure: the message on standard error, and with {@code --json} an error document on standard output. */
    void error(String code, String message) {
        err.println("error: " + message);
        err.flush();
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code);
            error.put("message", message);
            out.println(toJson(Map.of("error", error)));
            out.flush();
        }
    }

    static String toJson(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A text table: a header row, then the rows, columns padded to their widest cell. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
