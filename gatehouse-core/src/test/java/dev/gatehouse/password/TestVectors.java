package dev.gatehouse.password;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads the committed test-vector files made by tools/vectors (tab-separated, '#' comments). */
final class TestVectors {

    /** One row: the generator's columns, the last two always password and hash. */
    record Row(List<String> columns) {
        String password() {
            return columns.get(columns.size() - 2);
        }

        String hash() {
            return columns.get(columns.size() - 1);
        }

        String column(int i) {
            return columns.get(i);
        }

        @Override
        public String toString() {
            // JUnit shows this as the case name: the generator's description, not the hash.
            return String.join(" | ", columns.subList(0, columns.size() - 1));
        }
    }

    private TestVectors() {
    }

    static List<Row> read(String resource) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines(resource)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                rows.add(new Row(Arrays.asList(line.split("\t", -1))));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(resource + " has no vectors");
        }
        return rows;
    }

    /** The value of a {@code # key: value} header line. */
    static Optional<String> header(String resource, String key) {
        String prefix = "# " + key + ": ";
        return lines(resource).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }

    private static List<String> lines(String resource) {
        try (InputStream in = TestVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
