package dev.gatehouse.cli;

import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.password.PasswordHasher;
import dev.gatehouse.password.PasswordPolicy;
import dev.gatehouse.password.PolicyViolation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * New passwords: where they come from ({@code --password-stdin}, {@code --password}, or a prompt on
 * the terminal), the core's {@link PasswordPolicy}, and hashing with the configured scheme. A
 * password is never echoed, printed or logged; messages name the rule it broke, never the value.
 */
final class Passwords {

    /** Longest accepted input line: the policy's maximum of 4096 code points at 4 UTF-8 bytes each. */
    static final int MAX_LINE_BYTES = 4 * 4096;

    private Passwords() {
    }

    /** The options naming a password; picocli makes them mutually exclusive. */
    static final class Source {

        @Option(names = "--password-stdin", required = true,
                description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Option(names = "--password", paramLabel = "PASSWORD", required = true,
                description = "The password itself. Other users of the machine can see it in the process list"
                        + " and it stays in the shell history: prefer --password-stdin.")
        String value;
    }

    /**
     * The password given by {@code source}, or typed at the terminal when no option names one.
     *
     * @return empty when no option names a password and nobody is at a terminal
     * @throws CliException (failure) for empty input, input that is not UTF-8, or two typed
     *                      passwords that differ
     */
    static Optional<String> read(Source source, Environment environment, Output output) {
        if (source != null && source.value != null) {
            output.warning("a password given with --password is visible to other users of this machine and"
                    + " stays in the shell history; prefer --password-stdin");
            if (source.value.isEmpty()) {
                throw CliException.failure("PASSWORD_NOT_PROVIDED", "--password is empty");
            }
            return Optional.of(source.value);
        }
        if (source != null && source.stdin) {
            return Optional.of(readLine(environment.stdin(), "the password"));
        }
        if (environment.terminal().isEmpty()) {
            return Optional.empty();
        }
        Environment.Terminal terminal = environment.terminal().get();
        char[] first = terminal.readPassword("New password: ");
        char[] second = first == null ? null : terminal.readPassword("Repeat it: ");
        try {
            if (first == null || first.length == 0) {
                throw CliException.failure("PASSWORD_NOT_PROVIDED", "no password typed");
            }
            if (!Arrays.equals(first, second)) {
                throw CliException.failure("PASSWORD_MISMATCH", "the two passwords typed differ");
            }
            return Optional.of(new String(first));
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /**
     * Checks {@code password} against the policy, told the user's own words (email address,
     * username, profile fields), and hashes it.
     *
     * @throws CliException (failure) naming every rule the password breaks
     */
    static String hash(String password, List<String> userInputs, PasswordPolicy policy, PasswordHasher hasher) {
        List<PolicyViolation> violations = policy.check(password, userInputs);
        if (!violations.isEmpty()) {
            throw CliException.failure(violations.get(0).code(), "password refused: " + violations.stream()
                    .map(v -> v.message() + " (" + v.code() + ")").collect(Collectors.joining("; ")));
        }
        try {
            return hasher.hash(password);
        } catch (InvalidInputException e) {
            // bcrypt and a password over 72 bytes: the policy allowed it, the scheme cannot hash it.
            throw CliException.failure(e.code(), "password refused: " + e.getMessage() + " (" + e.code() + ")");
        }
    }

    /**
     * Reads one line of UTF-8 from {@code in}, byte by byte so that nothing after it is consumed,
     * without its line ending ({@code \n} or {@code \r\n}). Other whitespace belongs to the value.
     *
     * @param what names the value in messages, e.g. "the password"
     * @throws CliException (failure) at end of input, for an empty line, a line over
     *                      {@value #MAX_LINE_BYTES} bytes, or bytes that are not UTF-8
     */
    static String readLine(InputStream in, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean sawAnything = false;
        try {
            int b;
            while ((b = in.read()) != -1) {
                sawAnything = true;
                if (b == '\n') {
                    break;
                }
                if (bytes.size() >= MAX_LINE_BYTES) {
                    throw CliException.failure("PASSWORD_TOO_LONG", "the first line of standard input is longer than "
                            + MAX_LINE_BYTES + " bytes; expected " + what);
                }
                bytes.write(b);
            }
        } catch (IOException e) {
            throw CliException.failure("STDIN_UNREADABLE", "could not read " + what + " from standard input: "
                    + e.getMessage(), e);
        }
        byte[] raw = bytes.toByteArray();
        try {
            int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            if (!sawAnything) {
                throw CliException.failure("PASSWORD_NOT_PROVIDED", "standard input is empty; expected " + what
                        + " on its first line");
            }
            if (length == 0) {
                throw CliException.failure("PASSWORD_NOT_PROVIDED", "the first line of standard input is empty;"
                        + " expected " + what);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw, 0, length))
                        .toString();
            } catch (CharacterCodingException e) {
                throw CliException.failure("STDIN_NOT_UTF8", "standard input is not UTF-8; expected " + what);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
