package dev.gatehouse.cli;

import static picocli.CommandLine.ScopeType.INHERIT;

import dev.gatehouse.error.GatehouseException;
import dev.gatehouse.error.InvalidInputException;
import dev.gatehouse.user.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code gatehouse} command: manages the users and roles of a Gatehouse application in its
 * database, migrates that database's schema, and imports users from Flask-Security — what
 * Flask-Security's {@code flask users} and {@code flask roles} commands do for a Flask app.
 *
 * <pre>
 * gatehouse db migrate
 * gatehouse roles create Admin -d "Administrators" -p users:write
 * printf '%s\n' "$PASSWORD" | gatehouse users create alice@example.com --password-stdin --role Admin
 * gatehouse users list --role Admin --json
 * gatehouse signin --provider keycloak
 * </pre>
 *
 * <p>The database and settings come from {@code --db}, {@code --data-dir}, the
 * {@code GATEHOUSE_*} environment variables and {@code --config FILE}, named as in the
 * application's configuration; by default the embedded H2 database {@code ./data/gatehouse}.
 * Exit codes: 0 success, 1 failure, 2 usage error. {@code docs/cli.md} describes every command.
 */
@Command(name = "gatehouse",
        // Subcommands inherit -h/--help, -V/--version and the footer.
        scope = INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = GatehouseCli.Version.class,
        subcommands = {UsersCommand.class, RolesCommand.class, SessionsCommand.class, SigninCommand.class, DbCommand.class,
                ImportCommand.class},
        description = {"Manages the users and roles of a Gatehouse application in its database.", ""},
        footer = {"", "The database: --db, else --data-dir, else GATEHOUSE_DB_URL, else db-url in the --config file,"
                + " else ./data/gatehouse (embedded H2).",
                "Exit codes: 0 success, 1 failure, 2 usage error. Documentation: docs/cli.md"})
public final class GatehouseCli {

    @Option(names = "--db", paramLabel = "JDBC_URL", scope = INHERIT,
            description = "The application's database, e.g. jdbc:postgresql://db/app?user=app&password=..."
                    + " (a URL with a password is better given as GATEHOUSE_DB_URL or in the --config file).")
    String dbUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = INHERIT,
            description = "Use the embedded H2 database DIR/gatehouse (default: ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", scope = INHERIT,
            description = "A properties file with the application's settings (db-url, password-hash, password-salt, ...).")
    Path configFile;

    @Option(names = "--json", scope = INHERIT, description = "Print one JSON document instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;]password=[^&;]");

    private final Environment environment;
    private boolean warnedAboutDbPassword;

    GatehouseCli(Environment environment) {
        this.environment = environment;
    }

    /** Runs the command and exits with its exit code: 0 success, 1 failure, 2 usage error. */
    public static void main(String[] args) {
        // UTF-8 whatever the locale: JSON must be, and Java 17 would print '?' for non-ASCII
        // emails under a POSIX locale.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, Environment.system(), out, err));
    }

    /** Runs the command line {@code args} in {@code environment}; returns the exit code. */
    static int run(String[] args, Environment environment, PrintWriter out, PrintWriter err) {
        GatehouseCli root = new GatehouseCli(environment);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, command, parseResult) -> root.failed(e));
        commandLine.setParameterExceptionHandler(GatehouseCli::usageError);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    Environment environment() {
        return environment;
    }

    /**
     * Asks {@code question} on the terminal before something irreversible, unless {@code yes}.
     * Without a terminal it is a usage error naming {@code --yes}; any answer but {@code y} or
     * {@code yes} is a failure saying {@code notDone}.
     */
    void confirm(boolean yes, String question, String what, String notDone) {
        if (yes) {
            return;
        }
        Environment.Terminal terminal = environment.terminal().orElseThrow(
                () -> CliException.usage("not " + what + " without confirmation: add --yes"));
        String answer = terminal.readLine(question + " [y/N] ");
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw CliException.failure("NOT_CONFIRMED", notDone);
        }
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    /** The configuration and database URL, from the options, the environment and the file. */
    CliConfig settings() {
        if (dbUrl != null && !warnedAboutDbPassword && PASSWORD_IN_URL.matcher(dbUrl).find()) {
            warnedAboutDbPassword = true;
            output().warning("a password in --db is visible to other users of this machine and stays in the shell"
                    + " history; prefer GATEHOUSE_DB_URL or db-url in the --config file");
        }
        return CliConfig.load(configFile, dataDir, dbUrl, environment.variables());
    }

    /** The database as {@code need} requires it; the caller closes it. */
    Workspace workspace(Workspace.Need need) {
        return Workspace.open(settings(), need);
    }

    private Optional<CliException> schemaProblem() {
        try {
            return Workspace.schemaProblem(settings());
        } catch (CliException e) {
            return Optional.empty();
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return CliException.USAGE;
    }

    /** Turns what a command threw into a message and an exit code. */
    private int failed(Exception e) {
        Output output = output();
        if (e instanceof CliException cli) {
            output.error(cli.code(), cli.getMessage());
            return cli.exitCode();
        }
        if (e instanceof InvalidInputException invalid) {
            output.error(invalid.code(), invalid.field() + ": " + invalid.getMessage());
            return CliException.FAILURE;
        }
        if (e instanceof StoreException store) {
            // Most often: no tables yet, or an older schema than this command knows.
            Optional<CliException> schema = schemaProblem();
            if (schema.isPresent()) {
                output.error(schema.get().code(), schema.get().getMessage());
                return CliException.FAILURE;
            }
            java.sql.SQLException sql = Database.rootSqlException(store);
            output.error(store.code(), "database error: " + store.getMessage()
                    + (sql == null ? "" : " (SQLState " + sql.getSQLState() + ")"));
            return CliException.FAILURE;
        }
        if (e instanceof GatehouseException gatehouse) {
            output.error(gatehouse.code(), gatehouse.getMessage());
            return CliException.FAILURE;
        }
        // A bug: say so, with the stack trace. Gatehouse's exceptions carry no secrets.
        output.error("INTERNAL_ERROR", "unexpected " + e);
        e.printStackTrace(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return CliException.FAILURE;
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = GatehouseCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"gatehouse " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
