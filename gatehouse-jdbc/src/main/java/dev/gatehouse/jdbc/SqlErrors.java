package dev.gatehouse.jdbc;

import dev.gatehouse.user.StoreException;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Classifies {@link SQLException}s and turns them into {@link StoreException}s that are safe to
 * log.
 *
 * <p>Driver messages may quote stored values: MariaDB's duplicate-key message names the email,
 * H2's data errors quote the offending value, which may be a password hash or a security stamp.
 * The cause chain of a {@code StoreException} therefore holds redacted copies: same class name,
 * SQLState, vendor code and stack trace, but the message kept only for SQLState classes whose
 * messages describe the connection or the schema, never row values.
 */
final class SqlErrors {

    /**
     * SQLState classes whose messages are kept: connection (08), authorization (28), catalog
     * (3D), syntax or missing object (42), resources (53), operator intervention (57), system (58).
     */
    private static final Set<String> DESCRIPTIVE_CLASSES = Set.of("08", "28", "3D", "42", "53", "57", "58");

    private static final String WITHHELD = ": [message withheld: it may quote stored values]";

    private SqlErrors() {
    }

    /** Whether {@code e}, or an exception chained to it, reports an integrity constraint violation. */
    static boolean isIntegrityViolation(SQLException e) {
        return anyInChain(e, state -> state.startsWith("23"));
    }

    /** Whether retrying the whole transaction may succeed: deadlocks, serialization failures, lock timeouts. */
    static boolean isTransient(SQLException e, Dialect dialect) {
        for (SQLException s : chain(e)) {
            if ((s.getSQLState() != null && s.getSQLState().startsWith("40")) || dialect.isTransient(s)) {
                return true;
            }
        }
        return false;
    }

    /** A {@link StoreException} for a failed {@code operation}, with a redacted cause chain. */
    static StoreException storeFailure(String operation, SQLException e) {
        return new StoreException("could not " + operation + " (SQLState " + e.getSQLState() + ", vendor code "
                + e.getErrorCode() + ")", redact(e));
    }

    /** A redacted copy of {@code t} and everything chained to it; see the class comment. */
    static Throwable redact(Throwable t) {
        return redact(t, new IdentityHashMap<>());
    }

    private static Throwable redact(Throwable t, Map<Throwable, Throwable> done) {
        if (t == null) {
            return null;
        }
        Throwable copy = done.get(t);
        if (copy != null) {
            return copy;
        }
        String message = t.getClass().getName();
        if (t instanceof SQLException s) {
            message += isDescriptive(s) ? ": " + s.getMessage() : WITHHELD;
            SQLException redacted = new SQLException(message, s.getSQLState(), s.getErrorCode());
            copy = redacted;
            done.put(t, copy);
            SQLException next = s.getNextException();
            if (next != null && next != t.getCause()) {
                redacted.setNextException((SQLException) redact(next, done));
            }
        } else {
            // Not from the database (sockets, pools, ...), but wrappers often repeat their cause's
            // message: keep it only when no SQLException below could have put row values into it.
            if (t.getMessage() != null) {
                message += causesAreDescriptive(t) ? ": " + t.getMessage() : WITHHELD;
            }
            copy = new RedactedThrowable(message);
            done.put(t, copy);
        }
        copy.setStackTrace(t.getStackTrace());
        Throwable cause = redact(t.getCause(), done);
        if (cause != null && cause != copy) {
            copy.initCause(cause);
        }
        return copy;
    }

    private static boolean isDescriptive(SQLException s) {
        String state = s.getSQLState();
        return state != null && state.length() >= 2 && DESCRIPTIVE_CLASSES.contains(state.substring(0, 2));
    }

    private static boolean causesAreDescriptive(Throwable t) {
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof SQLException s && !isDescriptive(s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyInChain(SQLException e, java.util.function.Predicate<String> stateTest) {
        for (SQLException s : chain(e)) {
            if (s.getSQLState() != null && stateTest.test(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** {@code e}, its SQLException causes and next-exceptions, each once. */
    private static Iterable<SQLException> chain(SQLException e) {
        Set<SQLException> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayDeque<SQLException> pending = new java.util.ArrayDeque<>();
        pending.add(e);
        while (!pending.isEmpty()) {
            SQLException s = pending.poll();
            if (!seen.add(s)) {
                continue;
            }
            if (s.getNextException() != null) {
                pending.add(s.getNextException());
            }
            if (s.getCause() instanceof SQLException cause) {
                pending.add(cause);
            }
        }
        return seen;
    }

    /** Stands in for a non-SQL exception in a redacted chain, naming the original class. */
    private static final class RedactedThrowable extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedThrowable(String message) {
            super(message);
        }
    }
}
