package dev.gatehouse.cli;

/**
 * Ends a command with a message for the operator and an exit code: {@link #FAILURE} when the
 * operation could not be done (no such user, role exists, password refused, database error),
 * {@link #USAGE} when the command line itself is wrong.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final int FAILURE = 1;
    static final int USAGE = 2;

    private final int exitCode;
    private final String code;

    private CliException(int exitCode, String code, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.code = code;
    }

    /** The operation failed: exit code 1. */
    static CliException failure(String code, String message) {
        return new CliException(FAILURE, code, message, null);
    }

    static CliException failure(String code, String message, Throwable cause) {
        return new CliException(FAILURE, code, message, cause);
    }

    /** The command line is wrong: exit code 2. */
    static CliException usage(String message) {
        return new CliException(USAGE, "USAGE", message, null);
    }

    int exitCode() {
        return exitCode;
    }

    /** A stable upper-case code for {@code --json} output, e.g. {@code NO_SUCH_USER}. */
    String code() {
        return code;
    }
}
