package dev.gatehouse.cli;

import static dev.gatehouse.config.Settings.PASSWORD_SALT;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.cli.FlaskSecurityImport.Action;
import dev.gatehouse.cli.FlaskSecurityImport.Plan;
import dev.gatehouse.cli.FlaskSecurityImport.RoleStep;
import dev.gatehouse.cli.FlaskSecurityImport.UserStep;
import dev.gatehouse.cli.FlaskSecuritySource.SourceUser;
import dev.gatehouse.identifier.Identifiers;
import dev.gatehouse.jdbc.JdbcStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse import …}: users from other systems. */
@Command(name = "import", description = "Import users and roles from another system.")
final class ImportCommand {

    @ParentCommand
    GatehouseCli root;

    @Command(name = "flask-security",
            description = {"Copy users, roles, role links, confirmation and login tracking from a Flask-Security"
                    + " database (fsqla models; SQLite, PostgreSQL or MySQL/MariaDB). Password hashes and"
                    + " fs_uniquifier values are kept, so users sign in with their old passwords once the application"
                    + " has Flask's SECURITY_PASSWORD_SALT as password-salt. Second factors (authenticator app, email,"
                    + " SMS) and unified sign-in methods come along; encrypted authenticator keys need"
                    + " --totp-secrets. Writes nothing if anything conflicts; running it again changes nothing."},
            footer = {"", "Exit codes: 0 imported (or nothing to do), 1 conflicts or another failure (nothing written),"
                    + " 2 usage error."})
    int flaskSecurity(
            @Option(names = "--from", required = true, paramLabel = "JDBC_URL",
                    description = "The Flask-Security database, e.g. jdbc:sqlite:/srv/app/app.db or"
                            + " jdbc:postgresql://db/app?user=app&password=...") String from,
            @Option(names = "--password-salt", paramLabel = "SALT",
                    description = "Flask's SECURITY_PASSWORD_SALT, to check with --check-password (default: the"
                            + " password-salt setting). Better given as GATEHOUSE_PASSWORD_SALT.") String salt,
            @Option(names = "--check-password", paramLabel = "EMAIL",
                    description = "Before importing, check the salt: read the current password of this Flask user"
                            + " from the first line of standard input and verify it against its hash.") String checkEmail,
            @Option(names = "--single-hash",
                    description = "The Flask application set SECURITY_PASSWORD_SINGLE_HASH = True: its hashes are of"
                            + " the password itself and are stored as they are, without {fs}.") boolean singleHash,
            @Option(names = "--totp-secrets", paramLabel = "FILE",
                    description = "A file with the Flask application's SECURITY_TOTP_SECRETS, which encrypt its users'"
                            + " authenticator keys: a JSON object {\"1\": \"secret\", ...} or lines tag: secret."
                            + " Without it, encrypted keys cannot be read and those users are imported without their"
                            + " authenticator (with a warning). The keys are then sealed with the application's"
                            + " secret, which must be configured.") Path totpSecretsFile,
            @Option(names = "--dry-run", description = "Show what would be imported; write nothing.") boolean dryRun) {
        Output output = root.output();
        if (salt != null) {
            output.warning("a salt given with --password-salt is visible to other users of this machine and stays in"
                    + " the shell history; prefer GATEHOUSE_PASSWORD_SALT");
            if (salt.isEmpty()) {
                throw CliException.usage("--password-salt is empty");
            }
        }
        CliConfig settings = root.settings();
        Optional<String> knownSalt = Optional.ofNullable(salt).or(() -> settings.config().get(PASSWORD_SALT).map(s -> s.reveal()));
        if (checkEmail != null && knownSalt.isEmpty() && !singleHash) {
            throw CliException.usage("--check-password needs the Flask application's SECURITY_PASSWORD_SALT:"
                    + " set GATEHOUSE_PASSWORD_SALT (or password-salt, or give --password-salt)");
        }
        FlaskTotpSecrets totpSecrets = totpSecretsFile == null ? FlaskTotpSecrets.none() : readTotpSecrets(totpSecretsFile);
        try (Workspace workspace = Workspace.open(settings, Workspace.Need.CURRENT_SCHEMA)) {
            FlaskSecuritySource source = FlaskSecuritySource.read(from);
            Plan plan = FlaskSecurityImport.plan(source, workspace.store(), singleHash, totpSecrets);
            String saltState = knownSalt.isEmpty() ? "unset" : "not checked";
            if (checkEmail != null) {
                checkPassword(source, checkEmail, settings, knownSalt, singleHash);
                saltState = "checked";
            }
            plan.warnings().forEach(output::warning);
            if (!plan.conflicts().isEmpty()) {
                output.result(text(source, plan, dryRun, 0), json(source, plan, dryRun, 0, saltState));
                StringBuilder message = new StringBuilder(Lookups.count(plan.conflicts().size(), "conflict")
                        + (dryRun ? "; a real run would write nothing:" : "; nothing was imported:"));
                plan.conflicts().forEach(c -> message.append("\n  ").append(c));
                // The report is on standard output already; only the message goes to standard error.
                root.spec.commandLine().getErr().println("error: " + message);
                root.spec.commandLine().getErr().flush();
                return CliException.FAILURE;
            }
            if (plan.secondFactors() > 0 && !settings.secretConfigured() && !dryRun) {
                // Sealed with a placeholder, the keys would be unreadable for the application.
                throw CliException.failure("NO_SECRET", Lookups.count(plan.secondFactors(), "user") + " would get second"
                        + " factors, whose keys are sealed with the application's secret: configure it (GATEHOUSE_SECRET or"
                        + " secret in the configuration file) as the application has it. Nothing was imported");
            }
            long written;
            if (dryRun) {
                written = 0;
            } else if (plan.secondFactors() == 0) {
                written = FlaskSecurityImport.apply(plan, workspace.database().dataSource(), null);
            } else {
                try (Gatehouse application = application(workspace)) {
                    written = FlaskSecurityImport.apply(plan, workspace.database().dataSource(), application.twoFactor());
                }
            }
            output.result(text(source, plan, dryRun, written), json(source, plan, dryRun, written, saltState));
            long flaskHashes = plan.flaskHashes();
            // The application reads password-salt from its configuration, not from this command line.
            if (flaskHashes > 0 && settings.config().get(PASSWORD_SALT).isEmpty()) {
                output.warning(Lookups.count(flaskHashes, "user") + " " + (dryRun ? "would get" : "got")
                        + " Flask-Security password hashes ({fs}). They can sign in only once the application's"
                        + " password-salt (GATEHOUSE_PASSWORD_SALT) is the Flask application's SECURITY_PASSWORD_SALT");
            } else if (flaskHashes > 0 && checkEmail == null) {
                output.note("the salt was not checked; --check-password EMAIL checks it against a password you know");
            }
        }
        return 0;
    }

    /** The application on the import's database, as far as the two-factor service needs it: sealing with its secret. */
    private static Gatehouse application(Workspace workspace) {
        return Gatehouse.builder()
                .stores(JdbcStores.withoutMigration(workspace.database().dataSource()))
                .config(workspace.settings().config())
                .userCache(false)
                .build();
    }

    /** Reads {@code --totp-secrets}; its problems never show a secret. */
    private static FlaskTotpSecrets readTotpSecrets(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("--totp-secrets: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return FlaskTotpSecrets.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--totp-secrets " + file + ": " + e.getMessage());
        }
    }

    /** Verifies a known password against the Flask hash with the salt, before anything is written. */
    private void checkPassword(FlaskSecuritySource source, String email, CliConfig settings, Optional<String> salt,
                               boolean singleHash) {
        String key = Identifiers.emailKey(email);
        SourceUser user = source.users().stream().filter(u -> u.email() != null && Identifiers.emailKey(u.email()).equals(key))
                .findFirst().orElseThrow(() -> CliException.failure("NO_SUCH_USER",
                        "no Flask-Security user with email " + email + " to check the salt with"));
        String hash = user.password().filter(p -> !p.isEmpty()).orElseThrow(() -> CliException.failure("NO_PASSWORD",
                "Flask-Security user " + email + " has no password to check the salt with"));
        String password = Passwords.readLine(root.environment().stdin(), "the current password of " + email);
        boolean matches = settings.hasher(salt).verify(password, singleHash ? hash : "{fs}" + hash);
        if (!matches) {
            throw CliException.failure("SALT_CHECK_FAILED", "the password given for " + email + " does not match its"
                    + " Flask-Security hash " + (singleHash ? "" : "with this salt ") + "; check the salt"
                    + " (Flask's SECURITY_PASSWORD_SALT) and the password. Nothing was imported");
        }
    }

    private static String text(FlaskSecuritySource source, Plan plan, boolean dryRun, long written) {
        StringBuilder text = new StringBuilder();
        text.append("Flask-Security database ").append(source.url()).append(" (").append(source.product()).append("): ")
                .append(Lookups.count(source.roles().size(), "role")).append(", ")
                .append(Lookups.count(source.users().size(), "user")).append('.');
        if (dryRun || !plan.conflicts().isEmpty()) {
            for (RoleStep role : plan.roles()) {
                text.append("\n  role ").append(role.name()).append(": ").append(describe(role.action(), role.reason(), "already there, the same"));
            }
            for (UserStep user : plan.users()) {
                text.append("\n  user ").append(user.email()).append(": ").append(describe(user.action(), user.reason(), "already imported, left as it is"));
            }
        }
        String roles = counts(plan.roles(Action.CREATE), plan.roles(Action.PRESENT), "role");
        String users = counts(plan.users(Action.CREATE), plan.users(Action.PRESENT), "user");
        if (!plan.conflicts().isEmpty()) {
            text.append("\nNothing imported.");
        } else if (dryRun) {
            text.append("\nDry run, nothing written. Would create ").append(roles).append("; ").append(users)
                    .append(" (").append(Lookups.count(plan.changes(), "change")).append(").");
        } else {
            text.append("\nCreated ").append(roles).append("; ").append(users).append(" (")
                    .append(Lookups.count(written, "change")).append(").");
        }
        if (plan.conflicts().isEmpty() && plan.secondFactors() > 0) {
            text.append('\n').append(Lookups.count(plan.secondFactors(), "user")).append(dryRun ? " would keep" : " kept")
                    .append(" their second factors or sign-in methods.");
        }
        return text.toString();
    }

    private static String counts(long created, long present, String noun) {
        return Lookups.count(created, noun) + (present == 0 ? "" : ", " + present + " already there");
    }

    private static String describe(Action action, String reason, String present) {
        return switch (action) {
            case CREATE -> "create";
            case PRESENT -> present;
            case CONFLICT -> "CONFLICT: " + reason;
        };
    }

    private static Map<String, Object> json(FlaskSecuritySource source, Plan plan, boolean dryRun, long written,
                                            String saltState) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source.url());
        json.put("product", source.product());
        json.put("dry_run", dryRun);
        json.put("imported", !dryRun && plan.conflicts().isEmpty());
        json.put("changes", written);
        json.put("roles", tally(plan.roles(Action.CREATE), plan.roles(Action.PRESENT), plan.roles(Action.CONFLICT)));
        json.put("users", tally(plan.users(Action.CREATE), plan.users(Action.PRESENT), plan.users(Action.CONFLICT)));
        List<Map<String, Object>> items = new ArrayList<>();
        for (RoleStep role : plan.roles()) {
            items.add(item("role", role.name(), role.action(), role.reason()));
        }
        for (UserStep user : plan.users()) {
            items.add(item("user", user.email(), user.action(), user.reason()));
        }
        json.put("items", items);
        json.put("second_factors", plan.conflicts().isEmpty() ? plan.secondFactors() : 0);
        json.put("conflicts", plan.conflicts());
        json.put("warnings", plan.warnings());
        json.put("password_salt", saltState);
        return json;
    }

    private static Map<String, Object> tally(long create, long present, long conflict) {
        Map<String, Object> tally = new LinkedHashMap<>();
        tally.put("create", create);
        tally.put("present", present);
        tally.put("conflict", conflict);
        return tally;
    }

    private static Map<String, Object> item(String kind, String name, Action action, String reason) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", kind);
        item.put("name", name);
        item.put("action", action.name().toLowerCase(Locale.ROOT));
        item.put("reason", reason);
        return item;
    }
}
