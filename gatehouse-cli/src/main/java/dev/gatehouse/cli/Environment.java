package dev.gatehouse.cli;

import java.io.Console;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the command takes from its process: environment variables, standard input and, when a
 * person is typing, the terminal. {@link GatehouseCli#main} passes the real ones; tests pass their
 * own, which is how they run the real command line in-process.
 *
 * @param variables the environment, for {@code GATEHOUSE_*} settings
 * @param stdin     standard input, for {@code --password-stdin} and {@code --check-password}
 * @param terminal  the interactive terminal, empty when input or output is redirected
 */
record Environment(Map<String, String> variables, InputStream stdin, Optional<Terminal> terminal) {

    Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(terminal, "terminal");
    }

    /** This process's environment, standard input and terminal. */
    static Environment system() {
        return new Environment(System.getenv(), System.in, Terminal.system());
    }

    /** Prompts on an interactive terminal, without echoing passwords. */
    interface Terminal {

        /** Reads a password without echo; {@code null} at end of input. */
        char[] readPassword(String prompt);

        /** Reads a line with echo; {@code null} at end of input. */
        String readLine(String prompt);

        /** The process's console, if it is attached to a terminal. */
        static Optional<Terminal> system() {
            Console console = System.console();
            if (console == null || !isTerminal(console)) {
                return Optional.empty();
            }
            return Optional.of(new Terminal() {
                @Override
                public char[] readPassword(String prompt) {
                    return console.readPassword("%s", prompt);
                }

                @Override
                public String readLine(String prompt) {
                    return console.readLine("%s", prompt);
                }
            });
        }

        /**
         * From Java 22 on, {@code System.console()} exists even when input is redirected; only
         * {@code Console.isTerminal()} (not in Java 17, hence reflection) says whether anyone types.
         */
        private static boolean isTerminal(Console console) {
            try {
                Method isTerminal = Console.class.getMethod("isTerminal");
                return (Boolean) isTerminal.invoke(console);
            } catch (NoSuchMethodException e) {
                return true;
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
    }
}
