package dev.gatehouse.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A fuzzer's raw bytes read as a few text fields, one per line, the last field being the rest
 * (it may hold newlines, as a request body does). Line-oriented on purpose: a seed or a finding
 * is then a readable file ({@code POST\n/login\napplication/json\n{"email":…}}) that anyone can
 * write by hand and the fuzzer mutates field by field.
 *
 * <p>Lines are read as ISO-8859-1, the way HTTP header bytes arrive, so every byte value reaches
 * the parser; the rest as UTF-8 (malformed sequences become U+FFFD, as a server's decoder makes
 * them). Placeholders such as {@code {TOKEN}} stand for credentials that only exist at run time
 * (random session secrets): {@link #substitute} puts the genuine values in, so the fuzzer can
 * mutate around a real credential without the seed holding one. Not thread-safe.
 */
public final class FuzzInput {

    private final byte[] bytes;
    private int position;

    private FuzzInput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Reads {@code bytes} from the start. */
    public static FuzzInput of(byte[] bytes) {
        return new FuzzInput(bytes == null ? new byte[0] : bytes);
    }

    /** The next line without its {@code \n}; empty once the input is used up. */
    public String line() {
        int end = position;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        String line = new String(bytes, position, end - position, StandardCharsets.ISO_8859_1);
        position = Math.min(bytes.length, end + 1);
        return line;
    }

    /** Everything not yet read, as UTF-8. */
    public String rest() {
        String rest = new String(bytes, position, bytes.length - position, StandardCharsets.UTF_8);
        position = bytes.length;
        return rest;
    }

    /** {@code text} with each placeholder (a key of {@code values}, e.g. {@code {TOKEN}}) replaced by its value. */
    public static String substitute(String text, Map<String, String> values) {
        String result = text;
        for (Map.Entry<String, String> placeholder : values.entrySet()) {
            if (result.contains(placeholder.getKey())) {
                result = result.replace(placeholder.getKey(), placeholder.getValue());
            }
        }
        return result;
    }
}
